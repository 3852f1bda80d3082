import { loadDeployment } from '@tessera/contracts';
import { BaseError, createEvmChain, createSubtensorChain } from '@tessera/core';
import type { EvmChain, Logger, SubnetChain } from '@tessera/core';

/** Parameters of {@link openChain}: the connection options of a command. */
export type OpenChainParameters = {
  chain: 'evm' | 'subtensor';
  rpcUrl: string;
  deployment: string;
  privateKey?: string | undefined;
  ws: string;
  netuid: number;
  logger: Logger;
  /** Whether the command signs transactions. @default true */
  signs?: boolean | undefined;
};

/**
 * Connects to the chain a command's options name.
 *
 * @returns A SubnetChain, and the EVM chain itself when the backend is EVM.
 * @throws BaseError when a signing command has no key, or the deployment file is bad.
 */
export async function openChain(
  parameters: OpenChainParameters,
): Promise<{ chain: SubnetChain; evm?: EvmChain }> {
  const { logger } = parameters;
  const signs = parameters.signs ?? true;
  if (signs && !parameters.privateKey) {
    throw new BaseError('No private key given.', {
      hint: 'Pass --private-key, set TESSERA_PRIVATE_KEY, or put "privateKey" in the --config file.',
    });
  }
  if (parameters.chain === 'subtensor') {
    const chain = await createSubtensorChain({
      wsUrl: parameters.ws,
      netuid: parameters.netuid,
      signer: parameters.privateKey ?? '//Alice',
      logger,
    });
    return { chain };
  }
  const deployment = await loadDeployment({ path: parameters.deployment });
  const evm = await createEvmChain({
    rpcUrl: parameters.rpcUrl,
    deployment,
    privateKey: parameters.privateKey,
    logger,
  });
  return { chain: evm, evm };
}
