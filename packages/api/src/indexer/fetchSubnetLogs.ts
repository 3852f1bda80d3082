import type { Log } from 'ethers';
import { IndexerError } from '../errors/indexer.js';

/** The reads the indexer needs from a chain; an ethers v6 Provider has them. */
export type IndexerProvider = {
  getBlockNumber(): Promise<number>;
  getBlock(block: number): Promise<{ hash: string | null } | null>;
  getLogs(filter: { address: string; fromBlock: number; toBlock: number }): Promise<readonly Log[]>;
};

/** How nodes word "this range returns too much": Geth, Erigon, Alchemy, Infura, QuickNode, anvil. */
const tooLarge = /range|limit|too many|too large|exceed|more than|response size|10000|timeout|timed out/i;

/** Parameters of {@link fetchSubnetLogs}. */
export type FetchSubnetLogsParameters = {
  provider: IndexerProvider;
  address: string;
  fromBlock: number;
  toBlock: number;
};

/**
 * The Subnet's logs in a block range, in chain order. When the node refuses a range (too many
 * results, range too wide) it splits the range in halves and tries again, down to one block.
 *
 * @returns Logs ordered by block then log index, none marked removed.
 * @throws IndexerError when even a single block cannot be read, or the node fails for another reason than the range's size.
 * @example
 * const logs = await fetchSubnetLogs({ provider, address: deployment.subnet, fromBlock: 0, toBlock: 999 });
 */
export async function fetchSubnetLogs(parameters: FetchSubnetLogsParameters): Promise<Log[]> {
  const { provider, address, fromBlock, toBlock } = parameters;
  let logs: readonly Log[];
  try {
    logs = await provider.getLogs({ address, fromBlock, toBlock });
  } catch (cause) {
    if (fromBlock >= toBlock || !tooLarge.test(cause instanceof Error ? cause.message : String(cause))) {
      throw new IndexerError('Could not read the Subnet logs.', {
        cause,
        details: `blocks ${fromBlock}-${toBlock}: ${cause instanceof Error ? cause.message : String(cause)}`,
        hint: 'Check that the RPC endpoint is up and serves eth_getLogs.',
      });
    }
    const middle = Math.floor((fromBlock + toBlock) / 2);
    const first = await fetchSubnetLogs({ provider, address, fromBlock, toBlock: middle });
    const second = await fetchSubnetLogs({ provider, address, fromBlock: middle + 1, toBlock });
    return [...first, ...second];
  }
  return logs
    .filter((log) => !log.removed)
    .sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
}
