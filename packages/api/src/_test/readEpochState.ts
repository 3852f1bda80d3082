import { readSubnetParams } from '@tessera/contracts';
import type { EpochNeuron, EpochState, EpochValidator, SubnetContract } from '@tessera/contracts';

/** What settleEpoch(epoch) would read, through the Subnet's own views: the settlement reference's input. */
export async function readEpochState(subnet: SubnetContract, epoch: number): Promise<EpochState> {
  const params = await readSubnetParams({ subnet });
  const n = Number(await subnet.uidCount());
  const neurons: EpochNeuron[] = Array.from({ length: n }, () => ({
    kind: 'none' as const,
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
