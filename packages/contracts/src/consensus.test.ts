import {
  BOND_ONE,
  CONSENSUS_ONE,
  settleEpochReference,
  validatorPermits,
  weightedMedian,
  yumaConsensus,
} from './consensus.js';
import type { EpochState } from './consensus.js';

const TOKEN = 10n ** 18n;

describe('weightedMedian', () => {
  it('returns the stake-weighted median at kappa 0.5', () => {
    // supporters of 3: stake 1 (1/3 < 1/2); of 2: stake 2 (2/3 ≥ 1/2)
    expect(weightedMedian({ values: [3n, 1n, 2n], stakes: [1n, 1n, 1n], threshold: 5000n * 3n })).toBe(2n);
  });

  it('lets a stake majority set the value alone', () => {
    expect(weightedMedian({ values: [9n, 1n, 1n], stakes: [6n, 2n, 2n], threshold: 5000n * 10n })).toBe(9n);
  });

  it('accepts exactly half the stake (≥, not >)', () => {
    expect(weightedMedian({ values: [7n, 0n], stakes: [1n, 1n], threshold: 5000n * 2n })).toBe(7n);
  });

  it('is zero when no value is supported or all are zero', () => {
    expect(weightedMedian({ values: [0n, 0n], stakes: [1n, 1n], threshold: 5000n * 2n })).toBe(0n);
    expect(weightedMedian({ values: [5n, 0n, 0n], stakes: [1n, 1n, 1n], threshold: 5000n * 3n })).toBe(0n);
  });

  it('follows kappa: a higher kappa needs wider support', () => {
    const input = { values: [9n, 5n, 1n], stakes: [1n, 1n, 1n] };
    expect(weightedMedian({ ...input, threshold: 3000n * 3n })).toBe(9n);
    expect(weightedMedian({ ...input, threshold: 4000n * 3n })).toBe(5n);
    expect(weightedMedian({ ...input, threshold: 9000n * 3n })).toBe(1n);
  });
});

describe('yumaConsensus', () => {
  // A: stake 3, weights [1, 1]; B: stake 1, weights [1, 0]; two miners, no previous bonds.
  const input = {
    kappaBps: 5000,
    bondsAlphaBps: 1000,
    isMiner: [true, true],
    freshColumn: [true, true],
    validators: [
      { stake: 3n, weights: [1, 1], bonds: [0, 0] },
      { stake: 1n, weights: [1, 0], bonds: [0, 0] },
    ],
  };

  it('clips weights to the consensus and ranks miners by supported weight', () => {
    const out = yumaConsensus(input);
    expect(out.normStake).toEqual([750_000_000n, 250_000_000n]);
    // column 0: B alone (1/4 of stake) cannot lift it above A's 0.5
    expect(out.consensus).toEqual([500_000_000n, 500_000_000n]);
    expect(out.rank).toEqual([
      750_000_000n * 500_000_000n + 250_000_000n * 500_000_000n,
      750_000_000n * 500_000_000n,
    ]);
    expect(out.rankTotal).toBe(875_000_000_000_000_000n);
  });

  it('normalizes new bonds per column to u16 and pays dividends by bond × rank', () => {
    const out = yumaConsensus(input);
    expect(out.bonds).toEqual([
      [49_151, 65_535],
      [16_383, 0],
    ]);
    expect(out.dividend).toEqual([
      49_151n * 500_000_000_000_000_000n + 65_535n * 375_000_000_000_000_000n,
      16_383n * 500_000_000_000_000_000n,
    ]);
  });

  it('keeps previous bonds in the moving average unless the column is fresh', () => {
    const withHistory = {
      ...input,
      freshColumn: [false, false],
      validators: [
        { ...input.validators[0]!, bonds: [0, 0] },
        { ...input.validators[1]!, bonds: [65_535, 65_535] },
      ],
    };
    const out = yumaConsensus(withHistory);
    // column 0: E_A = 1000·0.75e9·65535, E_B = 1000·0.25e9·65535 + 9000·65535·1e9
    const eA = 1000n * 750_000_000n * BOND_ONE;
    const eB = 1000n * 250_000_000n * BOND_ONE + 9000n * BOND_ONE * CONSENSUS_ONE;
    expect(out.bonds[0]![0]).toBe(Number((eA * BOND_ONE) / (eA + eB)));
    expect(out.bonds[1]![0]).toBe(Number((eB * BOND_ONE) / (eA + eB)));
  });

  it('refuses a validator whose weights sum to zero', () => {
    expect(() =>
      yumaConsensus({ ...input, validators: [{ stake: 1n, weights: [0, 0], bonds: [0, 0] }] }),
    ).toThrow(RangeError);
  });
});

