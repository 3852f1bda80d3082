import { isChainError } from '../../errors/chain.js';
import type { Hex32 } from '../types.js';
import { decodeTesseraCommitment } from './decodeTesseraCommitment.js';
import { encodeTesseraCommitment } from './encodeTesseraCommitment.js';
import { joinCommitmentFields } from './joinCommitmentFields.js';
import { splitCommitmentFields } from './splitCommitmentFields.js';
import type { TesseraRecord } from './types.js';

const digest = `0x${'11'.repeat(32)}` as Hex32;
const modelHash = `0x${'ab'.repeat(31)}cd` as Hex32;
/** A norm bound that is exactly a float32 value. */
const normBound = 1.5;

function fieldsToDecoded(fields: ReturnType<typeof splitCommitmentFields>) {
  return fields.map((field) => {
    const [variant, bytes] = Object.entries(field)[0] as [string, Uint8Array];
    return { variant, bytes };
  });
}

function expectReason(fn: () => unknown, reason: string) {
  try {
    fn();
  } catch (error) {
    expect(isChainError(error) && error.reason).toBe(reason);
    return;
  }
  throw new Error('expected a throw');
}

describe('encodeTesseraCommitment', () => {
  it('encodes an update to the documented fixed bytes', () => {
    const payload = encodeTesseraCommitment({
      records: [{ kind: 'update', window: 0x01020304, digest, modelHash, uri: 'a/b' }],
    });
    const hex = Buffer.from(payload).toString('hex');
    expect(payload.length).toBe(2 + 3 + 68 + 3);
    expect(hex).toBe(
      '5402' + // magic, version
        '01' +
        '4700' + // kind update, body length 71
        '04030201' + // window, little-endian
        '11'.repeat(32) +
        'ab'.repeat(31) +
        'cd' +
        Buffer.from('a/b').toString('hex'),
    );
  });

  it('encodes an aggregate with its norm bound and uid list', () => {
    const payload = encodeTesseraCommitment({
      records: [{ kind: 'aggregate', window: 5, modelHash, normBound, uids: [1, 300], uri: 'x' }],
    });
    const hex = Buffer.from(payload).toString('hex');
    expect(hex).toBe(
      '5402' + // magic, version 2
        '02' +
        '2f00' + // kind aggregate, body length 47
        '05000000' +
        'ab'.repeat(31) +
        'cd' +
        '0000c03f' + // 1.5 as a little-endian float32
        '0200' +
        '0100' +
        '2c01' +
        '78',
    );
  });

  it('encodes a run-config record as its 32-byte hash alone', () => {
    const payload = encodeTesseraCommitment({ records: [{ kind: 'run-config', hash: modelHash }] });
    expect(Buffer.from(payload).toString('hex')).toBe(
      '5402' + // magic, version 2
        '04' +
        '2000' + // kind run-config, body length 32
        'ab'.repeat(31) +
        'cd',
    );
  });

  it('refuses a run-config record whose hash is not 32 bytes, and two in one commitment', () => {
    for (const hash of ['0x12', `0x${'ab'.repeat(33)}`, 'ab'.repeat(32), `0x${'zz'.repeat(32)}`]) {
      expectReason(
        () => encodeTesseraCommitment({ records: [{ kind: 'run-config', hash: hash as Hex32 }] }),
        'invalid-parameter',
      );
    }
    const record = { kind: 'run-config', hash: modelHash } as const;
    expectReason(() => encodeTesseraCommitment({ records: [record, record] }), 'invalid-parameter');
  });

  it('round-trips every kind together, uris of any script included', () => {
    const records: TesseraRecord[] = [
      {
        kind: 'aggregate',
        window: 9,
        modelHash,
        normBound: Math.fround(0.1),
        uids: [0, 2, 65535],
        uri: 's3://bucket/agg/9',
      },
      { kind: 'checkpoint', window: 8, modelHash: digest, uri: 'https://exämple.org/ckpt/8 ✓' },
      { kind: 'update', window: 4294967295, digest, modelHash, uri: 'file:///tmp/u' },
      { kind: 'run-config', hash: digest },
    ];
    const decoded = decodeTesseraCommitment(encodeTesseraCommitment({ records }));
    expect(decoded).toEqual({ ok: true, records });
  });

  it('round-trips random records through the chain fields', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const hex = () =>
      `0x${Array.from({ length: 32 }, () => (next() % 256).toString(16).padStart(2, '0')).join('')}` as Hex32;
    for (let i = 0; i < 200; i++) {
      const uriLength = 1 + (next() % 250);
      const uri = Array.from({ length: uriLength }, () => String.fromCharCode(33 + (next() % 90))).join('');
      const uids = [...new Set(Array.from({ length: next() % 20 }, () => next() % 65536))].sort(
        (a, b) => a - b,
      );
      const records: TesseraRecord[] =
        i % 2 === 0
          ? [{ kind: 'update', window: next(), digest: hex(), modelHash: hex(), uri }]
          : [
              {
                kind: 'aggregate',
                window: next(),
                modelHash: hex(),
                normBound: Math.fround((1 + (next() % 1000)) / 7),
                uids,
                uri: uri.slice(0, 60),
              },
              { kind: 'checkpoint', window: next(), modelHash: hex(), uri: uri.slice(0, 60) },
            ];
      const payload = encodeTesseraCommitment({ records });
      const fields = splitCommitmentFields({ payload, maxFields: 3, maxRawBytes: 128 });
      expect(fields.length).toBe(Math.ceil(payload.length / 128));
      const joined = joinCommitmentFields(fieldsToDecoded(fields));
      expect(joined).toEqual(payload);
      expect(decodeTesseraCommitment(joined as Uint8Array)).toEqual({ ok: true, records });
    }
  });

  it('rejects bad input with invalid-parameter', () => {
    const base = { kind: 'update', window: 1, digest, modelHash, uri: 'u' } as const;
    expectReason(() => encodeTesseraCommitment({ records: [] }), 'invalid-parameter');
    expectReason(() => encodeTesseraCommitment({ records: [{ ...base, window: -1 }] }), 'invalid-parameter');
    expectReason(
      () => encodeTesseraCommitment({ records: [{ ...base, window: 2 ** 32 }] }),
      'invalid-parameter',
    );
    expectReason(() => encodeTesseraCommitment({ records: [{ ...base, window: 1.5 }] }), 'invalid-parameter');
    expectReason(
      () => encodeTesseraCommitment({ records: [{ ...base, digest: '0x12' }] }),
      'invalid-parameter',
    );
    expectReason(() => encodeTesseraCommitment({ records: [{ ...base, uri: '' }] }), 'invalid-parameter');
    expectReason(
      () => encodeTesseraCommitment({ records: [{ ...base, uri: 'a\ud800' }] }),
      'invalid-parameter',
    );
    expectReason(() => encodeTesseraCommitment({ records: [base, base] }), 'invalid-parameter');
    expectReason(
      () =>
        encodeTesseraCommitment({
          records: [{ kind: 'aggregate', window: 1, modelHash, normBound, uids: [2, 2], uri: 'u' }],
        }),
      'invalid-parameter',
    );
    expectReason(
      () =>
        encodeTesseraCommitment({
          records: [{ kind: 'aggregate', window: 1, modelHash, normBound, uids: [70000], uri: 'u' }],
        }),
      'invalid-parameter',
    );
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 0.1, 2 ** 200]) {
      expectReason(
        () =>
          encodeTesseraCommitment({
            records: [{ kind: 'aggregate', window: 1, modelHash, normBound: bad, uids: [], uri: 'u' }],
          }),
        'invalid-parameter',
      );
    }
  });
});

