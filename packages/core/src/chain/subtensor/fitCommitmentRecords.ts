import { encodeTesseraCommitment } from './encodeTesseraCommitment.js';
import type { TesseraRecord } from './types.js';

/** Parameters of {@link fitCommitmentRecords}. */
export type FitCommitmentRecordsParameters = {
  /** The record being published; it replaces the current record of its kind. */
  record: TesseraRecord;
  /** The records the hotkey's commitment holds now. */
  current: readonly TesseraRecord[];
  /** Most payload bytes one commitment holds (`maxFields × maxRawBytes`). */
  maxBytes: number;
};

/** Result of {@link fitCommitmentRecords}. */
export type FitCommitmentRecordsResult = {
  /** The encoded commitment: `record` and the current records of other kinds that fit. */
  payload: Uint8Array;
  /** The current records left out for want of space, in the order they were dropped. */
  dropped: TesseraRecord[];
};

/**
 * Builds the commitment that publishes `record` while keeping the hotkey's records of other
 * kinds (a validator's aggregate beside its checkpoint, the owner's run config hash beside
 * both). When they do not all fit, current records are dropped one at a time, the `run-config`
 * record last: losing it would let roles start with any run config until the owner publishes
 * it again, while an aggregate or checkpoint is replaced by the next one anyway.
 *
 * @returns The payload and what was dropped. A `record` too large on its own is returned
 *   alone; `splitCommitmentFields` then refuses it with `too-large`.
 * @throws NonRetryableChainError `invalid-parameter` when `record` does not encode.
 * @example
 * const { payload, dropped } = fitCommitmentRecords({ record, current, maxBytes: 3 * 128 });
 */
export function fitCommitmentRecords(parameters: FitCommitmentRecordsParameters): FitCommitmentRecordsResult {
  const { record, maxBytes } = parameters;
  const alone = encodeTesseraCommitment({ records: [record] }); // validates the new record on its own first
  const others = parameters.current.filter((r) => r.kind !== record.kind);
  // Dropped from the end, so the run-config record goes first.
  const kept = [
    ...others.filter((r) => r.kind === 'run-config'),
    ...others.filter((r) => r.kind !== 'run-config'),
  ];
  const dropped: TesseraRecord[] = [];
  for (;;) {
    if (kept.length === 0) return { payload: alone, dropped };
    const payload = encodeTesseraCommitment({ records: [record, ...kept] });
    if (payload.length <= maxBytes) return { payload, dropped };
    dropped.push(kept.pop() as TesseraRecord);
  }
}
