import { TimingMismatchError } from '../errors/protocol.js';
import { checkRunTiming } from './checkRunTiming.js';
import { hyperparameterPresets } from './hyperparameterPresets.js';

describe('checkRunTiming', () => {
  const hyperparameters = hyperparameterPresets.tiny;
  const timing = { startBlock: 7, blocksPerWindow: 10, windowsPerEpoch: 6, deadlineGraceBlocks: 2 };

  it('accepts a run config whose timing is the chain’s', () => {
    expect(hyperparameters).toMatchObject({
      blocksPerWindow: 10,
      windowsPerEpoch: 6,
      deadlineGraceBlocks: 2,
    });
    expect(() => checkRunTiming({ hyperparameters, timing })).not.toThrow();
  });

  it('lists every field that differs', () => {
    const call = () =>
      checkRunTiming({ hyperparameters, timing: { ...timing, blocksPerWindow: 20, deadlineGraceBlocks: 3 } });
    expect(call).toThrow(TimingMismatchError);
    expect(call).toThrow(
      expect.objectContaining({
        differences: [
          { field: 'blocksPerWindow', run: 10, chain: 20 },
          { field: 'deadlineGraceBlocks', run: 2, chain: 3 },
        ],
      }),
    );
    expect(call).toThrow(/blocksPerWindow: 10 in the run config, 20 on chain/);
  });

  it('ignores the start block, which the run config does not hold', () => {
    const later = { ...timing, startBlock: 123 };
    expect(() => checkRunTiming({ hyperparameters, timing: later })).not.toThrow();
  });
});
