import { getAddress, isAddress } from 'ethers';
import { InvalidSubnetParamsError } from './errors.js';

/** A 0x-prefixed 20-byte account address. */
export type Address = `0x${string}`;

/**
 * Constants a subnet is deployed with; they never change afterwards. Block counts are numbers,
 * token and wei amounts bigints, fractions basis points (1/10 000).
 */
export type SubnetParams = {
  /** Receives the owner share (18 %) of every epoch and the rounding remainders. */
  owner: Address;
  /** First block of window 0; 0 means the deployment block. @default 0 */
  startBlock: number;
  /** Blocks per window. @default 20 */
  blocksPerWindow: number;
  /** Windows per epoch. @default 5 */
  windowsPerEpoch: number;
  /** Blocks after a window's end during which its commitments are still accepted (< blocksPerWindow). @default 2 */
  deadlineGraceBlocks: number;
  /** Size of the uid space shared by miners and validators (≤ 4096). @default 256 */
  maxUids: number;
  /** Most validators registered at once (≤ 256, ≤ maxUids). @default 32 */
  maxValidators: number;
  /**
   * Validators with the largest stakes that may set weights and publish (≤ 32, and
   * maxValidatorPermits × maxUids ≤ 4608 so that settlement fits in a block). @default 16
   */
  maxValidatorPermits: number;
  /** Blocks after registration during which a miner cannot be pruned. @default 200 */
  immunityPeriod: number;
  /** Blocks between two commitWeights of one validator (a later commit in an epoch replaces the earlier). @default 20 */
  weightsRateLimit: number;
  /** Blocks a stake stays locked after it was last increased. @default 100 */
  stakeLockBlocks: number;
  /**
   * Stake share a weight's supporters must strictly exceed for it to be the consensus; 5000 is
   * the median (below 10 000). @default 5000
   */
  kappaBps: number;
  /** Weight of the new bonds in the bonds moving average. @default 1000 */
  bondsAlphaBps: number;
  /** Share of its dividends a validator keeps before sharing the rest with its stakers. @default 1800 */
  validatorTakeBps: number;
  /** Longest uri in commitments, aggregates and checkpoints, in bytes. @default 256 */
  maxUriLength: number;
  /** Native wei a miner burns to register. @default 10^15 (0.001 ether) */
  registrationBurn: bigint;
  /** Least self stake to register a validator and least total stake for a permit. @default 1000 tokens */
  minValidatorStake: bigint;
  /** Reward tokens minted per settled epoch that reached consensus (≤ 2^96 − 1). @default 1000 tokens */
  emissionPerEpoch: bigint;
};

const TOKEN = 10n ** 18n;

/** Most validators that may hold a permit (the contract's MAX_VALIDATOR_PERMITS). */
export const MAX_VALIDATOR_PERMITS = 32;

/**
 * Most (permitted validator, uid) pairs a settlement may visit, maxValidatorPermits × maxUids
 * (the contract's MAX_SETTLEMENT_PAIRS): keeps the worst epoch near 20M gas.
 */
export const MAX_SETTLEMENT_PAIRS = 4608;

/** Defaults of every subnet parameter but the owner (see {@link SubnetParams}). */
export const defaultSubnetParams: Readonly<Omit<SubnetParams, 'owner'>> = Object.freeze({
  startBlock: 0,
  blocksPerWindow: 20,
  windowsPerEpoch: 5,
  deadlineGraceBlocks: 2,
  maxUids: 256,
  maxValidators: 32,
  maxValidatorPermits: 16,
  immunityPeriod: 200,
  weightsRateLimit: 20,
  stakeLockBlocks: 100,
  kappaBps: 5000,
  bondsAlphaBps: 1000,
  validatorTakeBps: 1800,
  maxUriLength: 256,
  registrationBurn: 10n ** 15n,
  minValidatorStake: 1000n * TOKEN,
  emissionPerEpoch: 1000n * TOKEN,
});

/** Subnet parameters as JSON carries them: bigints as decimal strings, everything optional but the owner. */
export type SubnetParamsInput = { owner: string } & {
  [K in Exclude<keyof SubnetParams, 'owner'>]?: SubnetParams[K] extends bigint
    ? bigint | string | number
    : number | undefined;
};

type IntegerRule = { key: keyof SubnetParams; bits: number; min?: number; max?: number };

