/** The chain backends a command can name with `--chain`. */
export type ChainName = 'evm' | 'subtensor';

/** The unit amounts are written in on one chain. */
export type ChainUnit = {
  /** What people write: `TSR` (the Tessera token on EVM), `TAO` on subtensor. */
  symbol: string;
  /** Decimals between the unit and the base unit the chain counts in. */
  decimals: number;
  /** Name of the base unit: `wei`, `rao`. */
  base: string;
  /** Largest amount the chain's calls take, in base units (uint256 on EVM, u64 on subtensor). */
  max: bigint;
};

/**
 * The unit of each chain: Tessera's ERC-20 has 18 decimals (wei), TAO has 9 (1 TAO = 10⁹ rao)
 * and subtensor's calls take u64 rao.
 */
export const chainUnits: Readonly<Record<ChainName, ChainUnit>> = Object.freeze({
  evm: Object.freeze({ symbol: 'TSR', decimals: 18, base: 'wei', max: (1n << 256n) - 1n }),
  subtensor: Object.freeze({ symbol: 'TAO', decimals: 9, base: 'rao', max: (1n << 64n) - 1n }),
});

/** A parsed amount, or what is wrong with the text. */
export type ParsedAmount = { ok: true; value: bigint } | { ok: false; problem: string };

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * Reads an amount written in a chain's unit (`1.5` TAO) as base units (`1500000000` rao).
 * Decimal strings only: digits, optionally a dot and more digits. Signs, exponents, spaces,
 * a bare dot, more decimals than the unit has, zero (unless `allowZero`) and amounts above what
 * the chain's calls take are refused, with a problem that names the unit.
 *
 * @example
 * parseChainAmount({ chain: 'subtensor', text: '1.5' }); // { ok: true, value: 1500000000n }
 * parseChainAmount({ chain: 'subtensor', text: '0.0000000001' }); // { ok: false, problem: 'has 10 decimals; TAO has 9 (1 rao = 0.000000001 TAO)' }
 */
export function parseChainAmount(parameters: {
  chain: ChainName;
  text: string;
  /** @default false */
  allowZero?: boolean | undefined;
}): ParsedAmount {
  const unit = chainUnits[parameters.chain];
  const { text } = parameters;
  const match = DECIMAL.exec(text);
  if (!match) {
    const problem = /^\s*-/.test(text)
      ? `must not be negative: an amount of ${unit.symbol}`
      : `expected an amount of ${unit.symbol} as a decimal number such as 1 or 0.5, got ${JSON.stringify(text)}`;
    return { ok: false, problem };
  }
  const whole = match[1] as string;
  const fraction = match[2] ?? '';
  if (fraction.length > unit.decimals) {
    return {
      ok: false,
      problem: `has ${fraction.length} decimals; ${unit.symbol} has ${unit.decimals} (1 ${unit.base} = ${formatChainAmount({ chain: parameters.chain, value: 1n })} ${unit.symbol})`,
    };
  }
  const value =
    BigInt(whole) * 10n ** BigInt(unit.decimals) + BigInt(fraction.padEnd(unit.decimals, '0') || '0');
  if (value === 0n && !parameters.allowZero)
    return { ok: false, problem: `must be more than 0 ${unit.symbol}` };
  if (value > unit.max) {
    return {
      ok: false,
      problem: `is more than the chain takes: at most ${formatChainAmount({ chain: parameters.chain, value: unit.max })} ${unit.symbol}`,
    };
  }
  return { ok: true, value };
}

/**
 * Writes base units in a chain's unit, with as many decimals as needed and no trailing zeros:
 * `1500000000n` rao is `'1.5'` TAO, `1n` wei is `'0.000000000000000001'`.
 *
 * @example
 * formatChainAmount({ chain: 'evm', value: 10n ** 18n }); // '1'
 */
export function formatChainAmount(parameters: { chain: ChainName; value: bigint }): string {
  const { decimals } = chainUnits[parameters.chain];
  const negative = parameters.value < 0n;
  const magnitude = negative ? -parameters.value : parameters.value;
  const scale = 10n ** BigInt(decimals);
  const whole = magnitude / scale;
  const fraction = (magnitude % scale).toString().padStart(decimals, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}

/**
 * An amount in a chain's unit followed by the unit's symbol, as commands print it:
 * `1500000000n` rao is `'1.5 TAO'`.
 *
 * @example
 * formatChainAmountWithUnit({ chain: 'evm', value: 10n ** 18n }); // '1 TSR'
 */
export function formatChainAmountWithUnit(parameters: { chain: ChainName; value: bigint }): string {
  return `${formatChainAmount(parameters)} ${chainUnits[parameters.chain].symbol}`;
}
