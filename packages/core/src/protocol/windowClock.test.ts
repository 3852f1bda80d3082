import { ProtocolParameterError } from '../errors/protocol.js';
import { createRandom } from '../common/createRandom.js';
import { deadlineOfWindow } from './deadlineOfWindow.js';
import { epochOfWindow } from './epochOfWindow.js';
import { hyperparameterPresets } from './hyperparameterPresets.js';
import { startBlockOfEpoch } from './startBlockOfEpoch.js';
import { startBlockOfWindow } from './startBlockOfWindow.js';
import { windowOfBlock } from './windowOfBlock.js';
import { windowsOfEpoch } from './windowsOfEpoch.js';

describe('window clock', () => {
  const clock = { startBlock: 1000, blocksPerWindow: 10, windowsPerEpoch: 6, deadlineGraceBlocks: 2 };

  it('numbers windows from the start block', () => {
    expect(windowOfBlock({ ...clock, block: 1000 })).toBe(0);
    expect(windowOfBlock({ ...clock, block: 1009 })).toBe(0);
    expect(windowOfBlock({ ...clock, block: 1010 })).toBe(1);
    expect(windowOfBlock({ ...clock, block: 1234 })).toBe(23);
    expect(startBlockOfWindow({ ...clock, window: 0 })).toBe(1000);
    expect(startBlockOfWindow({ ...clock, window: 23 })).toBe(1230);
  });

  it('puts the deadline at the next window start plus the grace', () => {
    expect(deadlineOfWindow({ ...clock, window: 0 })).toBe(1012);
    expect(deadlineOfWindow({ ...clock, window: 23 })).toBe(1242);
    expect(deadlineOfWindow({ ...clock, deadlineGraceBlocks: 0, window: 23 })).toBe(1240);
  });

  it('groups windows into epochs', () => {
    expect(epochOfWindow({ ...clock, window: 0 })).toBe(0);
    expect(epochOfWindow({ ...clock, window: 5 })).toBe(0);
    expect(epochOfWindow({ ...clock, window: 6 })).toBe(1);
    expect(windowsOfEpoch({ ...clock, epoch: 0 })).toEqual({ first: 0, last: 5 });
    expect(windowsOfEpoch({ ...clock, epoch: 3 })).toEqual({ first: 18, last: 23 });
    expect(startBlockOfEpoch({ ...clock, epoch: 0 })).toBe(1000);
    expect(startBlockOfEpoch({ ...clock, epoch: 2 })).toBe(1120);
  });

  it('agrees with itself on random clocks', () => {
    const random = createRandom({ seed: 31 });
    for (let trial = 0; trial < 500; trial++) {
      const c = {
        startBlock: random.int(10 ** 9),
        blocksPerWindow: 1 + random.int(1000),
        windowsPerEpoch: 1 + random.int(100),
        deadlineGraceBlocks: random.int(10),
      };
      const block = c.startBlock + random.int(10 ** 9);
      const window = windowOfBlock({ ...c, block });
      const start = startBlockOfWindow({ ...c, window });
      expect(start).toBeLessThanOrEqual(block);
      expect(block).toBeLessThan(start + c.blocksPerWindow);
      expect(deadlineOfWindow({ ...c, window })).toBe(
        startBlockOfWindow({ ...c, window: window + 1 }) + c.deadlineGraceBlocks,
      );
      const { first, last } = windowsOfEpoch({ ...c, epoch: epochOfWindow({ ...c, window }) });
      expect(first).toBeLessThanOrEqual(window);
      expect(window).toBeLessThanOrEqual(last);
      expect(last - first + 1).toBe(c.windowsPerEpoch);
      const epochStart = startBlockOfEpoch({ ...c, epoch: epochOfWindow({ ...c, window }) });
      expect(epochStart).toBeLessThanOrEqual(start);
      expect(start - epochStart).toBe((window - first) * c.blocksPerWindow);
    }
  });

  it('takes hyperparameters spread in', () => {
    const { gpu } = hyperparameterPresets;
    expect(windowOfBlock({ ...gpu, startBlock: 0, block: 359 })).toBe(11);
    expect(epochOfWindow({ ...gpu, window: 12 })).toBe(1);
  });

  it.each([
    ['a block before the start', () => windowOfBlock({ ...clock, block: 999 }), 'block'],
    ['a fractional block', () => windowOfBlock({ ...clock, block: 1000.5 }), 'block'],
    ['a bigint block', () => windowOfBlock({ ...clock, block: 1000n as unknown as number }), 'block'],
    [
      'zero blocks per window',
      () => windowOfBlock({ ...clock, blocksPerWindow: 0, block: 1000 }),
      'blocksPerWindow',
    ],
    ['a negative window', () => startBlockOfWindow({ ...clock, window: -1 }), 'window'],
    ['an unsafe start', () => startBlockOfWindow({ ...clock, startBlock: 2 ** 53, window: 0 }), 'startBlock'],
    [
      'an overflowing start',
      () => startBlockOfWindow({ ...clock, window: 2 ** 52 }),
      'window · blocksPerWindow',
    ],
    [
      'a negative grace',
      () => deadlineOfWindow({ ...clock, deadlineGraceBlocks: -1, window: 0 }),
      'deadlineGraceBlocks',
    ],
    ['zero windows per epoch', () => epochOfWindow({ window: 3, windowsPerEpoch: 0 }), 'windowsPerEpoch'],
    ['a NaN epoch', () => windowsOfEpoch({ epoch: NaN, windowsPerEpoch: 3 }), 'epoch'],
    ['a negative epoch start', () => startBlockOfEpoch({ ...clock, epoch: -1 }), 'epoch'],
    [
      'an overflowing epoch start',
      () => startBlockOfEpoch({ ...clock, epoch: 2 ** 50 }),
      'window · blocksPerWindow',
    ],
  ])('rejects %s', (_name, call, parameter) => {
    expect(call).toThrow(ProtocolParameterError);
    expect(call).toThrow(expect.objectContaining({ parameter }));
  });
});
