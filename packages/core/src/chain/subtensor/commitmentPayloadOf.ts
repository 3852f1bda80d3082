import type { Codec } from '@polkadot/types/types';
import { NonRetryableChainError } from '../../errors/chain.js';
import { joinCommitmentFields } from './joinCommitmentFields.js';
import type { CommitmentField } from './joinCommitmentFields.js';

/** A decoded `CommitmentOf` entry: when it was last set, and its joined payload. */
export type CommitmentPayload = {
  /** Block that included the account's latest `set_commitment`. */
  block: number;
  /** The `Raw`/`BigRaw` fields joined, or undefined when the commitment holds other kinds of data. */
  payload: Uint8Array | undefined;
};

type EnumLike = Codec & { type?: unknown; value?: Codec };

/**
 * Reads a `Registration { deposit, block, info: { fields: Vec<Data> } }` value of the
 * commitments pallet, as @polkadot/api decoded it from storage, checking every part's shape.
 *
 * @returns The block and the payload.
 * @throws NonRetryableChainError `bad-response` when the value does not have that shape.
 * @example
 * const { block, payload } = commitmentPayloadOf(registration);
 */
export function commitmentPayloadOf(registration: Codec): CommitmentPayload {
  const value = registration as Codec & { block?: Codec; info?: Codec & { fields?: unknown } };
  const blockText = value.block?.toString();
  if (blockText === undefined || !/^\d+$/.test(blockText) || Number(blockText) > Number.MAX_SAFE_INTEGER) {
    throw badShape('block', blockText);
  }
  const fields = value.info?.fields;
  if (!Array.isArray(fields)) throw badShape('info.fields', typeof fields);
  const decoded: CommitmentField[] = [];
  for (const field of fields as EnumLike[]) {
    if (
      typeof field?.type !== 'string' ||
      field.value === undefined ||
      typeof field.value.toU8a !== 'function'
    ) {
      throw badShape('info.fields[]', String(field));
    }
    decoded.push({ variant: field.type, bytes: field.value.toU8a(true) });
  }
  return { block: Number(blockText), payload: joinCommitmentFields(decoded) };
}

function badShape(part: string, seen: string | undefined): NonRetryableChainError {
  return new NonRetryableChainError('bad-response', 'A commitment from the chain has an unexpected shape.', {
    details: `${part}: ${seen}`,
    hint: 'The commitments pallet changed its types; this version of Tessera does not know them.',
  });
}
