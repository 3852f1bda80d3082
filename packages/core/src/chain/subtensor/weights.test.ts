import { TypeRegistry } from '@polkadot/types';
import { blake2AsHex } from '@polkadot/util-crypto';
import { isChainError } from '../../errors/chain.js';
import { toU16Weights } from '../toU16Weights.js';
import { weightCommitHash } from './weightCommitHash.js';
import { weightRevealBlocks } from './weightRevealBlocks.js';

function reasonOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isChainError(error) ? error.reason : 'not a ChainError';
  }
  return undefined;
}

describe('toU16Weights', () => {
  it('max-upscales to 65535, sorts by uid and drops zeros', () => {
    expect(toU16Weights({ uids: [3, 1, 7], weights: [0.25, 0.75, 0] })).toEqual({
      uids: [1, 3],
      values: [65535, 21845],
    });
    expect(toU16Weights({ uids: [0], weights: [1e-9] })).toEqual({ uids: [0], values: [65535] });
  });

  it('keeps the ratios within rounding', () => {
    const weights = [0.1, 0.2, 0.3, 0.4];
    const { values } = toU16Weights({ uids: [0, 1, 2, 3], weights });
    values.forEach((value, i) =>
      expect(Math.abs(value / 65535 - (weights[i] as number) / 0.4)).toBeLessThanOrEqual(0.5 / 65535),
    );
  });

  it('drops weights too small to survive rounding', () => {
    expect(toU16Weights({ uids: [0, 1], weights: [1, 1e-6] })).toEqual({ uids: [0], values: [65535] });
  });

  it('refuses bad input', () => {
    expect(reasonOf(() => toU16Weights({ uids: [0, 1], weights: [1] }))).toBe('invalid-parameter');
    expect(reasonOf(() => toU16Weights({ uids: [0, 0], weights: [1, 1] }))).toBe('invalid-parameter');
    expect(reasonOf(() => toU16Weights({ uids: [65536], weights: [1] }))).toBe('invalid-parameter');
    expect(reasonOf(() => toU16Weights({ uids: [-1], weights: [1] }))).toBe('invalid-parameter');
    expect(reasonOf(() => toU16Weights({ uids: [0], weights: [Number.NaN] }))).toBe('invalid-parameter');
    expect(reasonOf(() => toU16Weights({ uids: [0], weights: [-0.1] }))).toBe('invalid-parameter');
    expect(reasonOf(() => toU16Weights({ uids: [0, 1], weights: [0, 0] }))).toBe('invalid-parameter');
    expect(reasonOf(() => toU16Weights({ uids: [], weights: [] }))).toBe('invalid-parameter');
  });
});

