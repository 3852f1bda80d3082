/**
 * True when the arguments ask for help (`--help` or `-h`); check it before
 * {@link buildOptions}, which treats them as errors.
 *
 * @example
 * if (helpRequested({ argv })) return void process.stdout.write(renderHelp({ schema, command: 'tessera miner' }));
 */
export function helpRequested(parameters: { argv: readonly string[] }): boolean {
  for (const arg of parameters.argv) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}
