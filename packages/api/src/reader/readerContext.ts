import type { Deployment } from '@tessera/contracts';
import type { Redis } from 'ioredis';
import type { IndexKeys } from '../store/indexKeys.js';

/** What every read of the index needs. */
export type ReaderContext = {
  redis: Redis;
  keys: IndexKeys;
  deployment: Deployment;
};
