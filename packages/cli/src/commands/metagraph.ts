import { Type } from '@sinclair/typebox';
import {
  chainConnectionFields,
  chainUnits,
  checkChainOptions,
  formatChainAmount,
  logFields,
} from '@tessera/core';
import type { ChainName, Neuron } from '@tessera/core';
import { withChain } from '../connect/openChain.js';
import { formatTable } from '../format/table.js';
import type { TableColumn } from '../format/table.js';
import { defineCommand } from './command.js';
import { exitCodes } from '../exitCodes.js';
import { jsonField, readOnlyKeys } from './rewards.js';

/** The metagraph table's columns, one neuron a row (`tessera metagraph`, `tessera status`). */
export function neuronColumns(parameters: { chain: ChainName }): TableColumn[] {
  const unit = chainUnits[parameters.chain].symbol;
  return [
    { header: 'UID', align: 'right' },
    { header: 'HOTKEY' },
    { header: 'ROLE' },
    { header: `STAKE (${unit})`, align: 'right' },
    { header: 'PERMIT' },
    { header: 'INCENTIVE', align: 'right' },
    { header: 'DIVIDENDS', align: 'right' },
    { header: `EMISSION (${unit})`, align: 'right' },
    { header: 'REGISTERED', align: 'right' },
  ];
}

/** One neuron as a row of {@link neuronColumns}; `-` where the backend keeps no emission. */
export function neuronCells(parameters: { chain: ChainName; neuron: Neuron }): string[] {
  const { chain, neuron } = parameters;
  const amount = (value: bigint) => formatChainAmount({ chain, value });
  return [
    String(neuron.uid),
    neuron.hotkey,
    neuron.isValidator ? 'validator' : 'miner',
    amount(neuron.stake),
    neuron.validatorPermit ? 'yes' : 'no',
    neuron.incentive.toFixed(6),
    neuron.dividends.toFixed(6),
    neuron.emission === undefined ? '-' : amount(neuron.emission),
    String(neuron.registeredAt),
  ];
}

/** A neuron for `--json`: amounts as decimal strings in the chain's unit, emission null where not kept. */
export type NeuronJson = {
  uid: number;
  hotkey: string;
  role: 'validator' | 'miner';
  stake: string;
  validatorPermit: boolean;
  incentive: number;
  dividends: number;
  emission: string | null;
  registeredAt: number;
};

/** One neuron as {@link NeuronJson}. */
export function neuronJson(parameters: { chain: ChainName; neuron: Neuron }): NeuronJson {
  const { chain, neuron } = parameters;
  return {
    uid: neuron.uid,
    hotkey: neuron.hotkey,
    role: neuron.isValidator ? 'validator' : 'miner',
    stake: formatChainAmount({ chain, value: neuron.stake }),
    validatorPermit: neuron.validatorPermit,
    incentive: neuron.incentive,
    dividends: neuron.dividends,
    emission: neuron.emission === undefined ? null : formatChainAmount({ chain, value: neuron.emission }),
    registeredAt: neuron.registeredAt,
  };
}

const schema = Type.Object({
  ...chainConnectionFields,
  json: jsonField,
  ...logFields({ logLevel: 'warn' }),
});

/** `tessera metagraph`: every registered neuron, read without any key. */
export const metagraphCommand = defineCommand({
  name: 'metagraph',
  summary: 'Show the subnet’s neurons: stake, role, permit, incentive.',
  description:
    'Reads the metagraph at the chain’s head; no key is needed. One row per uid: the hotkey, validator or miner, stake (self plus delegated, in TSR on EVM, TAO on subtensor), whether it holds a validator permit, incentive and dividends of the last settled epoch (0 to 1), the emission of the last tempo (subtensor only; EVM pays per epoch, see `tessera rewards`) and the block it registered at. With --json one JSON object: subnet, block, unit and neurons, amounts as decimal strings.',
  schema,
  check: (options) => checkChainOptions({ options, needs: readOnlyKeys }),
  async run(options) {
    return withChain({ options, command: 'metagraph' }, async (opened) => {
      const { chain } = opened;
      const metagraph = await chain.metagraph();
      const neurons = [...metagraph.neurons].sort((a, b) => a.uid - b.uid);
      const unit = chainUnits[options.chain].symbol;
      if (options.json) {
        const result = {
          subnet: chain.subnetId,
          block: metagraph.block,
          unit,
          neurons: neurons.map((neuron) => neuronJson({ chain: options.chain, neuron })),
        };
        process.stdout.write(`${JSON.stringify(result)}\n`);
        return exitCodes.ok;
      }
      process.stdout.write(
        `${chain.subnetId} at block ${metagraph.block}: ${neurons.length} ${neurons.length === 1 ? 'neuron' : 'neurons'}\n\n` +
          formatTable({
            columns: neuronColumns({ chain: options.chain }),
            rows: neurons.map((neuron) => neuronCells({ chain: options.chain, neuron })),
          }),
      );
      return exitCodes.ok;
    });
  },
});
