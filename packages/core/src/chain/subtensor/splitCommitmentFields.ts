import { NonRetryableChainError } from '../../errors/chain.js';

/** Parameters of {@link splitCommitmentFields}. */
export type SplitCommitmentFieldsParameters = {
  payload: Uint8Array;
  /** The commitments pallet's `MaxFields` (3 on Bittensor). */
  maxFields: number;
  /** Largest `RawN` variant of the pallet's `Data` (128 on Bittensor). */
  maxRawBytes: number;
};

/** One `Data` field as @polkadot/api accepts it: `{ Raw70: bytes }`. */
export type RawCommitmentField = Record<`Raw${number}`, Uint8Array>;

/**
 * Cuts a commitment payload into the pallet's `Raw` fields, in order, each at most
 * `maxRawBytes` long: the chain stores `Raw0`..`Raw128` variants, so a payload of up to
 * `maxFields × maxRawBytes` bytes (384 on Bittensor) fits in one commitment.
 *
 * @returns The fields to put in `CommitmentInfo.fields`.
 * @throws NonRetryableChainError `too-large` when the payload does not fit.
 * @example
 * const fields = splitCommitmentFields({ payload, maxFields: 3, maxRawBytes: 128 });
 * api.tx.commitments.setCommitment(netuid, { fields });
 */
export function splitCommitmentFields(parameters: SplitCommitmentFieldsParameters): RawCommitmentField[] {
  const { payload, maxFields, maxRawBytes } = parameters;
  if (!Number.isInteger(maxFields) || maxFields < 1 || !Number.isInteger(maxRawBytes) || maxRawBytes < 1) {
    throw new NonRetryableChainError(
      'invalid-parameter',
      'maxFields and maxRawBytes must be positive integers.',
      {
        details: `maxFields=${maxFields} maxRawBytes=${maxRawBytes}`,
      },
    );
  }
  if (payload.length === 0)
    throw new NonRetryableChainError('invalid-parameter', 'The commitment payload is empty.');
  const capacity = maxFields * maxRawBytes;
  if (payload.length > capacity) {
    throw new NonRetryableChainError(
      'too-large',
      'The commitment does not fit in the chain’s commitment fields.',
      {
        details: `${payload.length} > ${maxFields} fields × ${maxRawBytes} bytes = ${capacity} bytes`,
        hint: 'Use a shorter uri.',
      },
    );
  }
  const fields: RawCommitmentField[] = [];
  for (let offset = 0; offset < payload.length; offset += maxRawBytes) {
    const chunk = payload.slice(offset, offset + maxRawBytes);
    fields.push({ [`Raw${chunk.length}`]: chunk } as RawCommitmentField);
  }
  return fields;
}