describe('decodeTesseraCommitment', () => {
  const good = encodeTesseraCommitment({
    records: [{ kind: 'update', window: 3, digest, modelHash, uri: 'http://h/u' }],
  });

  it('reports payloads that are not ours or are malformed', () => {
    expect(decodeTesseraCommitment(new TextEncoder().encode('{"model":"x"}'))).toEqual({
      ok: false,
      reason: 'not-tessera',
    });
    expect(decodeTesseraCommitment(new Uint8Array())).toEqual({ ok: false, reason: 'not-tessera' });
    for (const version of [1, 3]) {
      expect(decodeTesseraCommitment(Uint8Array.of(0x54, version))).toEqual({
        ok: false,
        reason: 'unsupported-version',
      });
    }
    for (let cut = 3; cut < good.length; cut++) {
      const result = decodeTesseraCommitment(good.slice(0, cut));
      expect(result.ok).toBe(false);
    }
    const badUtf8 = good.slice();
    badUtf8[badUtf8.length - 1] = 0xff;
    expect(decodeTesseraCommitment(badUtf8)).toEqual({ ok: false, reason: 'bad-uri' });
    const twice = new Uint8Array([...good, ...good.slice(2)]);
    expect(decodeTesseraCommitment(twice)).toEqual({ ok: false, reason: 'duplicate-kind' });
  });

  it('rejects an update whose uri is empty and aggregates with unsorted uids', () => {
    const empty = good.slice(0, 2 + 3 + 68);
    empty[3] = 68;
    expect(decodeTesseraCommitment(empty)).toEqual({ ok: false, reason: 'bad-uri' });
    const aggregate = encodeTesseraCommitment({
      records: [{ kind: 'aggregate', window: 1, modelHash, normBound, uids: [1, 2], uri: 'u' }],
    });
    const swapped = aggregate.slice();
    swapped[2 + 3 + 42] = 2;
    swapped[2 + 3 + 44] = 1;
    expect(decodeTesseraCommitment(swapped)).toEqual({ ok: false, reason: 'bad-uids' });
  });

  it('rejects an aggregate whose norm bound is not a positive finite float32', () => {
    const aggregate = encodeTesseraCommitment({
      records: [{ kind: 'aggregate', window: 1, modelHash, normBound, uids: [1], uri: 'u' }],
    });
    // zero, negative zero, -1.5, +infinity, a NaN
    for (const bits of ['00000000', '00000080', '0000c0bf', '0000807f', '0000c07f']) {
      const bad = aggregate.slice();
      bad.set(Buffer.from(bits, 'hex'), 2 + 3 + 36);
      expect(decodeTesseraCommitment(bad)).toEqual({ ok: false, reason: 'bad-norm-bound' });
    }
    // the smallest subnormal is a norm bound
    const tiny = aggregate.slice();
    tiny.set(Buffer.from('01000000', 'hex'), 2 + 3 + 36);
    const decoded = decodeTesseraCommitment(tiny);
    expect(decoded.ok && decoded.records[0]).toMatchObject({ normBound: 2 ** -149 });
  });

  it('reads a run-config record only with a body of exactly 32 bytes, once', () => {
    const record = Uint8Array.of(4, 32, 0, ...Buffer.from('11'.repeat(32), 'hex'));
    const withRunConfig = new Uint8Array([...good, ...record]);
    const decoded = decodeTesseraCommitment(withRunConfig);
    expect(decoded.ok && decoded.records.at(-1)).toEqual({ kind: 'run-config', hash: digest });
    for (const length of [0, 31, 33, 64]) {
      const body = new Uint8Array(length).fill(0x11);
      const bad = new Uint8Array([...good, 4, length, 0, ...body]);
      expect(decodeTesseraCommitment(bad)).toEqual({ ok: false, reason: 'bad-length' });
    }
    const twice = new Uint8Array([...withRunConfig, ...record]);
    expect(decodeTesseraCommitment(twice)).toEqual({ ok: false, reason: 'duplicate-kind' });
  });

  it('skips records of a kind it does not know', () => {
    const unknown = Uint8Array.of(9, 2, 0, 0xaa, 0xbb);
    const payload = new Uint8Array([...good.slice(0, 2), ...unknown, ...good.slice(2)]);
    const result = decodeTesseraCommitment(payload);
    expect(result.ok && result.records.map((r) => r.kind)).toEqual(['update']);
  });
});