const integerRules: IntegerRule[] = [
  { key: 'startBlock', bits: 64 },
  { key: 'blocksPerWindow', bits: 32, min: 1 },
  { key: 'windowsPerEpoch', bits: 32, min: 1 },
  { key: 'deadlineGraceBlocks', bits: 32 },
  { key: 'maxUids', bits: 16, min: 1, max: 4096 },
  { key: 'maxValidators', bits: 16, min: 1, max: 256 },
  { key: 'maxValidatorPermits', bits: 16, min: 1, max: MAX_VALIDATOR_PERMITS },
  { key: 'immunityPeriod', bits: 32 },
  { key: 'weightsRateLimit', bits: 32 },
  { key: 'stakeLockBlocks', bits: 32 },
  { key: 'kappaBps', bits: 16, min: 1, max: 9_999 },
  { key: 'bondsAlphaBps', bits: 16, min: 1, max: 10_000 },
  { key: 'validatorTakeBps', bits: 16, max: 10_000 },
  { key: 'maxUriLength', bits: 16, min: 1 },
];

function toBigInt(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return BigInt(value.trim());
  return undefined;
}

/**
 * Fills defaults into `input` and checks every rule the Subnet constructor enforces, so a bad
 * configuration fails before any transaction.
 *
 * @param input The owner plus any parameters to override; bigints may be decimal strings.
 * @returns Complete, frozen parameters.
 * @throws InvalidSubnetParamsError listing every bad field.
 * @example
 * const params = resolveSubnetParams({ owner: deployer.address, blocksPerWindow: 10 });
 */
export function resolveSubnetParams(input: SubnetParamsInput): Readonly<SubnetParams> {
  const problems: string[] = [];
  const record = (input ?? {}) as Record<string, unknown>;
  const known = new Set<string>(['owner', ...Object.keys(defaultSubnetParams)]);
  for (const key of Object.keys(record)) if (!known.has(key)) problems.push(`${key}: unknown parameter`);

  let owner = '0x0000000000000000000000000000000000000000' as Address;
  if (typeof record.owner !== 'string' || !isAddress(record.owner) || /^0x0{40}$/i.test(record.owner)) {
    problems.push(`owner: expected a non-zero address, got ${JSON.stringify(record.owner)}`);
  } else {
    owner = getAddress(record.owner) as Address;
  }

  const out: Record<string, unknown> = { ...defaultSubnetParams, owner };
  for (const rule of integerRules) {
    const raw = record[rule.key] ?? defaultSubnetParams[rule.key as Exclude<keyof SubnetParams, 'owner'>];
    const value = typeof raw === 'number' ? raw : Number.NaN;
    const max = Math.min(rule.max ?? Number.MAX_SAFE_INTEGER, 2 ** rule.bits - 1);
    if (!Number.isSafeInteger(value) || value < (rule.min ?? 0) || value > max) {
      problems.push(
        `${rule.key}: expected an integer in [${rule.min ?? 0}, ${max}], got ${JSON.stringify(raw)}`,
      );
      continue;
    }
    out[rule.key] = value;
  }
  for (const key of ['registrationBurn', 'minValidatorStake', 'emissionPerEpoch'] as const) {
    const raw = record[key] ?? defaultSubnetParams[key];
    const value = toBigInt(raw);
    if (value === undefined || value < 0n || value >= 2n ** 256n) {
      problems.push(`${key}: expected a non-negative integer (a decimal string in JSON), got ${String(raw)}`);
      continue;
    }
    out[key] = value;
  }
  const p = out as SubnetParams;
  if (p.deadlineGraceBlocks >= p.blocksPerWindow)
    problems.push('deadlineGraceBlocks: must be less than blocksPerWindow');
  if (p.maxValidators > p.maxUids) problems.push('maxValidators: must not exceed maxUids');
  if (p.maxValidatorPermits > p.maxValidators)
    problems.push('maxValidatorPermits: must not exceed maxValidators');
  if (p.maxValidatorPermits * p.maxUids > MAX_SETTLEMENT_PAIRS) {
    problems.push(
      `maxValidatorPermits: maxValidatorPermits × maxUids must be at most ${MAX_SETTLEMENT_PAIRS} so that settlement fits in a block`,
    );
  }
  if (p.minValidatorStake === 0n) problems.push('minValidatorStake: must be positive');
  if (p.emissionPerEpoch >= 2n ** 96n) problems.push('emissionPerEpoch: must be below 2^96');

  if (problems.length > 0) {
    throw new InvalidSubnetParamsError('Subnet parameters are invalid.', {
      metaMessages: problems,
      hint: 'Fix the listed fields (see SubnetParams for each one).',
    });
  }
  return Object.freeze(p);
}

/** Subnet parameters as JSON: bigints become decimal strings. */
export function subnetParamsToJson(params: SubnetParams): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(params).map(([key, value]) => [key, typeof value === 'bigint' ? value.toString() : value]),
  ) as Record<string, string | number>;
}
