import { BaseWallet, keccak256 } from 'ethers';
import type { JsonRpcProvider, Signer, TransactionReceipt, TransactionRequest } from 'ethers';
import type { Logger } from '../../common/logger.js';
import { sleep } from '../../common/shutdown.js';
import { NonRetryableChainError, RetryableChainError } from '../../errors/chain.js';
import type { ChainError } from '../../errors/chain.js';
import type { Address, RetryOptions } from '../types.js';
import { retryChainCall } from '../retryChainCall.js';
import { decodeRevert } from './decodeRevert.js';
import { toEvmChainError } from './toEvmChainError.js';

/** Parameters of {@link createTxSender}. */
export type CreateTxSenderParameters = {
  provider: JsonRpcProvider;
  /** Signs and pays; a wallet (`BaseWallet`) is signed locally, any other signer sends itself. */
  signer: Signer;
  address: Address;
  logger: Logger;
  retry?: RetryOptions | undefined;
  /** Milliseconds between receipt polls. */
  pollMs: number;
  /** Milliseconds a sent transaction may take to be included. */
  txTimeoutMs: number;
  /** Percent added to the gas estimate. */
  gasHeadroomPercent: number;
  /** Aborts retries, sends and receipt waits. */
  signal: AbortSignal;
};

/** One contract call to send. */
export type SendTxParameters = {
  /** What it does, for messages and logs: "commit for window 12". */
  action: string;
  /** `to`, `data` and `value`; gas, fees and nonce are filled in. */
  request: TransactionRequest;
};

/** Sends transactions from one account with nonces assigned in order. */
export type TxSender = {
  /**
   * Estimates gas (a revert surfaces here, decoded), sends with the next nonce, and waits for
   * inclusion. Resolves with a successful receipt.
   */
  send(parameters: SendTxParameters): Promise<TransactionReceipt>;
  /** Settles once every send queued so far has been broadcast or has failed. */
  idle(): Promise<void>;
};

/**
 * Creates the write path of the EVM backend for one signing account.
 *
 * - Gas: `eth_estimateGas` from the account, plus `gasHeadroomPercent`; a revert at this step is
 *   decoded (custom error name and arguments) and thrown as NonRetryable, before any nonce is taken.
 * - Nonces: one queue per sender assigns them in order, starting from the chain's pending count.
 *   Any failed send drops the cached nonce, so the next send resyncs from the chain; a receipt
 *   that never comes does the same, so a dropped transaction cannot leave a gap forever.
 * - Broadcast: a wallet signs locally and the same signed bytes are re-broadcast after a network
 *   fault, so a send whose reply was lost is not sent twice ("already known", or a used nonce
 *   whose transaction the node knows, count as sent). Other signers send through
 *   `signer.sendTransaction`, retried after a resync.
 * - Inclusion: the receipt is polled every `pollMs` until `txTimeoutMs`; a timeout is a Retryable
 *   `timeout` naming the hash, and the transaction is not re-sent. A receipt with status 0 is
 *   replayed with `eth_call` at the block before to name the custom error.
 *
 * @returns The sender.
 * @example
 * const sender = createTxSender({ provider, signer, address, logger, pollMs: 500, txTimeoutMs: 60_000, gasHeadroomPercent: 20, signal });
 * const receipt = await sender.send({ action: 'claim', request: await subnet.claim.populateTransaction() });
 */
