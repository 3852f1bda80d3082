import { createPhaseClock } from './createPhaseClock.js';

describe('createPhaseClock', () => {
  it('gives each phase the time since the previous lap, adding up repeated names', () => {
    const times = [1000, 1250, 3250, 3500];
    const clock = createPhaseClock(() => times.shift()!);
    clock.lap('sync');
    clock.lap('train');
    clock.lap('sync');
    expect(clock.seconds()).toEqual({ sync: 0.5, train: 2 });
    expect(Object.keys(clock.seconds())).toEqual(['sync', 'train']);
  });

  it('is empty before the first lap', () => {
    expect(createPhaseClock(() => 0).seconds()).toEqual({});
  });
});
