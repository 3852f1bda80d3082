import { validatorPermits } from '@tessera/contracts';
import type { NeuronRecord } from '../store/records.js';
import type { Neuron, NeuronDetail, NeuronList } from '../schemas/responses.js';
import type { ReaderContext } from './readerContext.js';
import { commitmentToResponse, fractionOf } from './toResponse.js';

async function loadNeurons(context: ReaderContext): Promise<NeuronRecord[]> {
  const stored = await context.redis.hvals(context.keys.neurons);
  return stored.map((value) => JSON.parse(value) as NeuronRecord).sort((a, b) => a.uid - b.uid);
}

function toNeuron(record: NeuronRecord, permitted: ReadonlySet<number>): Neuron {
  return {
    uid: record.uid,
    address: record.hotkey,
    role: record.role,
    stake: record.stake,
    validatorPermit: permitted.has(record.uid),
    consensus: fractionOf(record.consensus),
    incentive: fractionOf(record.incentive),
    dividends: fractionOf(record.dividends),
    earned: record.earned,
    registrationBlock: record.registrationBlock,
    registrationEpoch: record.registrationEpoch,
    weightsBlock: record.weightsBlock === 0 ? null : record.weightsBlock,
    lastCommitment: record.lastCommitment ? commitmentToResponse(record.lastCommitment) : null,
  };
}

function permitsOf(context: ReaderContext, records: readonly NeuronRecord[]): Set<number> {
  return new Set(
    validatorPermits({
      validators: records
        .filter((n) => n.role === 'validator')
        .map((n) => ({ uid: n.uid, stake: BigInt(n.stake) })),
      minValidatorStake: context.deployment.params.minValidatorStake,
      maxValidatorPermits: context.deployment.params.maxValidatorPermits,
    }),
  );
}

/**
 * Every registered neuron, ascending by uid, optionally of one role. Validator permits are
 * worked out from the indexed stakes as the contract does.
 *
 * @example
 * const { neurons } = await readNeurons({ context, role: 'miner' });
 */
export async function readNeurons(parameters: {
  context: ReaderContext;
  role?: 'miner' | 'validator' | undefined;
}): Promise<NeuronList> {
  const records = await loadNeurons(parameters.context);
  const permitted = permitsOf(parameters.context, records);
  const neurons = records
    .filter((n) => parameters.role === undefined || n.role === parameters.role)
    .map((n) => toNeuron(n, permitted));
  return { count: neurons.length, neurons };
}

/**
 * One neuron with its last weights (validators).
 *
 * @returns The neuron, or undefined when no neuron holds `uid`.
 * @example
 * const neuron = await readNeuron({ context, uid: 3 });
 */
export async function readNeuron(parameters: {
  context: ReaderContext;
  uid: number;
}): Promise<NeuronDetail | undefined> {
  const records = await loadNeurons(parameters.context);
  const record = records.find((n) => n.uid === parameters.uid);
  if (!record) return undefined;
  return { ...toNeuron(record, permitsOf(parameters.context, records)), weights: record.weights };
}
