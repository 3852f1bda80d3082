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

  it('needs strictly more than kappa: an exact 50/50 split takes the lower value', () => {
    const half = 5000n * 2n;
    expect(weightedMedian({ values: [7n, 3n], stakes: [1n, 1n], threshold: half })).toBe(3n);
    expect(weightedMedian({ values: [3n, 7n], stakes: [1n, 1n], threshold: half })).toBe(3n);
    expect(weightedMedian({ values: [7n, 0n], stakes: [1n, 1n], threshold: half })).toBe(0n);
    // equal values share their support: together they hold all of it
    expect(weightedMedian({ values: [7n, 7n], stakes: [1n, 1n], threshold: half })).toBe(7n);
  });

  it('goes with the side holding 50.1 % against 49.9 %', () => {
    const threshold = 5000n * 1000n;
    expect(weightedMedian({ values: [7n, 3n], stakes: [501n, 499n], threshold })).toBe(7n);
    expect(weightedMedian({ values: [7n, 3n], stakes: [499n, 501n], threshold })).toBe(3n);
    expect(weightedMedian({ values: [7n, 0n], stakes: [499n, 501n], threshold })).toBe(0n);
  });

  it('with three validators, passes over a value backed by exactly kappa', () => {
    // supporters of 9 hold 2 of 4 (exactly half): not enough; of 5, 3 of 4
    expect(weightedMedian({ values: [9n, 5n, 1n], stakes: [2n, 1n, 1n], threshold: 5000n * 4n })).toBe(5n);
    // kappa 2500: 9 alone holds exactly a quarter, 9 and 5 together half
    expect(weightedMedian({ values: [9n, 5n, 1n], stakes: [1n, 1n, 2n], threshold: 2500n * 4n })).toBe(5n);
    // equal thirds at kappa 5000: the middle value
    expect(weightedMedian({ values: [1n, 9n, 5n], stakes: [1n, 1n, 1n], threshold: 5000n * 3n })).toBe(5n);
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
    emissionPerEpoch: 1000n * TOKEN,
  };
  const A = '0x00000000000000000000000000000000000000a2';
  const B = '0x00000000000000000000000000000000000000b3';
  // uids 0, 1 miners; 2, 3 validators that committed at block 10 and revealed at 60
  const state: EpochState = {
    epoch: 0,
    params,
    neurons: [
      { kind: 'miner', hotkey: '0x01', registrationBlock: 1, registrationEpoch: 0 },
      { kind: 'miner', hotkey: '0x02', registrationBlock: 2, registrationEpoch: 0 },
      { kind: 'validator', hotkey: A, registrationBlock: 3, registrationEpoch: 0 },
      { kind: 'validator', hotkey: B, registrationBlock: 4, registrationEpoch: 0 },
    ],
    reveals: [
      {
        uid: 3,
        hotkey: B,
        stake: 1n * TOKEN,
        registrationBlock: 4,
        commitBlock: 10,
        revealBlock: 61,
        weights: [1, 0, 0, 0],
      },
      {
        uid: 2,
        hotkey: A,
        stake: 3n * TOKEN,
        registrationBlock: 3,
        commitBlock: 10,
        revealBlock: 60,
        weights: [1, 1, 0, 0],
      },
    ],
    bonds: [],
  };

  it('splits the emission 41 / 41 / 18 with every remainder to the owner', () => {
    const result = settleEpochReference(state);
    expect(result.revealed).toEqual([2, 3]);
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
    expect(result.validators.map((v) => [v.uid, v.stake, v.revealBlock, v.present])).toEqual([
      [2, 3n * TOKEN, 60, true],
      [3, 1n * TOKEN, 61, true],
    ]);
  });

  it('mints nothing without reveals: commits and earlier weights count for nothing', () => {
    const result = settleEpochReference({ ...state, reveals: [] });
    expect(result.active).toEqual([]);
    expect(result.minted).toBe(0n);
    expect(result.ownerTotal).toBe(0n);
  });

  it('weighs validators by their stake snapshots, not by the stake they hold now', () => {
    const grown = settleEpochReference({
      ...state,
      reveals: state.reveals.map((r) => (r.uid === 3 ? { ...r, stake: 3n * TOKEN } : r)),
    });
    // with 3:1 snapshots miner 1 has 75 % behind 0.5; with equal ones exactly half, not enough
    expect(settleEpochReference(state).miners.map((m) => m.consensus)).toEqual([500_000_000n, 500_000_000n]);
    expect(grown.miners.map((m) => m.consensus)).toEqual([500_000_000n, 0n]);
  });

  it('drops weights on miners registered at or after the commit', () => {
    const reRegistered = {
      ...state,
      neurons: [
        state.neurons[0]!,
        { kind: 'miner' as const, hotkey: '0x09', registrationBlock: 10, registrationEpoch: 0 },
        ...state.neurons.slice(2),
      ],
    };
    const result = settleEpochReference(reRegistered);
    expect(result.miners.find((m) => m.uid === 1)!.amount).toBe(0n);
    expect(result.miners.find((m) => m.uid === 0)!.amount).toBe(410n * TOKEN);
  });

  it('takes the maxValidatorPermits largest snapshots among the reveals', () => {
    const result = settleEpochReference({ ...state, params: { ...params, maxValidatorPermits: 1 } });
    expect(result.revealed).toEqual([2, 3]);
    expect(result.active).toEqual([2]);
    expect(result.miners.map((m) => m.consensus)).toEqual([500_000_000n, 500_000_000n]);
  });

  it('pays a validator whose registration ended its whole part, on its hotkey', () => {
    const left = settleEpochReference({
      ...state,
      neurons: [
        ...state.neurons.slice(0, 3),
        { kind: 'none', hotkey: '', registrationBlock: 0, registrationEpoch: 0 },
      ],
    });
    const stayed = settleEpochReference(state);
    const gone = left.validators.find((v) => v.uid === 3)!;
    expect(gone).toMatchObject({ present: false, stakersShare: 0n, hotkey: B });
    expect(gone.take).toBe(gone.amount);
    // the same amounts as if it had stayed
    expect(left.validators.map((v) => v.amount)).toEqual(stayed.validators.map((v) => v.amount));
    expect(left.miners).toEqual(stayed.miners);
  });

  it('uses stored bonds only when the previous settlement wrote them for the same registration', () => {
    const bonds = [{ uid: 3, bonds: [65_535, 0, 0, 0], stamp: 0, hotkey: B, registrationBlock: 4 }];
    const fresh = settleEpochReference(state);
    const neurons = state.neurons.map((n) => ({ ...n, registrationEpoch: 0 }));
    const at1 = { ...state, epoch: 1, neurons };
    const withBonds = settleEpochReference({ ...at1, bonds: [{ ...bonds[0]!, stamp: 1 }] });
    const otherRegistration = settleEpochReference({
      ...at1,
      bonds: [{ ...bonds[0]!, stamp: 1, registrationBlock: 5 }],
    });
    const stale = settleEpochReference({ ...at1, bonds });
    expect(withBonds.validators[1]!.bonds[0]).toBeGreaterThan(fresh.validators[1]!.bonds[0]!);
    expect(otherRegistration.validators.map((v) => v.bonds)).toEqual(fresh.validators.map((v) => v.bonds));
    expect(stale.validators.map((v) => v.bonds)).toEqual(fresh.validators.map((v) => v.bonds));
  });
});