export function createTxSender(parameters: CreateTxSenderParameters): TxSender {
  const { provider, signer, address, logger, retry, signal } = parameters;
  const attempts = Math.max(1, retry?.attempts ?? 4);
  const baseDelayMs = retry?.baseDelayMs ?? 500;
  const maxDelayMs = retry?.maxDelayMs ?? 8_000;
  const localSigning = signer instanceof BaseWallet;

  let nextNonce: number | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const call = <T>(action: string, run: () => Promise<T>) =>
    retryChainCall({ action, run, retry, logger, signal, classify: toEvmChainError });

  /** Assigns the next nonce and broadcasts; runs inside the queue, one at a time. */
  const broadcast = async (action: string, request: TransactionRequest): Promise<string> => {
    let signed: { raw: string; hash: string; nonce: number } | undefined;
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) throw toEvmChainError(signal.reason, action);
      try {
        nextNonce ??= await provider.getTransactionCount(address, 'pending');
        let hash: string;
        if (localSigning) {
          if (!signed || signed.nonce !== nextNonce) {
            const populated = await signer.populateTransaction({ ...request, nonce: nextNonce });
            const raw = await signer.signTransaction(populated);
            signed = { raw, hash: keccak256(raw), nonce: nextNonce };
          }
          hash = await broadcastSigned(signed.raw, signed.hash);
        } else {
          hash = (await signer.sendTransaction({ ...request, nonce: nextNonce })).hash;
        }
        logger.debug('transaction sent', { action, hash, nonce: nextNonce });
        nextNonce += 1;
        return hash;
      } catch (raw) {
        const error = toEvmChainError(raw, action);
        const keepSigned = localSigning && signed !== undefined && isNetworkFault(error);
        if (!keepSigned) {
          // The chain knows best which nonce comes next: ask it again before the next try.
          nextNonce = undefined;
          signed = undefined;
        }
        if (!error.retryable || error.reason === 'aborted' || attempt >= attempts) throw error;
        const delay =
          error.reason === 'pool'
            ? 0
            : Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
        logger.warn('sending a transaction failed, retrying', {
          action,
          reason: error.reason,
          attempt,
          delayMs: Math.round(delay),
          resend: keepSigned ? 'same signed bytes' : 'resync nonce',
          error: error.details ?? error.shortMessage,
        });
        if (delay > 0)
          await sleep(delay, signal).catch((aborted: unknown) =>
            Promise.reject(toEvmChainError(aborted, action)),
          );
      }
    }
  };

  /** Broadcasts signed bytes; a node that already has them, or has mined them, counts as success. */
  const broadcastSigned = async (raw: string, hash: string): Promise<string> => {
    try {
      await provider.broadcastTransaction(raw);
      return hash;
    } catch (error) {
      const classified = toEvmChainError(error, 'broadcast');
      const text = `${classified.details ?? ''} ${error instanceof Error ? error.message : ''}`;
      if (/already known|known transaction|already imported/i.test(text)) return hash;
      if (classified.reason === 'pool' && (await provider.getTransaction(hash).catch(() => null)))
        return hash;
      throw error;
    }
  };

  const waitForReceipt = async (action: string, hash: string): Promise<TransactionReceipt> => {
    const deadline = Date.now() + parameters.txTimeoutMs;
    let failing = 0;
    for (;;) {
      if (signal.aborted) throw toEvmChainError(signal.reason, action);
      try {
        const receipt = await provider.getTransactionReceipt(hash);
        if (failing > 0) logger.info('reading receipts works again', { action, hash, failedPolls: failing });
        failing = 0;
        if (receipt) return receipt;
      } catch (error) {
        const classified = toEvmChainError(error, `read the receipt of ${action}`);
        if (!classified.retryable) throw classified;
        // Once per run of failures: the node may be down for a while, polled every pollMs.
        if (failing++ === 0)
          logger.warn('reading a receipt failed, polling on', {
            action,
            hash,
            reason: classified.reason,
            error: classified.details ?? classified.shortMessage,
          });
      }
      if (Date.now() >= deadline) {
        nextNonce = undefined;
        throw new RetryableChainError('timeout', `${capitalize(action)} was sent but not included in time.`, {
          details: `transaction ${hash}, waited ${parameters.txTimeoutMs} ms`,
          hint: 'The transaction may still be included; check it before sending the same call again.',
        });
      }
      await sleep(parameters.pollMs, signal).catch((aborted: unknown) =>
        Promise.reject(toEvmChainError(aborted, action)),
      );
    }
  };

  /** Names the custom error a mined transaction reverted with, by replaying it. */
  const explainFailure = async (
    action: string,
    request: TransactionRequest,
    receipt: TransactionReceipt,
  ): Promise<ChainError> => {
    try {
      await provider.call({ ...request, from: address, blockTag: Math.max(0, receipt.blockNumber - 1) });
    } catch (error) {
      const revert = decodeRevert(error);
      if (revert) {
        return new NonRetryableChainError('rejected', `The contract rejected ${action}: ${revert.text}.`, {
          chainCode: revert.name,
          details: `transaction ${receipt.hash} reverted in block ${receipt.blockNumber}`,
        });
      }
    }
    return new NonRetryableChainError('rejected', `${capitalize(action)} reverted on chain.`, {
      details: `transaction ${receipt.hash} reverted in block ${receipt.blockNumber}`,
    });
  };

  return {
    async send({ action, request }) {
      const estimate = await call(action, () => provider.estimateGas({ ...request, from: address }));
      const gasLimit = estimate + (estimate * BigInt(Math.round(parameters.gasHeadroomPercent))) / 100n;
      const sent = queue.then(() => broadcast(action, { ...request, gasLimit }));
      queue = sent.catch(() => undefined);
      const hash = await sent;
      const receipt = await waitForReceipt(action, hash);
      if (receipt.status !== 1) throw await explainFailure(action, request, receipt);
      return receipt;
    },
    idle: () => queue.then(() => undefined),
  };
}

function isNetworkFault(error: ChainError): boolean {
  return (
    error.retryable && (error.reason === 'connection' || error.reason === 'timeout' || error.reason === 'rpc')
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