describe('splitCommitmentFields / joinCommitmentFields', () => {
  it('cuts at the raw size and refuses what does not fit', () => {
    const payload = new Uint8Array(300).map((_, i) => i % 251);
    const fields = splitCommitmentFields({ payload, maxFields: 3, maxRawBytes: 128 });
    expect(fields.map((f) => Object.keys(f)[0])).toEqual(['Raw128', 'Raw128', 'Raw44']);
    expectReason(
      () => splitCommitmentFields({ payload: new Uint8Array(385), maxFields: 3, maxRawBytes: 128 }),
      'too-large',
    );
    expectReason(
      () => splitCommitmentFields({ payload: new Uint8Array(0), maxFields: 3, maxRawBytes: 128 }),
      'invalid-parameter',
    );
  });

  it('accepts Raw and BigRaw fields only', () => {
    const a = Uint8Array.of(1, 2);
    expect(
      joinCommitmentFields([
        { variant: 'Raw2', bytes: a },
        { variant: 'BigRaw', bytes: a },
      ]),
    ).toEqual(Uint8Array.of(1, 2, 1, 2));
    expect(joinCommitmentFields([{ variant: 'Sha256', bytes: new Uint8Array(32) }])).toBeUndefined();
    expect(joinCommitmentFields([{ variant: 'Raw3', bytes: a }])).toBeUndefined();
    expect(joinCommitmentFields([])).toBeUndefined();
  });
});
