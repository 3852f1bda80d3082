import { chainUnits, formatChainAmount, parseChainAmount } from './chainAmount.js';

// Fixed vectors: 1 TAO = 10^9 rao (Bittensor), 1 TSR = 10^18 wei (an 18-decimal ERC-20).
describe('parseChainAmount', () => {
  it.each([
    ['subtensor', '1', 1_000_000_000n],
    ['subtensor', '1.5', 1_500_000_000n],
    ['subtensor', '0.000000001', 1n],
    ['subtensor', '123.456789012', 123_456_789_012n],
    ['subtensor', '007.10', 7_100_000_000n],
    ['subtensor', '18446744073.709551615', 18_446_744_073_709_551_615n],
    ['evm', '1', 1_000_000_000_000_000_000n],
    ['evm', '1000', 1_000_000_000_000_000_000_000n],
    ['evm', '0.000000000000000001', 1n],
    ['evm', '2.5', 2_500_000_000_000_000_000n],
  ] as const)('%s %s is %s base units', (chain, text, value) => {
    expect(parseChainAmount({ chain, text })).toEqual({ ok: true, value });
  });

  it.each([
    ['subtensor', '0.0000000001', 'has 10 decimals; TAO has 9 (1 rao = 0.000000001 TAO)'],
    ['evm', '1.0000000000000000001', 'has 19 decimals; TSR has 18 (1 wei = 0.000000000000000001 TSR)'],
    ['subtensor', '-1', 'must not be negative'],
    ['evm', '-0.5', 'must not be negative'],
    ['subtensor', 'ten', 'expected an amount of TAO as a decimal number'],
    ['subtensor', '1e9', 'expected an amount of TAO'],
    ['subtensor', '+1', 'expected an amount of TAO'],
    ['subtensor', '.5', 'expected an amount of TAO'],
    ['subtensor', '5.', 'expected an amount of TAO'],
    ['subtensor', ' 1', 'expected an amount of TAO'],
    ['subtensor', '', 'expected an amount of TAO'],
    ['evm', '1,5', 'expected an amount of TSR'],
    ['subtensor', '0', 'must be more than 0 TAO'],
    ['evm', '0.000', 'must be more than 0 TSR'],
    ['subtensor', '18446744073.709551616', 'at most 18446744073.709551615 TAO'],
  ] as const)('%s %j is refused', (chain, text, problem) => {
    const parsed = parseChainAmount({ chain, text });
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.problem).toContain(problem);
  });

  it('takes zero when asked to', () => {
    expect(parseChainAmount({ chain: 'subtensor', text: '0', allowZero: true })).toEqual({
      ok: true,
      value: 0n,
    });
  });
});

describe('formatChainAmount', () => {
  it.each([
    ['subtensor', 1_500_000_000n, '1.5'],
    ['subtensor', 1n, '0.000000001'],
    ['subtensor', 0n, '0'],
    ['subtensor', 42_000_000_000n, '42'],
    ['evm', 10n ** 18n, '1'],
    ['evm', 1n, '0.000000000000000001'],
    ['evm', 1_234_500_000_000_000_000n, '1.2345'],
    ['evm', -(10n ** 17n), '-0.1'],
  ] as const)('%s %s is %s', (chain, value, text) => {
    expect(formatChainAmount({ chain, value })).toBe(text);
  });

  it('reads back what it writes', () => {
    for (const chain of ['evm', 'subtensor'] as const) {
      for (const value of [1n, 10n ** 9n, 123_456_789n, chainUnits[chain].max]) {
        expect(parseChainAmount({ chain, text: formatChainAmount({ chain, value }) })).toEqual({
          ok: true,
          value,
        });
      }
    }
  });
});
