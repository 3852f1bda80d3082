import { Type } from '@sinclair/typebox';
import { BaseError, chainConnectionFields, hashRunConfig, hotkeyFields, logFields } from '@tessera/core';
import type { ChainKeyNeeds, OptionProblem } from '@tessera/core';
import { chainProblems } from '../connect/chainChecks.js';
import { confirmFields, confirmWrite } from '../connect/confirmPlan.js';
import type { PromptStreams } from '../connect/confirmPlan.js';
import { withChain } from '../connect/openChain.js';
import { exitCodes } from '../exitCodes.js';
import { readRunConfig } from '../runConfig/readRunConfig.js';
import { defineCommand } from './command.js';

/** The subnet owner's hotkey signs `set_commitment`; no coldkey and no EVM key are taken. */
const ownerKeys: ChainKeyNeeds = { evmKey: false, hotkey: 'sign', coldkey: false };

const setRunConfigSchema = Type.Object({
  ...chainConnectionFields,
  ...hotkeyFields({ role: 'subnet owner' }),
  run: Type.String({
    description: 'The run config file (run.json, as `tessera init` wrote it) whose hash the subnet records.',
    minLength: 1,
    placeholder: 'path',
  }),
  ...confirmFields,
  ...logFields(),
});

/** Why `--chain evm` is refused: the Subnet contract records the hash when it is deployed. */
const evmProblem: OptionProblem = {
  field: 'chain',
  problem:
    'subtensor only: on EVM the Subnet contract records the run config hash at deployment; pass it to the deploy script as --run-config-hash (tessera init prints it)',
};

/**
 * `tessera subnet set-run-config` reading its confirmation from `streams` (stdin and stderr by
 * default): records the hash of `--run` as the subnet's run config on Bittensor.
 *
 * @example
 * const command = createSubnetSetRunConfigCommand({ streams: { input, output } });
 */
export function createSubnetSetRunConfigCommand(parameters: { streams?: PromptStreams | undefined } = {}) {
  return defineCommand({
    name: 'subnet set-run-config',
    summary: "Record the run config's hash as the subnet's (subtensor; the owner hotkey signs).",
    description:
      "Reads the run config (--run), validates it as every role will, and records its hash on a Bittensor subnet: a run-config record in the commitment of the subnet owner's hotkey (SubtensorModule.SubnetOwnerHotkey), signed by that hotkey (--hotkey) with commitments.set_commitment; the hotkey's other Tessera records are kept. Miners and validators then refuse to start with another config (exit 2); a run-config record in any other hotkey's commitment is ignored. A hotkey that is not the owner's is refused before anything is sent. Prints the plan on stderr (the fee, the hotkey's free TAO before and after) and asks \"Proceed? [y/N]\"; --yes sends without asking (required without a terminal), --dry-run only prints the plan. Prints the hash it recorded as JSON; nothing is sent when the subnet records that hash already. Subtensor only: on EVM the deploy script records the hash (--run-config-hash).",
    schema: setRunConfigSchema,
    check: (options) =>
      options.chain === 'subtensor' ? chainProblems({ options, needs: ownerKeys }) : [evmProblem],
    run: async (options) => {
      const hash = hashRunConfig({ hyperparameters: await readRunConfig({ path: options.run }) });
      return withChain({ options, command: 'subnet set-run-config' }, async (opened) => {
        if (opened.kind !== 'subtensor') throw new BaseError('subnet set-run-config runs on subtensor only.');
        const { subtensor } = opened;
        const recorded = await subtensor.runConfigHash();
        const printed = { runConfigHash: hash, hotkey: subtensor.ss58Address, netuid: subtensor.netuid };
        if (recorded === hash) {
          process.stdout.write(`${JSON.stringify({ ...printed, alreadyRecorded: true })}\n`);
          return exitCodes.ok;
        }
        const stop = await confirmWrite({
          options,
          chain: subtensor,
          write: { kind: 'publish-run-config', hash },
          title: `record run config hash ${hash}`,
          rows: [
            ['run config', options.run],
            ['hash', hash],
            ['recorded now', recorded ?? 'none'],
          ],
          streams: parameters.streams,
        });
        if (stop !== undefined) return stop;
        const receipt = await subtensor.publishRunConfigHash({ hash });
        process.stdout.write(`${JSON.stringify({ ...printed, tx: receipt.hash, block: receipt.block })}\n`);
        return exitCodes.ok;
      });
    },
  });
}

/** `tessera subnet set-run-config`: records the run config's hash as the subnet's. */
export const subnetSetRunConfigCommand = createSubnetSetRunConfigCommand();

/** Every `tessera subnet` action. */
export const subnetCommands = [subnetSetRunConfigCommand];
