import type { Codec } from '@polkadot/types/types';
import { NonRetryableChainError } from '../../errors/chain.js';

/**
 * Checked conversions from the values @polkadot/api decodes out of storage to plain ones.
 * Storage is decoded against the runtime's metadata, so a wrong shape means a runtime this
 * code does not know; each conversion says which item was wrong instead of returning garbage.
 */
export const readCodec = {
  /** An unsigned integer that fits a JS number (u16, u32, block numbers). */
  number(value: Codec | undefined, what: string): number {
    const text = primitive(value, what);
    if (!/^\d+$/.test(text) || Number(text) > Number.MAX_SAFE_INTEGER) throw bad(what, text);
    return Number(text);
  },
  /** An unsigned integer of any size (u64 balances and stake). */
  bigint(value: Codec | undefined, what: string): bigint {
    const text = primitive(value, what);
    if (!/^\d+$/.test(text)) throw bad(what, text);
    return BigInt(text);
  },
  /** A `bool`. */
  boolean(value: Codec | undefined, what: string): boolean {
    const json = value?.toJSON();
    if (typeof json !== 'boolean') throw bad(what, String(json));
    return json;
  },
  /** `Vec<u16>` (incentive, dividends). */
  u16Vector(value: Codec | undefined, what: string): number[] {
    const json = value?.toJSON();
    if (
      !Array.isArray(json) ||
      !json.every((x) => Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 0xffff)
    ) {
      throw bad(what, shortJson(json));
    }
    return json as number[];
  },
  /** `Vec<u64>` (emission per uid). */
  u64Vector(value: Codec | undefined, what: string): bigint[] {
    const items = value as unknown as { toArray?: () => Codec[] } | undefined;
    if (!items || typeof items.toArray !== 'function') throw bad(what, 'not a vector');
    return items.toArray().map((item) => readCodec.bigint(item, what));
  },
  /** `Vec<bool>` (validator permits). */
  boolVector(value: Codec | undefined, what: string): boolean[] {
    const json = value?.toJSON();
    if (!Array.isArray(json) || !json.every((x) => typeof x === 'boolean')) throw bad(what, shortJson(json));
    return json as boolean[];
  },
  /** An `AccountId32`. */
  account(value: Codec | undefined, what: string): Uint8Array {
    const bytes = value?.toU8a(true);
    if (!(bytes instanceof Uint8Array) || bytes.length !== 32) throw bad(what, `${bytes?.length} bytes`);
    return bytes;
  },
  /** The inner value of an `Option<T>` (undefined for None), or `value` itself when it is no Option. */
  unwrapOption(value: Codec): Codec | undefined {
    const option = value as unknown as { isSome?: unknown; unwrap?: () => Codec };
    if (typeof option.isSome !== 'boolean' || typeof option.unwrap !== 'function') return value;
    return option.isSome ? option.unwrap() : undefined;
  },
  /** An `Option<T>`: the inner value, or undefined for None. */
  option(value: Codec | undefined, what: string): Codec | undefined {
    const option = value as unknown as { isSome?: unknown; unwrap?: () => Codec } | undefined;
    if (!option || typeof option.isSome !== 'boolean' || typeof option.unwrap !== 'function')
      throw bad(what, 'not an Option');
    return option.isSome ? option.unwrap() : undefined;
  },
};

function primitive(value: Codec | undefined, what: string): string {
  if (value === undefined || value === null) throw bad(what, 'nothing');
  const option = value as unknown as { isSome?: unknown; unwrap?: () => Codec };
  const inner = option.isSome === true && option.unwrap ? option.unwrap() : value;
  return inner.toString();
}

function shortJson(json: unknown): string {
  const text = JSON.stringify(json) ?? String(json);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function bad(what: string, seen: string): NonRetryableChainError {
  return new NonRetryableChainError('bad-response', `The chain returned an unexpected value for ${what}.`, {
    details: seen,
    hint: 'The runtime changed this storage item; this version of Tessera does not know it.',
  });
}
