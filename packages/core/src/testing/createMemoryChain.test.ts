import { describeSubnetChain } from '../_test/describeSubnetChain.js';
import { createMemoryChain } from './createMemoryChain.js';

const timing = { startBlock: 3, blocksPerWindow: 10, windowsPerEpoch: 2, deadlineGraceBlocks: 2 };

describeSubnetChain({
  name: 'in memory',
  create: async () => {
    const chain = createMemoryChain({ timing, maxUriLength: 64, minValidatorStake: 100n });
    const [v0, v1, m0, m1, outsider] = [0, 1, 2, 3, 4].map((i) => chain.as(chain.account(i)));
    return {
      validators: [v0!, v1!],
      miners: [m0!, m1!],
      outsider: outsider!,
      stake: 100n,
      reach: async (block) => chain.mineTo(block),
      close: async () => undefined,
    };
  },
});

describe('createMemoryChain hooks', () => {
  it('injects a fault into the next call only', async () => {
    const chain = createMemoryChain({ timing, validators: 1, miners: 1 });
    const fault = new Error('boom');
    chain.failNext({ operation: 'blockNumber', error: fault });
    await expect(chain.blockNumber()).rejects.toBe(fault);
    expect(await chain.blockNumber()).toBe(timing.startBlock);
  });

  it('counts aggregate reads and wakes waiters as blocks are mined', async () => {
    const chain = createMemoryChain({ timing, validators: 1 });
    const waiting = chain.waitForBlock({ block: 10 });
    expect(await chain.nextWait()).toBe(10);
    chain.mine(7);
    expect(await waiting).toBe(10);
    await chain.aggregate({ window: 0 });
    expect(chain.aggregateReads).toBe(1);
  });
});
