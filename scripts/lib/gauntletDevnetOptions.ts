import { buildOptions } from '@tessera/core';
import { devnetOptionsSchema } from '@tessera/cli';
import { keccak256, toUtf8Bytes } from 'ethers';

/**
 * The devnet options of a gauntlet run, which the false-rejection measurement shares: the
 * script's `--windows` and `--blocks-per-window`, the run seed of gauntlet seed `seed` (so the
 * two scripts train the same runs), a state folder of their own, the log level, and each
 * script's own flags (`more`: miners, adversaries).
 *
 * @example
 * const options = gauntletDevnetOptions({ values, seed: 1, stateDir: '.devnet-gauntlet', logLevel: 'info', more: ['--miners', '4'] });
 */
export function gauntletDevnetOptions(parameters: {
  values: { windows: string; 'blocks-per-window': string };
  seed: number;
  stateDir: string;
  logLevel: string;
  more: readonly string[];
}) {
  const { values } = parameters;
  return buildOptions({
    schema: devnetOptionsSchema,
    argv: [
      ...['--windows', values.windows, '--blocks-per-window', values['blocks-per-window']],
      '--hyperparameters',
      JSON.stringify({ runSeed: keccak256(toUtf8Bytes(`tessera-gauntlet-${parameters.seed}`)) }),
      ...['--state-dir', parameters.stateDir, '--log-level', parameters.logLevel],
      ...parameters.more,
    ],
    env: {},
  });
}
