import type { Deployment } from '@tessera/contracts';
import type { Redis } from 'ioredis';
import { evmSubnetId } from '@tessera/core';
import type {
  AccountRewards,
  EpochDetail,
  EpochList,
  NeuronDetail,
  NeuronList,
  Subnet,
  Window,
  WindowList,
} from '../schemas/responses.js';
import { indexKeys } from '../store/indexKeys.js';
import type { IndexKeys } from '../store/indexKeys.js';
import { parseCursor } from '../store/parseCursor.js';
import type { IndexCursor } from '../store/records.js';
import { readAccountRewards } from './readAccountRewards.js';
import { readEpoch, readEpochs } from './readEpochs.js';
import { readNeuron, readNeurons } from './readNeurons.js';
import { readReceipt } from './readReceipt.js';
import type { ReadReceiptResult } from './readReceipt.js';
import { readSubnet } from './readSubnet.js';
import { readWindow, readWindows } from './readWindows.js';

type Page = { limit: number; before?: number | undefined };

/** Read-only access to one subnet's index, in the API's response shapes. */
export type IndexReader = {
  readonly keys: IndexKeys;
  cursor(): Promise<IndexCursor | undefined>;
  subnet(parameters: { headBlock: number | null }): Promise<Subnet>;
  neurons(parameters?: { role?: 'miner' | 'validator' | undefined }): Promise<NeuronList>;
  neuron(parameters: { uid: number }): Promise<NeuronDetail | undefined>;
  accountRewards(parameters: { address: string } & Page): Promise<AccountRewards>;
  receipt(parameters: { address: string; epoch: number }): Promise<ReadReceiptResult>;
  epochs(parameters: Page): Promise<EpochList>;
  epoch(parameters: { epoch: number }): Promise<EpochDetail | undefined>;
  windows(parameters: Page): Promise<WindowList>;
  window(parameters: { window: number; indexedBlock: number | null }): Promise<Window>;
};

/**
 * Creates the reader the routes use. It only reads Redis; any number of API processes can
 * share one index.
 *
 * @example
 * const reader = createIndexReader({ redis, deployment });
 * const rewards = await reader.accountRewards({ address, limit: 20 });
 */
export function createIndexReader(parameters: { redis: Redis; deployment: Deployment }): IndexReader {
  const { redis, deployment } = parameters;
  // Validators write window metrics under the chain's subnetId.
  const keys = indexKeys({ subnet: deployment.subnet, subnetId: evmSubnetId(deployment) });
  const context = { redis, keys, deployment };
  return {
    keys,
    cursor: async () => parseCursor(await redis.hgetall(keys.cursor)),
    subnet: (p) => readSubnet({ context, ...p }),
    neurons: (p = {}) => readNeurons({ context, ...p }),
    neuron: (p) => readNeuron({ context, ...p }),
    accountRewards: (p) => readAccountRewards({ context, ...p }),
    receipt: (p) => readReceipt({ context, ...p }),
    epochs: (p) => readEpochs({ context, ...p }),
    epoch: (p) => readEpoch({ context, ...p }),
    windows: (p) => readWindows({ context, ...p }),
    window: (p) => readWindow({ context, ...p }),
  };
}
