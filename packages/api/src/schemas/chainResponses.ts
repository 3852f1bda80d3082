import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { BlockNumber, Nullable, fraction } from './common.js';

// Answers of the API served from a SubnetChain's storage (subtensor), not from the EVM index.

const units = (description: string) =>
  Type.String({ pattern: '^[0-9]+$', description, examples: ['1500000000'] });
const StakeAmount = units(
  "Amount in the chain's base unit (rao on subtensor: 10⁻⁹ TAO), as a decimal string.",
);

/** Where any route of this server reads from; a chain address is 0x + 64 hex on subtensor. */
export const ChainUnit = Type.Object({
  symbol: Type.String({ description: 'TAO on subtensor.' }),
  decimals: Type.Integer({ description: 'Decimals of the unit: 9 for TAO.' }),
  base: Type.String({ description: 'The base unit amounts are given in: rao.' }),
});

export const ChainHealth = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')], {
    description: '`degraded` when the chain cannot be read.',
  }),
  headBlock: Nullable(BlockNumber),
  chain: Type.Union([Type.Literal('ok'), Type.Literal('unreachable')]),
});
export type ChainHealth = Static<typeof ChainHealth>;

export const ChainSubnet = Type.Object({
  chain: Type.String({ description: 'The backend: subtensor.' }),
  subnetId: Type.String({ description: 'subtensor:<genesis hash>:<netuid>.' }),
  netuid: Nullable(Type.Integer({ description: 'The Bittensor subnet id.' })),
  unit: ChainUnit,
  timing: Type.Object(
    {
      startBlock: Type.Integer(),
      blocksPerWindow: Type.Integer(),
      windowsPerEpoch: Type.Integer(),
      deadlineGraceBlocks: Type.Integer(),
    },
    { description: "Tessera's window clock on this subnet." },
  ),
  clock: Type.Object({
    headBlock: BlockNumber,
    currentWindow: Type.Integer({ description: 'Window of the head block; -1 before the start block.' }),
    currentEpoch: Type.Integer({ description: 'Epoch of the head block; -1 before the start block.' }),
  }),
  totals: Type.Object({
    neurons: Type.Integer(),
    validators: Type.Integer({ description: 'Neurons with a validator permit.' }),
    miners: Type.Integer(),
    stake: units('Stake of every neuron together, in base units.'),
    emissionPerTempo: Nullable(
      units("Every neuron's emission of the last tempo together; null when the chain keeps none."),
    ),
  }),
});
export type ChainSubnet = Static<typeof ChainSubnet>;

export const ChainNeuron = Type.Object({
  uid: Type.Integer(),
  address: Type.String({ description: 'The hotkey: 0x + 64 hex (its public key) on subtensor.' }),
  role: Type.Union([Type.Literal('miner'), Type.Literal('validator')], {
    description: 'validator when it holds a validator permit.',
  }),
  stake: StakeAmount,
  validatorPermit: Type.Boolean(),
  incentive: fraction('Incentive of the last tempo, in [0, 1].'),
  dividends: fraction('Dividends of the last tempo, in [0, 1].'),
  emission: Nullable(units('Emission of the last tempo, in base units; null when the chain keeps none.')),
  registrationBlock: BlockNumber,
});
export type ChainNeuron = Static<typeof ChainNeuron>;

export const ChainNeuronList = Type.Object({
  asOfBlock: BlockNumber,
  count: Type.Integer(),
  neurons: Type.Array(ChainNeuron),
});
export type ChainNeuronList = Static<typeof ChainNeuronList>;

export const ChainAccountRewards = Type.Object({
  address: Type.String({ description: 'The account, as the chain writes it (0x + 64 hex on subtensor).' }),
  asOfBlock: BlockNumber,
  unit: ChainUnit,
  neuron: Nullable(
    Type.Omit(ChainNeuron, ['address', 'validatorPermit', 'registrationBlock'], {
      description: 'The neuron this account is the hotkey of, if any.',
    }),
  ),
  claimable: units(
    "What the chain credits the account: on subtensor the hotkey's stake on the subnet, where emissions are staked every tempo (nothing to claim).",
  ),
  claimed: units('Claimed so far (always 0 on subtensor).'),
});
export type ChainAccountRewards = Static<typeof ChainAccountRewards>;
