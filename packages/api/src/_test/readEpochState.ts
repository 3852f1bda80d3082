import { readSubnetParams } from '@tessera/contracts';
import type { EpochBonds, EpochNeuron, EpochReveal, EpochState, SubnetContract } from '@tessera/contracts';

/** What settleEpoch(epoch) would read, through the Subnet's own views: the settlement reference's input. */
export async function readEpochState(subnet: SubnetContract, epoch: number): Promise<EpochState> {
  const params = await readSubnetParams({ subnet });
  const n = Number(await subnet.uidCount());
  const neurons: EpochNeuron[] = Array.from({ length: n }, () => ({
    kind: 'none' as const,
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
