import type { Provider, TransactionReceipt } from 'ethers';
import { ContractsError } from './errors.js';

/** Parameters of {@link waitForReceipt}. */
export type WaitForReceiptParameters = {
  provider: Provider;
  /** Hash of the sent transaction. */
  hash: string;
  /** Blocks that must include or follow it. @default 1 */
  confirmations?: number | undefined;
  /** Milliseconds between polls. @default 50 */
  pollMs?: number | undefined;
  /** Milliseconds to wait in all. @default 120000 */
  timeoutMs?: number | undefined;
};

/**
 * Waits for a transaction's receipt by polling `eth_getTransactionReceipt` directly.
 *
 * Use it instead of ethers' `tx.wait()` against anvil: anvil mines asynchronously after
 * `eth_sendTransaction` returns, and when the block lands between ethers' receipt check and
 * the start of its block poller, `wait()` waits for a block that never comes.
 *
 * @returns The receipt (a reverted transaction has status 0; check it).
 * @throws ContractsError when no receipt with enough confirmations arrives in time.
 * @example
 * const tx = await subnet.connect(signer).settleEpoch(epoch);
 * const receipt = await waitForReceipt({ provider, hash: tx.hash });
 */
export async function waitForReceipt(parameters: WaitForReceiptParameters): Promise<TransactionReceipt> {
  const { provider, hash } = parameters;
  const confirmations = parameters.confirmations ?? 1;
  const pollMs = parameters.pollMs ?? 50;
  const deadline = Date.now() + (parameters.timeoutMs ?? 120_000);
  for (;;) {
    const receipt = await provider.getTransactionReceipt(hash);
    if (
      receipt &&
      (confirmations <= 1 || (await provider.getBlockNumber()) - receipt.blockNumber + 1 >= confirmations)
    ) {
      return receipt;
    }
    if (Date.now() > deadline) {
      throw new ContractsError('Timed out waiting for a transaction receipt.', {
        details: `${hash}${receipt ? ` (mined in block ${receipt.blockNumber}, waiting for ${confirmations} confirmations)` : ''}`,
        hint: 'Check that the node is mining and the transaction was not dropped.',
      });
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
