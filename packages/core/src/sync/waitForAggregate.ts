import type { Aggregate, SubnetChain, SubnetTiming } from '../chain/types.js';
import { startBlockOfWindow } from '../protocol/startBlockOfWindow.js';

/** Parameters of {@link waitForAggregate}. */
export type WaitForAggregateParameters = {
  chain: Pick<SubnetChain, 'blockNumber' | 'aggregate' | 'waitForBlock'>;
  timing: SubnetTiming;
  window: number;
  signal?: AbortSignal | undefined;
  pollMs?: number | undefined;
};

/**
 * Waits for the aggregate of `window`: returns it once the chain has one included before
 * window `window + 2` starts, or undefined once that window has started without one (the
 * protocol then treats the window's set as empty). The head is read before the aggregate,
 * so an aggregate included before the limit is always seen. Internal to sync/.
 */
export async function waitForAggregate(
  parameters: WaitForAggregateParameters,
): Promise<Aggregate | undefined> {
  const { chain, timing, window, signal, pollMs } = parameters;
  const limit = startBlockOfWindow({ ...timing, window: window + 2 });
  for (;;) {
    signal?.throwIfAborted();
    const head = await chain.blockNumber();
    const aggregate = await chain.aggregate({ window });
    if (aggregate !== undefined && aggregate.block < limit) return aggregate;
    if (head >= limit) return undefined;
    await chain.waitForBlock({
      block: head + 1,
      ...(signal === undefined ? {} : { signal }),
      ...(pollMs === undefined ? {} : { pollMs }),
    });
  }
}
