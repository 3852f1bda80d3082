import { keccak256 } from 'ethers';
import type { Address } from '../types.js';
import { checkInput } from '../checkInput.js';
import { checkNormBound, float32FromBits, float32ToBits } from '../checkNormBound.js';
import { evmWeightCommitHash } from './evmWeightCommitHash.js';
import { parseAggregate, parseNeuron, parseRevealedWeights } from './parseViews.js';
import type {
  AggregateViewReply,
  AggregateWithPublisher,
  NeuronViewReply,
  RevealedWeightsViewReply,
} from './parseViews.js';
import { selectEvmLeadAggregate as selectLeadAggregate } from './selectEvmLeadAggregate.js';

const A = '0x1111111111111111111111111111111111111111' as Address;
const B = '0x2222222222222222222222222222222222222222' as Address;
const C = '0x3333333333333333333333333333333333333333' as Address;
const H = `0x${'ab'.repeat(32)}`;

const neuronView = (over: Partial<Record<string, unknown>> = {}) =>
  ({
    uid: 3n,
    hotkey: A.toLowerCase(),
    isValidator: true,
    validatorPermit: true,
    stake: 500n,
    consensus: 0n,
    incentive: 250_000_000n,
    dividends: 1_000_000_000n,
    registrationBlock: 12n,
    registrationEpoch: 0n,
    weightsBlock: 0n,
    unclaimed: 0n,
    ...over,
  }) as unknown as NeuronViewReply;

describe('parseNeuron', () => {
  it('converts a NeuronView: checksummed hotkey, numbers, fractions from 1e9', () => {
    expect(parseNeuron(neuronView())).toEqual({
      uid: 3,
      hotkey: A,
      isValidator: true,
      stake: 500n,
      validatorPermit: true,
      incentive: 0.25,
      dividends: 1,
      registeredAt: 12,
    });
  });

  it('rejects malformed fields with bad-response naming them', () => {
    for (const [over, field] of [
      [{ incentive: 1_000_000_001n }, 'neuron.incentive'],
      [{ hotkey: '0x1234' }, 'neuron.hotkey'],
      [{ uid: 70_000n }, 'neuron.uid'],
      [{ stake: -1n }, 'neuron.stake'],
      [{ registrationBlock: 2n ** 60n }, 'neuron.registrationBlock'],
      [{ isValidator: 'yes' }, 'neuron.isValidator'],
    ] as const) {
      expect(() => parseNeuron(neuronView(over))).toThrow(
        expect.objectContaining({ reason: 'bad-response', shortMessage: expect.stringContaining(field) }),
      );
    }
  });
});

describe('parseAggregate', () => {
  const view = (uids: bigint[]) =>
    ({
      window: 7n,
      validator: B,
      validatorUid: 5n,
      aggregateHash: H,
      normBound: 0x3fc0_0000n,
      uids,
      uri: 'u',
      blockNumber: 99n,
    }) as unknown as AggregateViewReply;

  it('keeps uids ascending and the publisher uid', () => {
    expect(parseAggregate(view([1n, 4n]))).toEqual({
      window: 7,
      uids: [1, 4],
      modelHash: H,
      normBound: 1.5,
      uri: 'u',
      validator: B,
      validatorUid: 5,
      block: 99,
    });
  });

  it('rejects uids that are not strictly ascending', () => {
    expect(() => parseAggregate(view([4n, 1n]))).toThrow(expect.objectContaining({ reason: 'bad-response' }));
    expect(() => parseAggregate(view([1n, 1n]))).toThrow(expect.objectContaining({ reason: 'bad-response' }));
  });

  it('reads the norm bound from its float32 bits and refuses bits that are no positive finite float32', () => {
    for (const bits of [0n, 0x8000_0000n, 0xbfc0_0000n, 0x7f80_0000n, 0x7fc0_0000n, 2n ** 32n]) {
      expect(() =>
        parseAggregate({ ...view([1n]), normBound: bits } as unknown as AggregateViewReply),
      ).toThrow(expect.objectContaining({ reason: 'bad-response' }));
    }
    expect(parseAggregate({ ...view([1n]), normBound: 1n } as unknown as AggregateViewReply).normBound).toBe(
      2 ** -149,
    );
  });
});

describe('norm bounds', () => {
  it('accept positive finite float32 values only, and round-trip through their bits', () => {
    for (const good of [1.5, Math.fround(0.1), 2 ** -149, Math.fround(3.4e38)]) {
      expect(checkNormBound(good, 'normBound')).toBe(good);
      expect(float32FromBits(float32ToBits(good))).toBe(good);
    }
    expect(float32ToBits(1.5)).toBe(0x3fc0_0000);
    for (const bad of [0, -0, -1, 0.1, Number.NaN, Number.POSITIVE_INFINITY, 1e39, '1.5', undefined]) {
      expect(() => checkNormBound(bad, 'normBound')).toThrow(
        expect.objectContaining({ reason: 'invalid-parameter' }),
      );
    }
  });
});

