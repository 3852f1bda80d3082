import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { WindowVerdictsError } from '../errors/verdicts.js';
import { parseWindowVerdicts } from './parseWindowVerdicts.js';
import { encodeWindowVerdicts, windowVerdictsUri } from './windowVerdicts.js';
import type { WindowVerdictsBody } from './windowVerdicts.js';

const modelHash = `0x${'ab'.repeat(32)}` as const;
const validator = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' as const;
const body: WindowVerdictsBody = {
  window: 7,
  validator,
  modelHash,
  uids: [1],
  verdicts: [
    { uid: 1, status: 'scored', reason: null, score: 0.75, lossGain: 0.0123, inAggregate: true },
    { uid: 2, status: 'rejected', reason: 'missing:late', score: 0, lossGain: null, inAggregate: false },
  ],
};
const aggregate = { window: 7, uids: [1], modelHash, validator };
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

function reason(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof WindowVerdictsError) return error.reason;
    throw error;
  }
  return undefined;
}

describe('window verdicts file', () => {
  it('round-trips, its digest keccak256 of the canonical body written out by hand', () => {
    const { bytes, digest } = encodeWindowVerdicts(body);
    const canonical =
      '{"format":"tessera-window-verdicts","version":1,"window":7,' +
      `"validator":"${validator}","modelHash":"${modelHash}","uids":[1],"verdicts":[` +
      '{"uid":1,"status":"scored","reason":null,"score":0.75,"lossGain":0.0123,"inAggregate":true},' +
      '{"uid":2,"status":"rejected","reason":"missing:late","score":0,"lossGain":null,"inAggregate":false}]}';
    expect(digest).toBe(`0x${bytesToHex(keccak_256(new TextEncoder().encode(canonical)))}`);
    const parsed = parseWindowVerdicts({ bytes, aggregate });
    expect(parsed.verdicts).toEqual(body.verdicts);
    expect(parsed.digest).toBe(digest);
  });

  it('lies beside the model file', () => {
    expect(windowVerdictsUri('s3://b/models/w00000008-0123456789abcdef.ckpt')).toBe(
      's3://b/models/w00000008-0123456789abcdef.verdicts.json',
    );
    expect(windowVerdictsUri('http://h/x')).toBe('http://h/x.verdicts.json');
  });

  it('refuses a changed score, an extra field, a wrong aggregate and an oversized file', () => {
    const file = JSON.parse(new TextDecoder().decode(encodeWindowVerdicts(body).bytes));
    const tampered = structuredClone(file);
    tampered.verdicts[0].score = 9;
    expect(reason(() => parseWindowVerdicts({ bytes: encode(tampered), aggregate }))).toBe('digest-mismatch');
    expect(reason(() => parseWindowVerdicts({ bytes: encode({ ...file, extra: 1 }), aggregate }))).toBe(
      'malformed',
    );
    const extraInVerdict = structuredClone(file);
    extraInVerdict.verdicts[1].note = 'x';
    expect(reason(() => parseWindowVerdicts({ bytes: encode(extraInVerdict), aggregate }))).toBe('malformed');
    expect(
      reason(() => parseWindowVerdicts({ bytes: encode(file), aggregate: { ...aggregate, window: 8 } })),
    ).toBe('wrong-aggregate');
    expect(
      reason(() => parseWindowVerdicts({ bytes: encode(file), aggregate: { ...aggregate, uids: [1, 2] } })),
    ).toBe('wrong-aggregate');
    expect(reason(() => parseWindowVerdicts({ bytes: encode(file), aggregate, maxBytes: 100 }))).toBe(
      'too-large',
    );
    expect(reason(() => parseWindowVerdicts({ bytes: new TextEncoder().encode('{"a":'), aggregate }))).toBe(
      'malformed',
    );
  });

  it('refuses to write what readers would refuse', () => {
    const rejectedInSet = { ...body, uids: [2] };
    expect(reason(() => encodeWindowVerdicts(rejectedInSet))).toBe('invalid-parameter');
    const badReason = { ...body, verdicts: [{ ...body.verdicts[1]!, reason: 'x"y' }], uids: [] };
    expect(reason(() => encodeWindowVerdicts(badReason))).toBe('invalid-parameter');
  });
});
