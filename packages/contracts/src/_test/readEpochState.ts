import type { SubnetContract } from '../connectSubnet.js';
import type { EpochNeuron, EpochState, EpochValidator } from '../consensus.js';
import { readSubnetParams } from '../readSubnetParams.js';

/**
 * Reads everything settleEpoch(epoch) would read, through the Subnet's views, as the input of
 * settleEpochReference.
 *
 * @example
 * const expected = settleEpochReference(await readEpochState({ subnet, epoch: 0 }));
 */
export async function readEpochState(parameters: {
  subnet: SubnetContract;
  epoch: number;
}): Promise<EpochState> {
  const { subnet, epoch } = parameters;
  const params = await readSubnetParams({ subnet });
  const n = Number(await subnet.uidCount());
  const neurons: EpochNeuron[] = Array.from({ length: n }, () => ({
    kind: 'none',
    registrationBlock: 0,
    registrationEpoch: 0,
  }));
  const validators: EpochValidator[] = [];
  for (const neuron of await subnet.metagraph()) {
    const uid = Number(neuron.uid);
    neurons[uid] = {
      kind: neuron.isValidator ? 'validator' : 'miner',
      registrationBlock: Number(neuron.registrationBlock),
      registrationEpoch: Number(neuron.registrationEpoch),
    };
    if (!neuron.isValidator) continue;
    const stored = await subnet.weightsOf(uid);
    const weights = new Array<number>(n).fill(0);
    stored.uids.forEach((target, k) => (weights[Number(target)] = Number(stored.weights[k])));
    const bonds = await subnet.bondsOf(uid);
    validators.push({
      uid,
      stake: neuron.stake,
      weightsBlock: Number(neuron.weightsBlock),
      weights,
      bonds: bonds.bonds.map(Number),
      bondsStamp: Number(bonds.stamp),
    });
  }
  return { epoch, endBlock: Number(await subnet.epochEndBlock(epoch)), params, neurons, validators };
}

/** A small seeded PRNG (mulberry32) so random cases can be replayed from their seed. */
export function seededRandom(seed: number): {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
} {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
  };
}