describe('validatorPermits', () => {
  it('takes the largest stakes above the minimum, ties to the lower uid', () => {
    const validators = [
      { uid: 4, stake: 10n },
      { uid: 2, stake: 10n },
      { uid: 7, stake: 30n },
      { uid: 1, stake: 1n },
    ];
    expect(validatorPermits({ validators, minValidatorStake: 2n, maxValidatorPermits: 2 })).toEqual([2, 7]);
    expect(validatorPermits({ validators, minValidatorStake: 2n, maxValidatorPermits: 10 })).toEqual([
      2, 4, 7,
    ]);
  });
});

describe('settleEpochReference', () => {
  const params = {
    kappaBps: 5000,
    bondsAlphaBps: 1000,
    validatorTakeBps: 1800,
    maxValidatorPermits: 16,
    minValidatorStake: TOKEN,
    activityCutoff: 100,
    emissionPerEpoch: 1000n * TOKEN,
  };
  // uids 0, 1 miners; 2, 3 validators
  const state: EpochState = {
    epoch: 0,
    endBlock: 50,
    params,
    neurons: [
      { kind: 'miner', registrationBlock: 1, registrationEpoch: 0 },
      { kind: 'miner', registrationBlock: 2, registrationEpoch: 0 },
      { kind: 'validator', registrationBlock: 3, registrationEpoch: 0 },
      { kind: 'validator', registrationBlock: 4, registrationEpoch: 0 },
    ],
    validators: [
      {
        uid: 2,
        stake: 3n * TOKEN,
        weightsBlock: 10,
        weights: [1, 1, 0, 0],
        bonds: [0, 0, 0, 0],
        bondsStamp: 0,
      },
      {
        uid: 3,
        stake: 1n * TOKEN,
        weightsBlock: 10,
        weights: [1, 0, 0, 0],
        bonds: [0, 0, 0, 0],
        bondsStamp: 0,
      },
    ],
  };

  it('splits the emission 41 / 41 / 18 with every remainder to the owner', () => {
    const result = settleEpochReference(state);
    expect(result.active).toEqual([2, 3]);
    expect(result.minted).toBe(1000n * TOKEN);
    expect(result.miners.map((m) => m.amount)).toEqual([
      234_285_714_285_714_285_714n,
      175_714_285_714_285_714_285n,
    ]);
    expect(result.minerTotal).toBe(410n * TOKEN - 1n);
    expect(result.validatorTotal).toBeLessThanOrEqual(410n * TOKEN);
    expect(result.ownerTotal).toBe(
      180n * TOKEN + (410n * TOKEN - result.minerTotal) + (410n * TOKEN - result.validatorTotal),
    );
    expect(result.minted).toBe(result.minerTotal + result.validatorTotal + result.ownerTotal);
    for (const v of result.validators) expect(v.take).toBe((v.amount * 1800n) / 10_000n);
  });

  it('mints nothing without an active validator', () => {
    const stale = { ...state, endBlock: 500 }; // weights at block 10, cutoff 100
    const result = settleEpochReference(stale);
    expect(result.active).toEqual([]);
    expect(result.minted).toBe(0n);
    expect(result.ownerTotal).toBe(0n);
  });

  it('drops weights set before a miner registered', () => {
    const reRegistered = {
      ...state,
      neurons: [
        state.neurons[0]!,
        { kind: 'miner' as const, registrationBlock: 20, registrationEpoch: 0 },
        ...state.neurons.slice(2),
      ],
    };
    const result = settleEpochReference(reRegistered);
    expect(result.miners.find((m) => m.uid === 1)!.amount).toBe(0n);
    expect(result.miners.find((m) => m.uid === 0)!.amount).toBe(410n * TOKEN);
  });

  it('ignores validators without a permit', () => {
    const result = settleEpochReference({ ...state, params: { ...params, maxValidatorPermits: 1 } });
    expect(result.permitted).toEqual([2]);
    expect(result.active).toEqual([2]);
    expect(result.miners.map((m) => m.consensus)).toEqual([500_000_000n, 500_000_000n]);
  });
});
