import { createBlockTimer } from './createBlockTimer.js';

describe('createBlockTimer', () => {
  it('assumes the fallback until the heads seen span enough blocks, then measures', () => {
    let now = 50_000;
    const timer = createBlockTimer({ fallbackMs: 12_000, now: () => now });
    expect(timer.msPerBlock()).toBe(12_000);
    timer.observe(100);
    now += 3_000;
    timer.observe(103);
    expect(timer.msPerBlock()).toBe(12_000);
    // 103 seen again later: its first sighting counts; a head going back is ignored.
    now += 1_000;
    timer.observe(103);
    timer.observe(99);
    now += 6_000;
    timer.observe(110);
    // 10 blocks from the sighting of 100 to that of 110: 10 s.
    expect(timer.msPerBlock()).toBe(1_000);
  });

  it('follows the newest observations only', () => {
    let now = 0;
    const timer = createBlockTimer({ fallbackMs: 12_000, keep: 3, minSpanBlocks: 2, now: () => now });
    for (let block = 0; block <= 20; block++) {
      timer.observe(block);
      now += block < 10 ? 12_000 : 2_000;
    }
    expect(timer.msPerBlock()).toBe(2_000);
  });

  it('refuses a fallback that is not a positive number', () => {
    expect(() => createBlockTimer({ fallbackMs: 0 })).toThrow('fallbackMs');
    expect(() => createBlockTimer({ fallbackMs: 1_000, keep: 1 })).toThrow('keep');
  });
});
