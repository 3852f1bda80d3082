import { readFile } from 'node:fs/promises';
import { BaseError, parseHyperparameters } from '@tessera/core';
import type { Hyperparameters } from '@tessera/core';

/**
 * Reads a run config file (`--run`) and validates it as every role does.
 *
 * @throws BaseError when the file cannot be read or is not JSON; HyperparametersError listing
 *   every bad field.
 * @example
 * const hyperparameters = await readRunConfig({ path: options.run });
 */
export async function readRunConfig(parameters: { path: string }): Promise<Hyperparameters> {
  const { path } = parameters;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new BaseError(`Cannot read the run config ${path}.`, {
      cause,
      details: cause instanceof Error ? cause.message : String(cause),
      hint: 'Pass --run with the run.json every participant of the run shares (`tessera init` writes one; the devnet writes .devnet/run.json).',
    });
  }
  return parseHyperparameters(json);
}
