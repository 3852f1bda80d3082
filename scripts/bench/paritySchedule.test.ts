import { learningRateSchedule } from './paritySchedule.js';

describe('learningRateSchedule', () => {
  it('is 1 in every window by default', () => {
    const factor = learningRateSchedule({ windows: 20 });
    expect([0, 7, 19].map(factor)).toEqual([1, 1, 1]);
  });

  it('warms up linearly, then decays to the final factor at the last window', () => {
    const cosine = learningRateSchedule({ warmupWindows: 2, decay: 'cosine', minFactor: 0.1, windows: 12 });
    expect(cosine(0)).toBeCloseTo(0.5);
    expect(cosine(1)).toBeCloseTo(1);
    expect(cosine(2)).toBeCloseTo(1);
    // Window 1 of a decay over windows 0 to 2 is halfway: cos(π/2) = 0, so 0.1 + 0.9 · 0.5.
    expect(learningRateSchedule({ decay: 'cosine', windows: 3 })(1)).toBeCloseTo(0.55);
    expect(cosine(11)).toBeCloseTo(0.1);
    const linear = learningRateSchedule({ decay: 'linear', minFactor: 0, windows: 5 });
    expect([0, 1, 2, 3, 4].map(linear)).toEqual([1, 0.75, 0.5, 0.25, 0]);
  });

  it('refuses a negative warm-up and a final factor outside [0, 1]', () => {
    expect(() => learningRateSchedule({ warmupWindows: -1, windows: 4 })).toThrow('warm-up');
    expect(() => learningRateSchedule({ minFactor: 2, windows: 4 })).toThrow('final factor');
  });
});
