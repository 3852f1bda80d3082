import type { SubnetContract, SubnetParams } from '@tessera/contracts';
import { float32FromBits } from '../checkNormBound.js';
import type { Aggregate, Checkpoint, Commitment, Neuron, RevealedWeights } from '../types.js';
import { malformedReply, readReply } from './readReply.js';

/** A `NeuronView` as the Subnet's `metagraph()` returns it. */
export type NeuronViewReply = Awaited<ReturnType<SubnetContract['metagraph']>>[number];
/** A `CommitmentView` as `getCommitments(window)` returns it. */
export type CommitmentViewReply = Awaited<ReturnType<SubnetContract['getCommitments']>>[number];
/** An `AggregateView` as `getAggregates(window)` returns it. */
export type AggregateViewReply = Awaited<ReturnType<SubnetContract['getAggregates']>>[number];
/** A `RevealedWeightsView` as `revealedWeights(epoch)` returns it. */
export type RevealedWeightsViewReply = Awaited<ReturnType<SubnetContract['revealedWeights']>>[number];
/** A `CheckpointView` as `latestCheckpoint()` returns it. */
export type CheckpointViewReply = Awaited<ReturnType<SubnetContract['latestCheckpoint']>>[1];

/** `SubnetParams` as the Subnet's `params()` returns them. */
export type SubnetParamsReply = Awaited<ReturnType<SubnetContract['params']>>;

/** An aggregate with the uid its publisher held when it published. */
export type AggregateWithPublisher = Aggregate & { validatorUid: number };

const U16 = 0xffff;

/**
 * Checks a `NeuronView` and converts it to a {@link Neuron}: incentive and dividends, stored
 * scaled by 1e9, become fractions in [0, 1].
 *
 * @throws NonRetryableChainError `bad-response` naming the first malformed field.
 * @example
 * const neurons = (await subnet.metagraph()).map(parseNeuron);
 */
export function parseNeuron(view: NeuronViewReply): Neuron {
  return {
    uid: readReply.uint(view.uid, 'neuron.uid', U16),
    hotkey: readReply.address(view.hotkey, 'neuron.hotkey'),
    isValidator: readReply.boolean(view.isValidator, 'neuron.isValidator'),
    stake: readReply.amount(view.stake, 'neuron.stake'),
    validatorPermit: readReply.boolean(view.validatorPermit, 'neuron.validatorPermit'),
    incentive: readReply.fraction(view.incentive, 'neuron.incentive'),
    dividends: readReply.fraction(view.dividends, 'neuron.dividends'),
    registeredAt: readReply.uint(view.registrationBlock, 'neuron.registrationBlock'),
  };
}

/**
 * Checks a `CommitmentView` of `window` and converts it to a {@link Commitment}.
 *
 * @throws NonRetryableChainError `bad-response` naming the first malformed field.
 * @example
 * const list = (await subnet.getCommitments(12n)).map((view) => parseCommitment(view, 12));
 */
export function parseCommitment(view: CommitmentViewReply, window: number): Commitment {
  return {
    uid: readReply.uint(view.uid, 'commitment.uid', U16),
    hotkey: readReply.address(view.hotkey, 'commitment.hotkey'),
    window,
    digest: readReply.hex32(view.digest, 'commitment.digest'),
    uri: readReply.string(view.uri, 'commitment.uri'),
    modelHash: readReply.hex32(view.modelHash, 'commitment.modelHash'),
    block: readReply.uint(view.blockNumber, 'commitment.blockNumber'),
  };
}

/**
 * Checks an `AggregateView` and converts it to an {@link Aggregate} (the contract's
 * `aggregateHash` is `modelHash(θ_{w+1})`), keeping the publisher's uid.
 *
 * @throws NonRetryableChainError `bad-response` naming the first malformed field.
 * @example
 * const aggregates = (await subnet.getAggregates(12n)).map(parseAggregate);
 */
export function parseAggregate(view: AggregateViewReply): AggregateWithPublisher {
  return {
    window: readReply.uint(view.window, 'aggregate.window'),
    uids: readReply.ascendingUids(view.uids, 'aggregate.uids'),
    modelHash: readReply.hex32(view.aggregateHash, 'aggregate.aggregateHash'),
    normBound: parseNormBound(view.normBound),
    uri: readReply.string(view.uri, 'aggregate.uri'),
    validator: readReply.address(view.validator, 'aggregate.validator'),
    validatorUid: readReply.uint(view.validatorUid, 'aggregate.validatorUid', U16),
    block: readReply.uint(view.blockNumber, 'aggregate.blockNumber'),
  };
}

function parseNormBound(raw: unknown): number {
  const value = float32FromBits(readReply.uint(raw, 'aggregate.normBound', 0xffff_ffff));
  if (!Number.isFinite(value) || value <= 0)
    throw malformedReply('aggregate.normBound', 'the bits of a positive finite float32', raw);
  return value;
}