describe('parseRevealedWeights', () => {
  const reply = (uids: bigint[], weights: bigint[]) =>
    ({
      uid: 2n,
      hotkey: A.toLowerCase(),
      stake: 10n,
      registrationBlock: 1n,
      commitBlock: 5n,
      revealBlock: 25n,
      uids,
      weights,
    }) as unknown as RevealedWeightsViewReply;

  it('normalizes the revealed weights to sum 1', () => {
    expect(parseRevealedWeights(reply([1n, 4n], [1n, 3n]))).toEqual({
      validatorUid: 2,
      validator: A,
      uids: [1, 4],
      weights: [0.25, 0.75],
    });
  });

  it('refuses weights that do not match their uids', () => {
    expect(() => parseRevealedWeights(reply([1n, 4n], [1n]))).toThrow(
      expect.objectContaining({ reason: 'bad-response' }),
    );
    expect(() => parseRevealedWeights(reply([4n, 1n], [1n, 1n]))).toThrow(
      expect.objectContaining({ reason: 'bad-response' }),
    );
  });
});

describe('evmWeightCommitHash', () => {
  const salt = `0x${'5a'.repeat(32)}`;
  it('hashes the ABI encoding of (validator, epoch, uids, weights, salt)', () => {
    // keccak256(abi.encode(address 0x1111…11, uint64 7, uint16[] [3, 5], uint16[] [65535, 100], bytes32 0x5a…5a)),
    // written out by hand: the head (five words, the arrays at offsets 0xa0 and 0x100), then each array.
    const word = (hex: string) => hex.padStart(64, '0');
    const encoded =
      '0x' +
      word(A.slice(2).toLowerCase()) +
      word('7') +
      word('a0') +
      word('100') +
      '5a'.repeat(32) +
      word('2') +
      word('3') +
      word('5') +
      word('2') +
      word('ffff') +
      word('64');
    expect(evmWeightCommitHash({ validator: A, epoch: 7, uids: [3, 5], weights: [65_535, 100], salt })).toBe(
      keccak256(encoded),
    );
  });

  it('depends on every field and refuses values out of range', () => {
    const base = { validator: A, epoch: 7, uids: [3, 5], weights: [65_535, 100], salt };
    const hash = evmWeightCommitHash(base);
    for (const change of [
      { validator: B },
      { epoch: 8 },
      { uids: [5, 3] },
      { weights: [65_535, 101] },
      { salt: `0x${'5b'.repeat(32)}` },
    ])
      expect(evmWeightCommitHash({ ...base, ...change })).not.toBe(hash);
    for (const bad of [
      { validator: '0x12' },
      { epoch: -1 },
      { uids: [70_000] },
      { weights: [1.5] },
      { salt: '0x12' },
    ])
      expect(() => evmWeightCommitHash({ ...base, ...bad })).toThrow(
        expect.objectContaining({ reason: 'invalid-parameter' }),
      );
  });
});

describe('selectLeadAggregate', () => {
  const aggregate = (validator: Address, validatorUid: number, block: number): AggregateWithPublisher => ({
    window: 1,
    uids: [],
    modelHash: H as `0x${string}`,
    normBound: 1,
    uri: '',
    validator,
    validatorUid,
    block,
  });

  it('picks the highest stake, then the lowest uid, whatever the publication order', () => {
    const stakes = new Map([
      [A, 100n],
      [B, 300n],
      [C, 300n],
    ]);
    const list = [aggregate(A, 1, 10), aggregate(C, 9, 11), aggregate(B, 4, 12)];
    expect(selectLeadAggregate({ aggregates: list, stakes })?.validator).toBe(B);
    expect(selectLeadAggregate({ aggregates: [...list].reverse(), stakes })?.validator).toBe(B);
  });

  it('counts a publisher that is no longer a validator as stake 0, and drops late ones', () => {
    const stakes = new Map([[A, 1n]]);
    expect(
      selectLeadAggregate({ aggregates: [aggregate(B, 0, 10), aggregate(A, 7, 11)], stakes })?.validator,
    ).toBe(A);
    expect(
      selectLeadAggregate({ aggregates: [aggregate(A, 7, 20)], stakes, beforeBlock: 20 }),
    ).toBeUndefined();
    expect(selectLeadAggregate({ aggregates: [], stakes })).toBeUndefined();
  });
});

describe('checkInput', () => {
  it('sorts distinct uids and refuses duplicates and out-of-range values', () => {
    expect(checkInput.uids([5, 0, 3], 'uids')).toEqual([0, 3, 5]);
    expect(() => checkInput.uids([1, 1], 'uids')).toThrow(
      expect.objectContaining({ reason: 'invalid-parameter' }),
    );
    expect(() => checkInput.uids([65_536], 'uids')).toThrow(
      expect.objectContaining({ reason: 'invalid-parameter' }),
    );
    expect(() => checkInput.amount(0n, 'amount')).toThrow(
      expect.objectContaining({ reason: 'invalid-parameter' }),
    );
    expect(() => checkInput.uri('é'.repeat(3), 'uri', 5, false)).toThrow(
      expect.objectContaining({ reason: 'invalid-parameter' }),
    );
    expect(checkInput.uri('', 'uri', 5, true)).toBe('');
  });
});
