import type { FetchRequest } from 'ethers';
import { NonRetryableChainError } from '../../errors/chain.js';

/**
 * Asks a JSON-RPC endpoint for its chain id with one plain `eth_chainId` request, without an
 * ethers provider (whose network detection would retry forever while the node is down).
 *
 * @param parameters.request The endpoint (URL, timeout, headers); it is cloned, not changed.
 * @returns The chain id.
 * @throws What the request threw (classify it with `toEvmChainError`), or NonRetryableChainError
 *   `bad-response` when the reply is not a chain id.
 * @example
 * const chainId = await probeChainId({ request: new FetchRequest('http://127.0.0.1:8545') });
 */
export async function probeChainId(parameters: { request: FetchRequest }): Promise<number> {
  const request = parameters.request.clone();
  request.body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] });
  request.setHeader('content-type', 'application/json');
  const response = await request.send();
  response.assertOk();
  let body: unknown;
  try {
    body = response.bodyJson;
  } catch (cause) {
    throw new NonRetryableChainError('bad-response', 'The RPC endpoint did not answer with JSON.', {
      cause,
      details: response.bodyText.slice(0, 200),
      hint: 'Check that the URL is an Ethereum JSON-RPC endpoint.',
    });
  }
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (record.error !== undefined) {
    // Let the caller classify the node's own error (rate limits, busy nodes).
    const error = record.error as { code?: unknown; message?: unknown };
    throw Object.assign(new Error(String(error.message ?? 'eth_chainId failed')), {
      code: 'UNKNOWN_ERROR',
      info: { error },
    });
  }
  const result = record.result;
  if (typeof result !== 'string' || !/^0x[0-9a-f]+$/i.test(result) || result.length > 15) {
    throw new NonRetryableChainError('bad-response', 'The RPC endpoint returned a malformed chain id.', {
      details: JSON.stringify(result),
    });
  }
  return Number.parseInt(result, 16);
}