/**
 * Checks a `RevealedWeightsView` and converts it to {@link RevealedWeights}: uids ascending,
 * weights normalized to sum 1 (empty when nothing positive was revealed).
 *
 * @throws NonRetryableChainError `bad-response` naming the first malformed field.
 * @example
 * const revealed = (await subnet.revealedWeights(4n)).map(parseRevealedWeights);
 */
export function parseRevealedWeights(view: RevealedWeightsViewReply): RevealedWeights {
  const uids = readReply.ascendingUids(view.uids, 'revealed.uids');
  const raw = Array.from(view.weights, (w, i) => readReply.uint(w, `revealed.weights[${i}]`, U16));
  if (raw.length !== uids.length) throw malformedReply('revealed.weights', 'one weight per uid', raw.length);
  const sum = raw.reduce((a, b) => a + b, 0);
  return {
    validatorUid: readReply.uint(view.uid, 'revealed.uid', U16),
    validator: readReply.address(view.hotkey, 'revealed.hotkey'),
    uids,
    weights: raw.map((w) => w / sum),
  };
}

/**
 * Checks a `CheckpointView` and converts it to a {@link Checkpoint}.
 *
 * @throws NonRetryableChainError `bad-response` naming the first malformed field.
 * @example
 * const [found, view] = await subnet.latestCheckpoint();
 * const checkpoint = found ? parseCheckpoint(view) : undefined;
 */
export function parseCheckpoint(view: CheckpointViewReply): Checkpoint {
  return {
    window: readReply.uint(view.window, 'checkpoint.window'),
    modelHash: readReply.hex32(view.modelHash, 'checkpoint.modelHash'),
    uri: readReply.string(view.uri, 'checkpoint.uri'),
    validator: readReply.address(view.validator, 'checkpoint.validator'),
    block: readReply.uint(view.blockNumber, 'checkpoint.blockNumber'),
  };
}

/**
 * Checks the Subnet's `params()` and converts them: block counts, sizes and basis points to
 * numbers (range-checked against their Solidity types), amounts to bigints.
 *
 * @throws NonRetryableChainError `bad-response` naming the first malformed field, or a timing
 *   the protocol cannot use (no blocks per window, a grace as long as a window).
 * @example
 * const params = parseSubnetParams(await subnet.params());
 */
export function parseSubnetParams(view: SubnetParamsReply): Readonly<SubnetParams> {
  const u16 = (value: unknown, field: string) => readReply.uint(value, `params.${field}`, U16);
  const u32 = (value: unknown, field: string) => readReply.uint(value, `params.${field}`, 0xffff_ffff);
  const params: SubnetParams = {
    owner: readReply.address(view.owner, 'params.owner'),
    startBlock: readReply.uint(view.startBlock, 'params.startBlock'),
    blocksPerWindow: u32(view.blocksPerWindow, 'blocksPerWindow'),
    windowsPerEpoch: u32(view.windowsPerEpoch, 'windowsPerEpoch'),
    deadlineGraceBlocks: u32(view.deadlineGraceBlocks, 'deadlineGraceBlocks'),
    maxUids: u16(view.maxUids, 'maxUids'),
    maxValidators: u16(view.maxValidators, 'maxValidators'),
    maxValidatorPermits: u16(view.maxValidatorPermits, 'maxValidatorPermits'),
    immunityPeriod: u32(view.immunityPeriod, 'immunityPeriod'),
    weightsRateLimit: u32(view.weightsRateLimit, 'weightsRateLimit'),
    stakeLockBlocks: u32(view.stakeLockBlocks, 'stakeLockBlocks'),
    kappaBps: u16(view.kappaBps, 'kappaBps'),
    bondsAlphaBps: u16(view.bondsAlphaBps, 'bondsAlphaBps'),
    validatorTakeBps: u16(view.validatorTakeBps, 'validatorTakeBps'),
    maxUriLength: u16(view.maxUriLength, 'maxUriLength'),
    registrationBurn: readReply.amount(view.registrationBurn, 'params.registrationBurn'),
    minValidatorStake: readReply.amount(view.minValidatorStake, 'params.minValidatorStake'),
    emissionPerEpoch: readReply.amount(view.emissionPerEpoch, 'params.emissionPerEpoch'),
  };
  if (
    params.blocksPerWindow === 0 ||
    params.windowsPerEpoch === 0 ||
    params.deadlineGraceBlocks >= params.blocksPerWindow
  ) {
    throw malformedReply(
      'params',
      'blocksPerWindow and windowsPerEpoch above 0, deadlineGraceBlocks below blocksPerWindow',
      [params.blocksPerWindow, params.windowsPerEpoch, params.deadlineGraceBlocks],
    );
  }
  return Object.freeze(params);
}
