import { NonRetryableChainError } from '../../errors/chain.js';
import { dispatchFailureToChainError, toChainError } from './toChainError.js';

const rpcError = (code: number, message: string) => Object.assign(new Error(`${code}: ${message}`), { code });

describe('toChainError', () => {
  it.each([
    [new Error('disconnected from ws://127.0.0.1:9944: 1006:: Abnormal Closure'), 'connection', true],
    [{ message: 'connect ECONNREFUSED 127.0.0.1:9944' }, 'connection', true],
    [new Error('WebSocket is not connected'), 'connection', true],
    [new Error('No response received from RPC endpoint in 30s'), 'timeout', true],
    [
      rpcError(1010, 'Invalid Transaction: Inability to pay some fees , e.g. account balance too low'),
      'insufficient-funds',
      false,
    ],
    [rpcError(1010, '{"invalid":{"payment":null}}'), 'insufficient-funds', false],
    [rpcError(1010, 'Invalid Transaction: Transaction is outdated'), 'pool', true],
    [rpcError(1010, 'Invalid Transaction: Transaction has a bad signature'), 'rejected', false],
    [rpcError(1014, 'Priority is too low: (1 vs 1)'), 'pool', true],
    [rpcError(1012, 'Transaction is temporarily banned'), 'pool', true],
    [rpcError(4003, 'Client error: State already discarded for 0xabc'), 'state-pruned', false],
    [rpcError(-32603, 'Internal error'), 'rpc', true],
    [Object.assign(new Error('aborted'), { name: 'AbortError' }), 'aborted', true],
    [new TypeError('x.toNumber is not a function'), 'bad-response', false],
  ])('classifies %p as %s', (error, reason, retryable) => {
    const chainError = toChainError(error, 'do it');
    expect(chainError.reason).toBe(reason);
    expect(chainError.retryable).toBe(retryable);
  });

  it('names the custom code of an invalid transaction', () => {
    expect(
      toChainError(rpcError(1010, 'Invalid Transaction: Custom error: 6'), 'set_weights').chainCode,
    ).toBe('InvalidTransaction.Custom(6)');
  });

  it('passes a ChainError through', () => {
    const original = new NonRetryableChainError('not-found', 'gone');
    expect(toChainError(original, 'x')).toBe(original);
  });
});

describe('dispatchFailureToChainError', () => {
  it.each([
    ['SubtensorModule.SettingWeightsTooFast', 'pool', true],
    ['Commitments.SpaceLimitExceeded', 'pool', true],
    ['SubtensorModule.TooManyRegistrationsThisBlock', 'pool', true],
    ['SubtensorModule.NotEnoughBalanceToStake', 'insufficient-funds', false],
    ['Balances.InsufficientBalance', 'insufficient-funds', false],
    ['Token.FundsUnavailable', 'insufficient-funds', false],
    ['SubtensorModule.HotKeyAlreadyRegisteredInSubNet', 'already-registered', false],
    ['SubtensorModule.HotKeyNotRegisteredInSubNet', 'not-registered', false],
    ['Commitments.AccountNotAllowedCommit', 'not-registered', false],
    ['SubtensorModule.NeuronNoValidatorPermit', 'rejected', false],
    ['BadOrigin', 'rejected', false],
  ])('classifies %s as %s', (code, reason, retryable) => {
    const error = dispatchFailureToChainError({ code }, 'x');
    expect([error.reason, error.retryable, error.chainCode]).toEqual([reason, retryable, code]);
  });
});
