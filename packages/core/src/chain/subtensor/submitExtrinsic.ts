import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { EventRecord } from '@polkadot/types/interfaces';
import type { ISubmittableResult } from '@polkadot/types/types';
import type { Logger } from '../../common/logger.js';
import { RetryableChainError } from '../../errors/chain.js';
import type { ChainError } from '../../errors/chain.js';
import type { Hex32, RetryOptions, TxReceipt } from '../types.js';
import { retryChainCall } from '../retryChainCall.js';
import { dispatchFailureToChainError, toChainError } from './toChainError.js';

/** Parameters of {@link submitExtrinsic}. */
export type SubmitExtrinsicParameters = {
  api: ApiPromise;
  tx: SubmittableExtrinsic<'promise'>;
  /** The sr25519 key that signs and pays. */
  signer: KeyringPair;
  /** What the transaction does, for messages: "set_weights". */
  action: string;
  /** Milliseconds to wait for inclusion. @default 120000 */
  timeoutMs?: number | undefined;
  /** Retries while the pool turns the transaction away (stale nonce, priority) or signing cannot reach the node. */
  retry?: RetryOptions | undefined;
  logger?: Logger | undefined;
  signal?: AbortSignal | undefined;
};

/** A transaction included in a block that dispatched successfully. */
export type SubmittedExtrinsic = {
  receipt: TxReceipt;
  blockHash: Hex32;
  /** The events the transaction emitted, `system.ExtrinsicSuccess` last. */
  events: EventRecord[];
};

/**
 * Signs a transaction with a fresh nonce, submits it, and waits until a block includes it.
 *
 * Retried inside: signing while the node is unreachable, and submissions the pool refused
 * outright (they never entered it, so sending again cannot double-spend). Not retried: a
 * connection lost after sending (the transaction may be in the pool; the error names its hash).
 *
 * @returns The receipt (`gasUsed` is the dispatch's ref-time weight), the block hash and the events.
 * @throws ChainError: `rejected`, `insufficient-funds`, `already-registered`, ... when the
 *   dispatch failed (with `chainCode` `Section.Error`); `timeout` when no block included it in time.
 * @example
 * const { receipt } = await submitExtrinsic({ api, tx: api.tx.system.remark('0x00'), signer: alice, action: 'remark' });
 */
export async function submitExtrinsic(parameters: SubmitExtrinsicParameters): Promise<SubmittedExtrinsic> {
  const { api, tx, signer, action, logger } = parameters;
  const timeoutMs = parameters.timeoutMs ?? 120_000;
  // Set once the signed transaction goes out: a connection lost after that is not retried.
  let submitted = false;
  return retryChainCall({
    action,
    retry: parameters.retry,
    classify: toChainError,
    logger,
    signal: parameters.signal,
    shouldRetry: (error) => error.reason === 'pool' || (error.reason === 'connection' && !submitted),
    run: async () => {
      submitted = false;
      await tx.signAsync(signer, { nonce: -1 });
      const hash = tx.hash.toHex() as Hex32;
      submitted = true;
      return watch(api, tx, { action, hash, timeoutMs, logger, signal: parameters.signal });
    },
  });
}

type WatchOptions = {
  action: string;
  hash: Hex32;
  timeoutMs: number;
  logger?: Logger | undefined;
  signal?: AbortSignal | undefined;
};

function watch(
  api: ApiPromise,
  tx: SubmittableExtrinsic<'promise'>,
  options: WatchOptions,
): Promise<SubmittedExtrinsic> {
  const { action, hash } = options;
  return new Promise<SubmittedExtrinsic>((resolve, reject) => {
    let unsubscribe: (() => void) | undefined;
    let settled = false;
    const finish = (outcome: { error: ChainError } | { value: SubmittedExtrinsic }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      unsubscribe?.();
      if ('error' in outcome) reject(outcome.error);
      else resolve(outcome.value);
    };
    const timer = setTimeout(
      () =>
        finish({
          error: new RetryableChainError('timeout', `No block included ${action} in time.`, {
            details: `${options.timeoutMs} ms; extrinsic ${hash}`,
            hint: 'It may still be included: check the hash before sending it again.',
          }),
        }),
      options.timeoutMs,
    );
    const onAbort = () => finish({ error: toChainError(options.signal?.reason, action) });
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const onStatus = (result: ISubmittableResult) => {
      const status = result.status;
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        finish({
          error: new RetryableChainError('pool', `The transaction pool dropped ${action}.`, {
            details: `${status.type}; extrinsic ${hash}`,
          }),
        });
        return;
      }
      if (!status.isInBlock && !status.isFinalized) return;
      const blockHash = (status.isInBlock ? status.asInBlock : status.asFinalized).toHex() as Hex32;
      if (result.dispatchError) {
        finish({
          error: dispatchFailureToChainError(describeDispatchError(api, result.dispatchError), action),
        });
        return;
      }
      // SubmittableResult carries the block number; the interface type does not declare it.
      const block = (result as { blockNumber?: { toNumber(): number } }).blockNumber?.toNumber();
      const fetchBlock =
        block !== undefined
          ? Promise.resolve(block)
          : api.rpc.chain.getHeader(blockHash).then((h) => h.number.toNumber());
      fetchBlock.then(
        (number) => {
          options.logger?.debug('transaction included', { action, hash, block: number });
          finish({
            value: {
              receipt: { hash, block: number, gasUsed: weightOf(result) },
              blockHash,
              events: [...result.events],
            },
          });
        },
        (error: unknown) => finish({ error: toChainError(error, `read the block that included ${action}`) }),
      );
    };

    tx.send(onStatus).then(
      (unsub) => {
        unsubscribe = unsub;
        if (settled) unsub();
      },
      (error: unknown) => {
        const chainError = toChainError(error, `submit ${action}`);
        if (chainError.reason === 'connection') {
          finish({
            error: new RetryableChainError('connection', `Lost the connection while submitting ${action}.`, {
              cause: error,
              details: `extrinsic ${hash}`,
              hint: 'It may have reached the pool: check the hash before sending it again.',
            }),
          });
        } else {
          finish({ error: chainError });
        }
      },
    );
  });
}

function describeDispatchError(api: ApiPromise, error: NonNullable<ISubmittableResult['dispatchError']>) {
  if (error.isModule) {
    try {
      const meta = api.registry.findMetaError(error.asModule);
      return {
        code: `${meta.section.charAt(0).toUpperCase()}${meta.section.slice(1)}.${meta.name}`,
        docs: meta.docs.join(' '),
      };
    } catch {
      return { code: `Module(${error.asModule.index.toString()}, ${error.asModule.error.toHex()})` };
    }
  }
  if (error.isToken) return { code: `Token.${error.asToken.type}` };
  if (error.isArithmetic) return { code: `Arithmetic.${error.asArithmetic.type}` };
  return { code: error.type };
}

function weightOf(result: ISubmittableResult): bigint {
  const weight = result.dispatchInfo?.weight as unknown as
    { refTime?: { toString(): string }; toString(): string } | undefined;
  if (!weight) return 0n;
  const value = (weight.refTime ?? weight).toString();
  return /^\d+$/.test(value) ? BigInt(value) : 0n;
}
