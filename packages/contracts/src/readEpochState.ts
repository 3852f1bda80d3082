import type { SubnetContract } from './connectSubnet.js';
import type { EpochBonds, EpochNeuron, EpochReveal, EpochState } from './consensus.js';
import { readSubnetParams } from './readSubnetParams.js';

/**
 * Reads everything settleEpoch(epoch) would read, through the Subnet's views, as the input of
 * settleEpochReference: the neurons now, every reveal for `epoch` and the stored bonds of the
 * uids that revealed.
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
    hotkey: '',
    registrationBlock: 0,
    registrationEpoch: 0,
  }));
  for (const neuron of await subnet.metagraph()) {
    neurons[Number(neuron.uid)] = {
      kind: neuron.isValidator ? 'validator' : 'miner',
      hotkey: neuron.hotkey,
      registrationBlock: Number(neuron.registrationBlock),
      registrationEpoch: Number(neuron.registrationEpoch),
    };
  }
  const reveals: EpochReveal[] = [];
  const bonds: EpochBonds[] = [];
  for (const view of await subnet.revealedWeights(epoch)) {
    const uid = Number(view.uid);
    const weights = new Array<number>(n).fill(0);
    view.uids.forEach((target, k) => (weights[Number(target)] = Number(view.weights[k])));
    reveals.push({
      uid,
      hotkey: view.hotkey,
      stake: view.stake,
      registrationBlock: Number(view.registrationBlock),
      commitBlock: Number(view.commitBlock),
      revealBlock: Number(view.revealBlock),
      weights,
    });
    const stored = await subnet.bondsOf(uid);
    bonds.push({
      uid,
      bonds: stored.bonds.map(Number),
      stamp: Number(stored.stamp),
      hotkey: stored.hotkey,
      registrationBlock: Number(stored.registrationBlock),
    });
  }
  return { epoch, params, neurons, reveals, bonds };
}
