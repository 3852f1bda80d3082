import { windowMetricsKey } from '@tessera/core';

/** Version of the Redis layout below; an index written in another version is refused. */
export const indexFormatVersion = 2;

/** Every Redis key of one subnet's index; see docs/api.md ("Redis layout"). */
export type IndexKeys = {
  /** `tessera:<subnet>:`, the subnet contract's address in lower case. */
  prefix: string;
  /** Hash: `block`, `hash` of the last fully indexed block, `updatedAt` (ms). */
  cursor: string;
  /** Hash: `version`, `subnet`, `chainId`, `deployBlock`. */
  meta: string;
  /** Hash of decimal strings and integers: minted, claimed, staked, burned, minerTotal, validatorTotal, ownerTotal, nextEpoch, uidCount, miners, validators, events. */
  totals: string;
  /** Hash: uid → NeuronRecord JSON. */
  neurons: string;
  /** Hash: lower-case hotkey → uid. */
  hotkeys: string;
  /** Hash: validator uid → PoolRecord JSON. */
  pools: string;
  /** Hash: validator uid → BondsRecord JSON (kept when the uid is freed, as the contract keeps them). */
  bonds: string;
  /** Hash: validator uid → WeightsRecord JSON, the uid's weight commit for `epoch` and its reveal. */
  epochWeights(epoch: number): string;
  /** Set: lower-case accounts staked on a validator. */
  stakers(validatorUid: number): string;
  /** Hash: `credited`, `claimed`, `earned:<kind>`, `position:<validatorUid>` (PositionRecord JSON). */
  account(address: string): string;
  /** Sorted set: epochs the account was paid in (score and member = epoch). */
  accountEpochs(address: string): string;
  /** Hash: epoch → AccountEpochRecord JSON. */
  accountPayouts(address: string): string;
  /** Sorted set: ClaimRecord JSON scored by block. */
  accountClaims(address: string): string;
  /** Sorted set: settled epochs (score and member = epoch). */
  epochs: string;
  /** Hash: epoch → EpochSummaryRecord JSON. */
  epochSummaries: string;
  /** String: EpochRecord JSON. */
  epoch(epoch: number): string;
  /** Sorted set: windows with a commitment, aggregate or checkpoint. */
  windows: string;
  /** Hash: window → WindowSummary JSON. */
  windowSummaries: string;
  /** Hash: `commit:<uid>`, `aggregate:<validatorUid>`, `checkpoint:<validatorUid>` → record JSON. */
  window(window: number): string;
  /**
   * Hash written by the validator, not the indexer: `heldOutLoss` (and any other numeric
   * fields) measured for a window. Read-only for the API.
   */
  windowMetrics(window: number): string;
};

/**
 * The Redis keys of one subnet's index. Every key starts with `tessera:<subnet>:` so several
 * subnets can share a Redis.
 *
 * @param parameters.subnet The Subnet contract's address (any case).
 * @param parameters.subnetId The chain's `subnetId` (`evm:<chainId>:<address>`), under which
 *   validators write window metrics. @default `subnet`
 * @example
 * const keys = indexKeys({ subnet: deployment.subnet });
 * await redis.hgetall(keys.cursor);
 */
export function indexKeys(parameters: { subnet: string; subnetId?: string | undefined }): IndexKeys {
  const p = `tessera:${parameters.subnet.toLowerCase()}:`;
  return {
    prefix: p,
    cursor: `${p}index:cursor`,
    meta: `${p}index:meta`,
    totals: `${p}totals`,
    neurons: `${p}neurons`,
    hotkeys: `${p}hotkeys`,
    pools: `${p}pools`,
    bonds: `${p}bonds`,
    epochWeights: (e) => `${p}epoch:${e}:weights`,
    stakers: (uid) => `${p}stakers:${uid}`,
    account: (a) => `${p}account:${a.toLowerCase()}`,
    accountEpochs: (a) => `${p}account:${a.toLowerCase()}:epochs`,
    accountPayouts: (a) => `${p}account:${a.toLowerCase()}:payouts`,
    accountClaims: (a) => `${p}account:${a.toLowerCase()}:claims`,
    epochs: `${p}epochs`,
    epochSummaries: `${p}epoch-summaries`,
    epoch: (e) => `${p}epoch:${e}`,
    windows: `${p}windows`,
    windowSummaries: `${p}window-summaries`,
    window: (w) => `${p}window:${w}`,
    windowMetrics: (window) => windowMetricsKey({ subnet: parameters.subnetId ?? parameters.subnet, window }),
  };
}