describe('weightCommitHash', () => {
  const account = Uint8Array.from({ length: 32 }, (_, i) => i);
  const registry = new TypeRegistry();

  /** The same hash through @polkadot/types' SCALE codec, an implementation independent of ours. */
  function reference(p: {
    netuid: number;
    uids: number[];
    values: number[];
    salt: number[];
    versionKey: bigint;
  }) {
    const encoded = registry
      .createType('(AccountId32, u16, Vec<u16>, Vec<u16>, Vec<u16>, u64)', [
        account,
        p.netuid,
        p.uids,
        p.values,
        p.salt,
        p.versionKey,
      ])
      .toU8a();
    return blake2AsHex(encoded, 256);
  }

  it('matches a fixed vector', () => {
    const hash = weightCommitHash({
      account,
      netuid: 1,
      uids: [0, 1],
      values: [65535, 32768],
      salt: [1, 2, 3, 4, 5, 6, 7, 8],
      versionKey: 0n,
    });
    expect(hash).toBe(
      reference({
        netuid: 1,
        uids: [0, 1],
        values: [65535, 32768],
        salt: [1, 2, 3, 4, 5, 6, 7, 8],
        versionKey: 0n,
      }),
    );
    expect(hash).toBe('0x33d57b49e2e029ee6198aabfd94e80367a9689cba22a5f552818e8af3a120df9');
  });

  it('agrees with the SCALE codec on random inputs, long lists included', () => {
    let seed = 3;
    const next = (mod: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % mod;
    for (let i = 0; i < 14; i++) {
      const n = [0, 1, 63, 64, 300, 16384, 2][i % 7] as number;
      const uids = Array.from({ length: n }, () => next(65536));
      const values = Array.from({ length: n }, () => next(65536));
      const salt = Array.from({ length: 8 }, () => next(65536));
      const versionKey = BigInt(next(2 ** 31)) * 2n ** 32n + BigInt(next(2 ** 31));
      const netuid = next(65536);
      expect(weightCommitHash({ account, netuid, uids, values, salt, versionKey })).toBe(
        reference({ netuid, uids, values, salt, versionKey }),
      );
    }
  });

  it('changes with every input', () => {
    const base = { account, netuid: 2, uids: [1], values: [65535], salt: [9], versionKey: 1n };
    const hash = weightCommitHash(base);
    expect(weightCommitHash({ ...base, salt: [10] })).not.toBe(hash);
    expect(weightCommitHash({ ...base, netuid: 3 })).not.toBe(hash);
    expect(weightCommitHash({ ...base, versionKey: 2n })).not.toBe(hash);
    expect(weightCommitHash({ ...base, account: new Uint8Array(32) })).not.toBe(hash);
  });

  it('refuses values that are not u16, a bad account or version key', () => {
    const base = { account, netuid: 2, uids: [1], values: [65535], salt: [9], versionKey: 1n };
    expect(reasonOf(() => weightCommitHash({ ...base, values: [65536] }))).toBe('invalid-parameter');
    expect(reasonOf(() => weightCommitHash({ ...base, account: new Uint8Array(20) }))).toBe(
      'invalid-parameter',
    );
    expect(reasonOf(() => weightCommitHash({ ...base, versionKey: 1n << 64n }))).toBe('invalid-parameter');
    expect(reasonOf(() => weightCommitHash({ ...base, netuid: -1 }))).toBe('invalid-parameter');
  });
});

describe('weightRevealBlocks', () => {
  it('opens the reveal one subnet epoch after the commit, offset by the netuid', () => {
    // tempo 10: epochs are 11 blocks; netuid 1 shifts them by 2, so epoch 2 is blocks 20..30.
    expect(weightRevealBlocks({ netuid: 1, tempo: 10, revealPeriod: 1, commitBlock: 25 })).toEqual({
      first: 31,
      last: 41,
    });
    expect(weightRevealBlocks({ netuid: 1, tempo: 10, revealPeriod: 1, commitBlock: 20 })).toEqual({
      first: 31,
      last: 41,
    });
    expect(weightRevealBlocks({ netuid: 1, tempo: 10, revealPeriod: 1, commitBlock: 19 })).toEqual({
      first: 20,
      last: 30,
    });
    expect(weightRevealBlocks({ netuid: 1, tempo: 10, revealPeriod: 2, commitBlock: 25 })).toEqual({
      first: 42,
      last: 52,
    });
    expect(weightRevealBlocks({ netuid: 0, tempo: 360, revealPeriod: 1, commitBlock: 0 })).toEqual({
      first: 360,
      last: 720,
    });
  });

  it('puts every block of the reveal range in the epoch after the commit’s', () => {
    const epoch = (b: number, netuid: number, tempo: number) => Math.floor((b + netuid + 1) / (tempo + 1));
    for (const [netuid, tempo, commitBlock] of [
      [3, 99, 1234],
      [18, 360, 5_000_000],
      [0, 1, 7],
    ] as const) {
      const { first, last } = weightRevealBlocks({ netuid, tempo, revealPeriod: 1, commitBlock });
      expect(epoch(first, netuid, tempo)).toBe(epoch(commitBlock, netuid, tempo) + 1);
      expect(epoch(last, netuid, tempo)).toBe(epoch(commitBlock, netuid, tempo) + 1);
      expect(epoch(first - 1, netuid, tempo)).toBe(epoch(commitBlock, netuid, tempo));
      expect(epoch(last + 1, netuid, tempo)).toBe(epoch(commitBlock, netuid, tempo) + 2);
    }
  });
});
