import { TypeRegistry } from '@polkadot/types';
import { isChainError } from '../../errors/chain.js';
import type { Hex32 } from '../types.js';
import { commitmentPayloadOf } from './commitmentPayloadOf.js';
import { decodeTesseraCommitment } from './decodeTesseraCommitment.js';
import { encodeTesseraCommitment } from './encodeTesseraCommitment.js';
import { splitCommitmentFields } from './splitCommitmentFields.js';

/**
 * A registry with the commitments pallet's storage types as its metadata describes them:
 * `Data` is an enum whose variant `RawN` has index N + 1 and holds `[u8; N]`, so the SCALE
 * bytes equal the pallet's hand-written encoding (a length-plus-one byte, then the bytes).
 */
function commitmentsRegistry(): TypeRegistry {
  const registry = new TypeRegistry();
  const data: Record<string, string> = { None: 'Null' };
  for (let n = 0; n <= 128; n++) data[`Raw${n}`] = `[u8; ${n}]`;
  Object.assign(data, {
    BlakeTwo256: '[u8; 32]',
    Sha256: '[u8; 32]',
    Keccak256: '[u8; 32]',
    ShaThree256: '[u8; 32]',
  });
  registry.register({
    TestData: { _enum: data },
    TestCommitmentInfo: { fields: 'Vec<TestData>' },
    TestRegistration: { deposit: 'u64', block: 'u32', info: 'TestCommitmentInfo' },
  });
  return registry;
}

/** The storage bytes the pallet writes, built by hand from its documented layout. */
function palletBytes(block: number, fields: Uint8Array[]): Uint8Array {
  const out: number[] = [...new Uint8Array(8)]; // deposit 0
  out.push(block & 0xff, (block >> 8) & 0xff, (block >> 16) & 0xff, block >>> 24);
  out.push(fields.length << 2); // compact length, fewer than 64 fields
  for (const field of fields) out.push(field.length + 1, ...field);
  return Uint8Array.from(out);
}

const digest = `0x${'0f'.repeat(32)}` as Hex32;
const modelHash = `0x${'f0'.repeat(32)}` as Hex32;

describe('commitmentPayloadOf', () => {
  const registry = commitmentsRegistry();

  it('reads a Tessera commitment out of the bytes the pallet stores', () => {
    const records = [
      {
        kind: 'update' as const,
        window: 77,
        digest,
        modelHash,
        uri: `https://store.example/${'x'.repeat(150)}`,
      },
    ];
    const payload = encodeTesseraCommitment({ records });
    const chunks = splitCommitmentFields({ payload, maxFields: 3, maxRawBytes: 128 }).map(
      (f) => Object.values(f)[0] as Uint8Array,
    );
    expect(chunks.length).toBe(2);
    const stored = registry.createType('TestRegistration', palletBytes(123_456, chunks));
    const { block, payload: joined } = commitmentPayloadOf(stored);
    expect(block).toBe(123_456);
    expect(joined).toEqual(payload);
    expect(decodeTesseraCommitment(joined as Uint8Array)).toEqual({ ok: true, records });
  });

  it('encodes fields the way the pallet stores them', () => {
    const payload = encodeTesseraCommitment({
      records: [{ kind: 'checkpoint', window: 1, modelHash, uri: 'u' }],
    });
    const fields = splitCommitmentFields({ payload, maxFields: 3, maxRawBytes: 128 });
    const info = registry.createType('TestCommitmentInfo', { fields });
    expect(info.toU8a()).toEqual(palletBytes(0, [payload]).slice(12));
  });

  it('reports commitments of other kinds as no payload', () => {
    const other = registry.createType('TestRegistration', {
      deposit: 0,
      block: 5,
      info: { fields: [{ Sha256: new Uint8Array(32) }] },
    });
    expect(commitmentPayloadOf(other)).toEqual({ block: 5, payload: undefined });
    const empty = registry.createType('TestRegistration', { deposit: 0, block: 6, info: { fields: [] } });
    expect(commitmentPayloadOf(empty)).toEqual({ block: 6, payload: undefined });
  });

  it('throws bad-response on a value of another shape', () => {
    const wrong = registry.createType('(u64, u32)', [1, 2]);
    try {
      commitmentPayloadOf(wrong);
      throw new Error('expected a throw');
    } catch (error) {
      expect(isChainError(error) && error.reason).toBe('bad-response');
    }
  });
});
