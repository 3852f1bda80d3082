import { createReaderRouter } from '@tessera/core';
import { createMiner, minerOptionsSchema } from '@tessera/miner';
import { chainProblems, roleKeys } from '../connect/chainChecks.js';
import { startChainRole } from '../connect/startProcessRole.js';
import { defineCommand } from './command.js';
import { exitCodes } from '../exitCodes.js';

/** `tessera miner`: trains, uploads and commits an update every window until stopped. */
export const minerCommand = defineCommand({
  name: 'miner',
  summary: 'Run a miner: train the assigned pages every window, upload and commit.',
  description:
    'Runs the miner loop against a registered hotkey, on the Tessera contracts (--chain evm, the hotkey in --private-key) or a Bittensor subnet (--chain subtensor --ws … --netuid N, the hotkey in --hotkey; no coldkey on this box): syncs to the current model, trains its assigned pages, compresses, uploads (to a folder, its own HTTP server or an S3 bucket: --store) and commits before each deadline. Prometheus metrics on --metrics-port. Ctrl-C stops it after the current step.',
  schema: minerOptionsSchema,
  check: (options) => chainProblems({ options, needs: roleKeys }),
  async run(options) {
    const { common, chain, run, opened } = await startChainRole({
      options,
      role: 'miner',
      maxBytes: (run) => run.hyperparameters.maxUpdateBytes,
    });
    const miner = createMiner({
      common,
      chain,
      store: opened.store,
      // Checkpoints and aggregate members: over HTTP(S), s3:// with this miner's S3 settings.
      router: createReaderRouter({ ...options, s3: opened.s3 }),
      corpus: run.corpus,
      hyperparameters: run.hyperparameters,
      modelConfig: run.modelConfig,
      stateDir: options.stateDir,
      marginBlocks: options.marginBlocks,
    });
    await miner.run();
    await common.shutdown.kill();
    return exitCodes.ok;
  },
});
