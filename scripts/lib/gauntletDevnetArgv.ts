import { keccak256, toUtf8Bytes } from 'ethers';

/**
 * The devnet flags the gauntlet and the false-rejection measurement share: windows, block
 * time, the run seed of gauntlet seed `seed` (so the two scripts train the same runs), a state
 * folder of their own and the log level. Each script adds its miners and adversaries.
 *
 * @example
 * buildOptions({ schema: devnetOptionsSchema, argv: [...gauntletDevnetArgv({ ... }), '--miners', '4'], env: {} });
 */
export function gauntletDevnetArgv(parameters: {
  windows: string;
  blocksPerWindow: string;
  seed: number;
  stateDir: string;
  logLevel: string;
}): string[] {
  return [
    '--windows',
    parameters.windows,
    '--blocks-per-window',
    parameters.blocksPerWindow,
    '--hyperparameters',
    JSON.stringify({ runSeed: keccak256(toUtf8Bytes(`tessera-gauntlet-${parameters.seed}`)) }),
    '--state-dir',
    parameters.stateDir,
    '--log-level',
    parameters.logLevel,
  ];
}
