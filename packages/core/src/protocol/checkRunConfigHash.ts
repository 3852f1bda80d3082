import { RunConfigMismatchError } from '../errors/protocol.js';
import type { RunConfigDifference } from '../errors/protocol.js';
import { canonicalJson, hashRunConfig } from './hashRunConfig.js';
import type { Hyperparameters } from './hyperparametersSchema.js';

/** Parameters of {@link checkRunConfigHash}. */
export type CheckRunConfigHashParameters = {
  /** The local run config, parsed. */
  hyperparameters: Hyperparameters;
  /** The hash the chain records (`SubnetChain.runConfigHash()`); undefined when it records none. */
  recorded: `0x${string}` | undefined;
  /**
   * The subnet's own run config when one is at hand (the deployment file's `runConfig`), parsed.
   * Used to name the fields that differ, and only when its hash is the recorded one.
   */
  reference?: Hyperparameters | undefined;
  /** Where the reference config came from, for the error's hint (a path or a URL). */
  source?: string | undefined;
};

/**
 * Refuses a run config whose hash differs from the one the chain records for the subnet. A
 * wrong seed, preset or compression setting otherwise shows up only windows later, as every
 * update of the role coming out `out-of-sync`. Miners and validators call this at start; a
 * chain that records no hash (a Bittensor subnet whose owner has not published one) passes
 * everything.
 *
 * @returns The local config's hash.
 * @throws RunConfigMismatchError with both hashes and, given a matching reference, the fields that differ.
 * @example
 * checkRunConfigHash({ hyperparameters, recorded: await chain.runConfigHash() });
 */
export function checkRunConfigHash(parameters: CheckRunConfigHashParameters): `0x${string}` {
  const { hyperparameters, recorded, reference } = parameters;
  const local = hashRunConfig({ hyperparameters });
  if (recorded === undefined || recorded.toLowerCase() === local) return local;
  const differences =
    reference !== undefined && hashRunConfig({ hyperparameters: reference }) === recorded.toLowerCase()
      ? diffRunConfigs(hyperparameters, reference)
      : [];
  throw new RunConfigMismatchError({
    run: local,
    chain: recorded,
    differences,
    ...(differences.length > 0 ? { source: parameters.source } : {}),
  });
}

function diffRunConfigs(run: Hyperparameters, reference: Hyperparameters): RunConfigDifference[] {
  const fields = [...new Set([...Object.keys(run), ...Object.keys(reference)])].sort();
  const text = (value: unknown) => (value === undefined ? undefined : canonicalJson(value));
  return fields
    .map((field) => ({
      field,
      run: (run as Record<string, unknown>)[field],
      reference: (reference as Record<string, unknown>)[field],
    }))
    .filter((d) => text(d.run) !== text(d.reference));
}
