import { subnetAbi } from '@tessera/contracts';
import { FetchRequest, Interface, JsonRpcProvider, Network, makeError } from 'ethers';
import { rejectionOf } from '../../_test/rejectionOf.js';
import { startTestHttpServer } from '../../_test/startTestHttpServer.js';
import type { TestHttpServer } from '../../_test/startTestHttpServer.js';
import { NonRetryableChainError, RetryableChainError } from '../../errors/chain.js';
import { decodeRevert } from './decodeRevert.js';
import { probeChainId } from './probeChainId.js';
import { toEvmChainError } from './toEvmChainError.js';

const subnet = new Interface(subnetAbi);
const lateCommit = subnet.encodeErrorResult('Subnet__LateCommit', [3n, 45n]);

describe('decodeRevert', () => {
  it('decodes a Subnet custom error with its arguments, wherever ethers put the data', () => {
    const expected = {
      name: 'Subnet__LateCommit',
      args: { window: '3', deadline: '45' },
      text: 'Subnet__LateCommit(window=3, deadline=45)',
    };
    expect(decodeRevert({ code: 'CALL_EXCEPTION', data: lateCommit })).toEqual(expected);
    expect(decodeRevert({ code: 'UNKNOWN_ERROR', info: { error: { code: 3, data: lateCommit } } })).toEqual(
      expected,
    );
    expect(decodeRevert({ error: { error: { data: lateCommit } } })).toEqual(expected);
  });

  it('decodes token errors and Error(string), and ignores data it does not know', () => {
    const token = new Interface([
      'error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)',
    ]);
    const data = token.encodeErrorResult('ERC20InsufficientBalance', ['0x' + '11'.repeat(20), 1n, 2n]);
    expect(decodeRevert({ data })?.name).toBe('ERC20InsufficientBalance');
    const plain = new Interface(['error Error(string message)']).encodeErrorResult('Error', ['nope']);
    expect(decodeRevert({ data: plain })).toMatchObject({ name: 'Error', args: { message: 'nope' } });
    expect(decodeRevert({ data: '0xdeadbeef' })).toBeUndefined();
    expect(decodeRevert({ data: '0x' })).toBeUndefined();
    expect(decodeRevert(new Error('boom'))).toBeUndefined();
  });
});

describe('toEvmChainError', () => {
  it('makes a decoded revert NonRetryable with the error name as chainCode', () => {
    const error = toEvmChainError(
      makeError('execution reverted', 'CALL_EXCEPTION', { data: lateCommit } as never),
      'commit',
    );
    expect(error).toBeInstanceOf(NonRetryableChainError);
    expect(error).toMatchObject({ reason: 'rejected', chainCode: 'Subnet__LateCommit' });
    expect(error.message).toContain(
      'The contract rejected commit: Subnet__LateCommit(window=3, deadline=45).',
    );
    const registered = subnet.encodeErrorResult('Subnet__AlreadyRegistered', ['0x' + '22'.repeat(20), 4]);
    expect(toEvmChainError({ data: registered }, 'register').reason).toBe('already-registered');
    const unregistered = subnet.encodeErrorResult('Subnet__NotRegistered', ['0x' + '22'.repeat(20)]);
    expect(toEvmChainError({ data: unregistered }, 'commit').reason).toBe('not-registered');
  });

  it('retries network faults, timeouts, rate limits and nonce clashes, and nothing else', () => {
    const reasons = (error: unknown) => {
      const classified = toEvmChainError(error, 'read');
      return `${classified.retryable ? 'retry' : 'stop'}:${classified.reason}`;
    };
    expect(
      reasons(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })),
    ).toBe('retry:connection');
    expect(reasons(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(
      'retry:connection',
    );
    expect(reasons(makeError('timeout', 'TIMEOUT', { operation: 'request.send' } as never))).toBe(
      'retry:timeout',
    );
    expect(reasons(makeError('nonce has already been used', 'NONCE_EXPIRED'))).toBe('retry:pool');
    expect(
      reasons(
        makeError('could not coalesce error', 'UNKNOWN_ERROR', {
          error: { code: -32005, message: 'limit' },
        } as never),
      ),
    ).toBe('retry:rpc');
    expect(
      reasons({ code: 'UNKNOWN_ERROR', info: { error: { code: -32000, message: 'header not found' } } }),
    ).toBe('retry:rpc');
    expect(
      reasons({ code: 'UNKNOWN_ERROR', info: { error: { code: -32000, message: 'missing trie node abc' } } }),
    ).toBe('stop:state-pruned');
    expect(reasons(makeError('insufficient funds', 'INSUFFICIENT_FUNDS'))).toBe('stop:insufficient-funds');
    expect(reasons(makeError('bad data', 'BAD_DATA', { value: '0x' } as never))).toBe('stop:bad-response');
    expect(reasons(makeError('execution reverted', 'CALL_EXCEPTION'))).toBe('stop:rejected');
    expect(reasons(new TypeError('x is not a function'))).toBe('stop:rejected');
    expect(reasons(Object.assign(new Error('aborted'), { name: 'AbortError' }))).toBe('retry:aborted');
  });

  it('passes a ChainError through unchanged', () => {
    const original = new RetryableChainError('timeout', 'slow');
    expect(toEvmChainError(original, 'read')).toBe(original);
  });
});

describe('HTTP failures of a real endpoint', () => {
  let server: TestHttpServer;
  let status = 200;
  let body = '';
  beforeAll(async () => {
    server = await startTestHttpServer((_request, response) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(body);
    });
  });
  afterAll(() => server.close());

  const request = () => {
    const fetch = new FetchRequest(server.url);
    fetch.retryFunc = async () => false;
    return fetch;
  };
  const viaProvider = async () => {
    const network = Network.from(31337);
    const provider = new JsonRpcProvider(request(), network, { staticNetwork: network, batchMaxCount: 1 });
    try {
      return toEvmChainError(await rejectionOf(provider.getBlockNumber()), 'read the head');
    } finally {
      provider.destroy();
    }
  };

  it('retries 5xx and 429, stops on other 4xx', async () => {
    body = 'oops';
    for (const [code, expected] of [
      [503, 'retry:rpc'],
      [502, 'retry:rpc'],
      [429, 'retry:rpc'],
      [401, 'stop:rejected'],
    ] as const) {
      status = code;
      const error = await viaProvider();
      expect(`${error.retryable ? 'retry' : 'stop'}:${error.reason}`).toBe(expected);
      expect(error.details).toContain(`HTTP ${code}`);
    }
  });

  it('reads the chain id with one request and rejects a reply that is not one', async () => {
    status = 200;
    body = JSON.stringify({ jsonrpc: '2.0', id: 1, result: '0x7a69' });
    expect(await probeChainId({ request: request() })).toBe(31337);
    body = JSON.stringify({ jsonrpc: '2.0', id: 1, result: 'banana' });
    expect(await rejectionOf(probeChainId({ request: request() }))).toMatchObject({ reason: 'bad-response' });
    body = '<html>';
    expect(await rejectionOf(probeChainId({ request: request() }))).toMatchObject({ reason: 'bad-response' });
    body = JSON.stringify({ jsonrpc: '2.0', id: 1, error: { code: -32005, message: 'rate limit exceeded' } });
    expect(toEvmChainError(await rejectionOf(probeChainId({ request: request() })), 'probe')).toMatchObject({
      reason: 'rpc',
      retryable: true,
    });
  });
});
