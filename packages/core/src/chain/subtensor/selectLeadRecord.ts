import { selectLeadAggregate } from '../../protocol/selectLeadAggregate.js';
import type { AggregateRecord, CheckpointRecord, CommitmentEntry, ValidatorStanding } from './types.js';

/** Parameters of {@link selectLeadRecord}. */
export type SelectLeadRecordParameters<K extends 'aggregate' | 'checkpoint'> = {
  entries: CommitmentEntry[];
  kind: K;
  /** Standing of every uid at the block the entries were read at. */
  standings: Map<number, ValidatorStanding>;
  /** Keep only records for this window (aggregates). */
  window?: number | undefined;
  /** Ignore records for windows after this one (a checkpoint cannot be from the future). */
  maxWindow?: number | undefined;
  /** Keep only commitments included before this block. */
  beforeBlock?: number | undefined;
};

/** The record the lead validator published, with who and when. */
export type LeadRecord<K extends 'aggregate' | 'checkpoint'> = {
  record: K extends 'aggregate' ? AggregateRecord : CheckpointRecord;
  entry: CommitmentEntry;
};

/**
 * Picks the record of the lead validator: among neurons with a validator permit that
 * published a matching record, the protocol's lead rule ({@link selectLeadAggregate}: the
 * highest stake, the lowest uid on a tie).
 *
 * @returns The lead's record, or undefined when no validator published one.
 * @example
 * const lead = selectLeadRecord({ entries, kind: 'aggregate', window: 12, standings });
 */
export function selectLeadRecord<K extends 'aggregate' | 'checkpoint'>(
  parameters: SelectLeadRecordParameters<K>,
): LeadRecord<K> | undefined {
  const candidates: Array<{ lead: LeadRecord<K>; validatorUid: number; stake: bigint; block: number }> = [];
  for (const entry of parameters.entries) {
    if (entry.uid === undefined) continue;
    const standing = parameters.standings.get(entry.uid);
    if (!standing?.validatorPermit) continue;
    const record = entry.records.find((r) => r.kind === parameters.kind) as
      LeadRecord<K>['record'] | undefined;
    if (!record) continue;
    if (parameters.window !== undefined && record.window !== parameters.window) continue;
    if (parameters.maxWindow !== undefined && record.window > parameters.maxWindow) continue;
    candidates.push({
      lead: { record, entry },
      validatorUid: entry.uid,
      stake: standing.stake,
      block: entry.block,
    });
  }
  return selectLeadAggregate({ candidates, beforeBlock: parameters.beforeBlock })?.lead;
}
