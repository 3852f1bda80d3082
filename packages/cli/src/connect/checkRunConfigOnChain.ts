import { loadDeployment } from '@tessera/contracts';
import { checkRunConfigHash, hashRunConfig, parseHyperparameters } from '@tessera/core';
import type { Hyperparameters, Logger, SubnetChain } from '@tessera/core';

/** Parameters of {@link checkRunConfigOnChain}. */
export type CheckRunConfigOnChainParameters = {
  /** The role's run config, parsed. */
  hyperparameters: Hyperparameters;
  chain: SubnetChain;
  /**
   * The deployment file (EVM): when it holds the subnet's `runConfig`, a mismatch names the
   * fields that differ.
   */
  deployment?: string | undefined;
  logger: Logger;
};

/**
 * Refuses to start a role whose run config is not the one the chain records: compares the
 * config's hash with `chain.runConfigHash()` and, when they differ, names the fields that
 * differ from the deployment file's `runConfig` (used only when its hash is the on-chain one).
 * A chain that records no hash (an EVM subnet deployed without one, a Bittensor subnet whose
 * owner hotkey has not run `tessera subnet set-run-config`) is logged and let through.
 *
 * @returns The run config's hash.
 * @throws RunConfigMismatchError with both hashes and the fields that differ.
 * @example
 * await checkRunConfigOnChain({ hyperparameters, chain, deployment: options.deployment, logger });
 */
export async function checkRunConfigOnChain(
  parameters: CheckRunConfigOnChainParameters,
): Promise<`0x${string}`> {
  const { hyperparameters, chain, logger } = parameters;
  const recorded = await chain.runConfigHash();
  const local = hashRunConfig({ hyperparameters });
  if (recorded === undefined) {
    logger.warn('the chain records no run config hash; the run config is not checked against it', {
      chain: chain.kind,
      runConfigHash: local,
    });
    return local;
  }
  if (recorded.toLowerCase() !== local) {
    // Throws, naming the fields that differ; the deployment file is read only then.
    checkRunConfigHash({
      hyperparameters,
      recorded,
      reference: await referenceConfig(parameters.deployment),
      source: parameters.deployment === undefined ? undefined : `runConfig in ${parameters.deployment}`,
    });
  }
  logger.info('run config matches the chain', { runConfigHash: local });
  return local;
}

/** The deployment file's run config, parsed, or undefined when it has none or cannot be read. */
async function referenceConfig(path: string | undefined): Promise<Hyperparameters | undefined> {
  if (path === undefined) return undefined;
  try {
    const { runConfig } = await loadDeployment({ path });
    return runConfig === undefined ? undefined : parseHyperparameters(runConfig);
  } catch {
    return undefined;
  }
}
