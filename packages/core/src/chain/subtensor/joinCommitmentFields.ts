/** One decoded `Data` field of a commitment: its variant name and its bytes. */
export type CommitmentField = { variant: string; bytes: Uint8Array };

/**
 * Joins a commitment's `Raw`/`BigRaw` fields back into one payload, in order.
 *
 * @returns The payload, or undefined when the commitment holds another kind of field (a hash,
 *   a timelocked blob, a reset flag) or nothing: it was not written by Tessera.
 * @example
 * const payload = joinCommitmentFields([{ variant: 'Raw128', bytes: a }, { variant: 'Raw12', bytes: b }]);
 */
export function joinCommitmentFields(fields: CommitmentField[]): Uint8Array | undefined {
  if (fields.length === 0) return undefined;
  let length = 0;
  for (const field of fields) {
    const raw = /^Raw(\d+)$/.exec(field.variant);
    if (raw) {
      if (Number(raw[1]) !== field.bytes.length) return undefined;
    } else if (field.variant !== 'BigRaw') {
      return undefined;
    }
    length += field.bytes.length;
  }
  const payload = new Uint8Array(length);
  let offset = 0;
  for (const field of fields) {
    payload.set(field.bytes, offset);
    offset += field.bytes.length;
  }
  return payload;
}
