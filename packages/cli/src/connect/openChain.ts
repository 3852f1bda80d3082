import { loadDeployment } from '@tessera/contracts';
import { BaseError, createEvmChain, createSubtensorChain } from '@tessera/core';
import type { ChainName, EvmChain, LogLevel, Logger, SubnetChain, SubtensorChain } from '@tessera/core';
import { loggerOf } from './loggerOf.js';
import { resolveKeys, warnOnKeyFlags } from '../wallet/resolveKeys.js';
import type { WalletKeyOptions } from '../wallet/resolveKeys.js';

/** Parameters of {@link openChain}: a command's connection and key options. */
export type OpenChainParameters = {
  chain: ChainName;
  rpcUrl: string;
  deployment: string;
  ws: string;
  netuid?: number | undefined;
  /** EVM hotkey. */
  privateKey?: string | undefined;
  /** Subtensor hotkey: its secret, or its SS58 address where only the coldkey signs. */
  hotkey?: string | undefined;
  /** Subtensor coldkey (register, stake, delegate). */
  coldkey?: string | undefined;
  /** Keeps committed weights' salts across restarts (validators). */
  revealStatePath?: string | undefined;
  /** Where `TESSERA_WALLET_PASSWORD` is read. @default process.env */
  env?: Record<string, string | undefined> | undefined;
  /** The user's arguments, checked for raw keys given as flags. @default process.argv.slice(2) */
  argv?: readonly string[] | undefined;
  logger: Logger;
  signal?: AbortSignal | undefined;
} & Pick<WalletKeyOptions, 'wallet' | 'hotkeyName' | 'walletPath' | 'passwordFile' | 'walletColdkey'>;

/** The chain a command opened: the interface, and the backend itself for what only it offers. */
export type OpenedChain =
  | { kind: 'evm'; chain: SubnetChain; evm: EvmChain; subtensor?: undefined }
  | { kind: 'subtensor'; chain: SubnetChain; subtensor: SubtensorChain; evm?: undefined };

const SS58 = /^[1-9A-HJ-NP-Za-km-z]{46,48}$/;

/**
 * Connects to the backend a command's `--chain` names, with its keys: on EVM the contracts of
 * `--deployment` at `--rpc-url`, signed by `--private-key`; on subtensor subnet `--netuid` at
 * `--ws`, with `--hotkey` signing commitments and weights and `--coldkey` signing registration
 * and stake. With `--wallet` the keys come from that wallet instead (`resolveKeys`), decrypted
 * here. Warns when a raw key was a command-line flag. Check the options first with
 * `chainProblems` (the commands' `check`); this only connects.
 *
 * @returns The SubnetChain and the backend; call `chain.disconnect()` (either backend) when done.
 * @throws BaseError when `--netuid` is missing on subtensor; WalletError when a wallet key is
 *   missing or does not open; DeploymentFileError on a bad deployment file; ChainError from the backend (a bad key, an unreachable node, no such subnet).
 * @example
 * const opened = await openChain({ ...options, logger });
 * const uid = await opened.chain.uidOf();
 */
export async function openChain(given: OpenChainParameters): Promise<OpenedChain> {
  const { logger, signal } = given;
  warnOnKeyFlags({ argv: given.argv ?? process.argv.slice(2), logger });
  const keys = await resolveKeys({ options: given, env: given.env ?? process.env, logger });
  const parameters = { ...given, ...keys };
  if (parameters.chain === 'subtensor') {
    if (parameters.netuid === undefined) {
      throw new BaseError('No subnet given.', {
        hint: 'Pass --netuid (TESSERA_NETUID) with --chain subtensor.',
      });
    }
    const hotkey = parameters.hotkey;
    const subtensor = await createSubtensorChain({
      wsUrl: parameters.ws,
      netuid: parameters.netuid,
      ...(hotkey === undefined ? {} : SS58.test(hotkey) ? { hotkeyAddress: hotkey } : { signer: hotkey }),
      coldkey: parameters.coldkey,
      revealStatePath: parameters.revealStatePath,
      logger,
      signal,
    });
    return { kind: 'subtensor', chain: subtensor, subtensor };
  }
  const deployment = await loadDeployment({ path: parameters.deployment });
  const evm = await createEvmChain({
    rpcUrl: parameters.rpcUrl,
    deployment,
    privateKey: parameters.privateKey,
    revealStatePath: parameters.revealStatePath,
    logger,
    signal,
  });
  return { kind: 'evm', chain: evm, evm };
}

/** Closes what {@link openChain} opened. */
export async function closeChain(opened: OpenedChain): Promise<void> {
  await (opened.kind === 'evm' ? opened.evm.disconnect() : opened.subtensor.disconnect());
}

/**
 * Opens the chain a command's options name, with the command's logger, runs `body` with it
 * and closes it however `body` ends: the frame of every command that reads or writes the chain
 * once and exits.
 *
 * @example
 * return withChain({ options, command: 'rewards' }, async ({ chain }) => print(await chain.rewards()));
 */
export async function withChain<T>(
  parameters: {
    options: Omit<OpenChainParameters, 'logger'> & { logLevel: LogLevel; logFormat: 'pretty' | 'json' };
    /** The command's name, a field of every log line. */
    command: string;
  },
  body: (opened: OpenedChain) => Promise<T>,
): Promise<T> {
  const { options } = parameters;
  const opened = await openChain({ ...options, logger: loggerOf(options, { command: parameters.command }) });
  try {
    return await body(opened);
  } finally {
    await closeChain(opened);
  }
}
