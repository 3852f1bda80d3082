import { createInterface } from 'node:readline';
import { Type } from '@sinclair/typebox';
import { formatUnits } from 'ethers';
import { chainUnits, formatChainAmount } from '@tessera/core';
import type { AccountBalance, ChainName, PlannedWrite, SubnetChain, WriteEstimate } from '@tessera/core';
import { exitCodes } from '../exitCodes.js';
import type { ExitCode } from '../exitCodes.js';

/**
 * `--yes` and `--dry-run`, to spread into the schema of a command that moves funds
 * (`register`, `stake`, `delegate`, `claim`).
 */
export const confirmFields = {
  yes: Type.Boolean({
    description:
      'Send without asking "Proceed? [y/N]"; required where stdin is not a terminal (scripts, CI, supervisors).',
    default: false,
  }),
  dryRun: Type.Boolean({
    description: 'Print the plan (amounts, fees, balance after) and exit without signing anything.',
    default: false,
  }),
};

/** Where the plan is printed and the answer read; tests pass their own. */
export type PromptStreams = {
  /** The answer comes from here; asked only when `isTTY` is true. @default process.stdin */
  input: NodeJS.ReadableStream & { isTTY?: boolean | undefined };
  /** The plan and the question go here. @default process.stderr */
  output: NodeJS.WritableStream;
};

/** A plan: one line saying what the command will do, then labelled rows. */
export type WritePlan = { title: string; rows: (readonly [label: string, value: string])[] };

/** What {@link confirmPlan} decided. */
export type PlanDecision = 'send' | 'dry-run' | 'declined' | 'no-terminal';

/**
 * Prints `plan` on `streams.output`, then decides: `dry-run` with `--dry-run`, `send` with
 * `--yes`, otherwise asks `Proceed? [y/N]` on a terminal (`y` or `yes` sends, anything else,
 * an empty line or the end of input declines) and refuses (`no-terminal`) where stdin is not one.
 *
 * @example
 * const decision = await confirmPlan({ plan, yes: options.yes, dryRun: options.dryRun });
 */
export async function confirmPlan(parameters: {
  plan: WritePlan;
  yes: boolean;
  dryRun: boolean;
  streams?: PromptStreams | undefined;
}): Promise<PlanDecision> {
  const { input, output } = parameters.streams ?? { input: process.stdin, output: process.stderr };
  output.write(renderPlan(parameters.plan));
  if (parameters.dryRun) {
    output.write('Dry run: nothing was signed or sent.\n');
    return 'dry-run';
  }
  if (parameters.yes) return 'send';
  if (input.isTTY !== true) {
    output.write(
      'Not sending: stdin is not a terminal to confirm on. Pass --yes to send without asking, or --dry-run to only see the plan.\n',
    );
    return 'no-terminal';
  }
  const answer = await askLine({ input, output, question: 'Proceed? [y/N] ' });
  if (/^y(es)?$/i.test(answer.trim())) return 'send';
  output.write('Declined: nothing was sent.\n');
  return 'declined';
}

/**
 * The shared step of `register`, `stake`, `delegate` and `claim` before they sign: prices
 * `write` (`chain.estimateWrite`, where the backend has it), prints the plan and asks.
 *
 * @returns undefined to go on and send, or the exit code to return now: 0 after a dry run,
 *   `exitCodes.refused` (3) when the user declined or there was no terminal to ask on.
 * @example
 * const stop = await confirmWrite({ options, chain, write: { kind: 'claim' }, title: 'claim 5 TSR of rewards' });
 * if (stop !== undefined) return stop;
 */
export async function confirmWrite(parameters: {
  /** The command's `--chain`, `--yes` and `--dry-run`. */
  options: { chain: ChainName; yes: boolean; dryRun: boolean };
  chain: SubnetChain;
  write: PlannedWrite;
  /** What the command will do, in words: `register as a validator with 1000 TSR of stake`. */
  title: string;
  /** Rows the command adds before the costs (the role, the amount). */
  rows?: WritePlan['rows'] | undefined;
  streams?: PromptStreams | undefined;
}): Promise<ExitCode | undefined> {
  const { chain, options } = parameters;
  const estimate = chain.estimateWrite ? await chain.estimateWrite(parameters.write) : undefined;
  const balance = estimate ? estimate.balance : await chain.balance?.();
  const plan: WritePlan = {
    title: `${parameters.title} on ${chain.subnetId}`,
    rows: [
      ...(parameters.rows ?? []),
      ...planRows({ chain: options.chain, account: chain.address, estimate, balance }),
    ],
  };
  const decision = await confirmPlan({
    plan,
    yes: options.yes,
    dryRun: options.dryRun,
    streams: parameters.streams,
  });
  if (decision === 'send') return undefined;
  return decision === 'dry-run' ? exitCodes.ok : exitCodes.refused;
}

/** The rows of a plan from an estimate: who pays, what it acts on, the burn, fees and balances. */
export function planRows(parameters: {
  chain: ChainName;
  account: string;
  estimate: WriteEstimate | undefined;
  balance: AccountBalance | undefined;
}): WritePlan['rows'] {
  const { chain, estimate, balance } = parameters;
  const token = (value: bigint) => `${formatChainAmount({ chain, value })} ${chainUnits[chain].symbol}`;
  // On EVM fees and the miner's burn are paid in the chain's native currency (18 decimals, as ether).
  const coin = chain === 'evm' ? (value: bigint) => `${formatChainAmount({ chain, value })} ETH` : token;
  const rows: [string, string][] = [['account', `${estimate?.payer ?? parameters.account} (signs and pays)`]];
  if (estimate?.target) {
    const { uid, hotkey } = estimate.target;
    rows.push([
      uid === undefined ? 'hotkey' : 'validator',
      uid === undefined ? hotkey : `uid ${uid}, hotkey ${hotkey}`,
    ]);
  }
  if (!estimate) {
    rows.push(['fees', 'not estimated (this chain backend cannot estimate them)']);
    if (balance)
      rows.push(['balance now', balances({ chain, balance, token, coin, sameCoin: chain === 'subtensor' })]);
    return rows;
  }
  if (estimate.burn > 0n) rows.push(['registration burn', coin(estimate.burn)]);
  let fees = 0n;
  let unknown = 0;
  for (const tx of estimate.transactions) {
    if (tx.fee === undefined) {
      unknown++;
      rows.push([`fee of ${tx.action}`, `not estimated (${tx.note ?? 'the chain gives no estimate'})`]);
      continue;
    }
    fees += tx.fee;
    const gas =
      tx.gas === undefined
        ? ''
        : tx.feePerGas === undefined
          ? ` (${tx.gas} gas)`
          : ` (${tx.gas} gas × ${formatUnits(tx.feePerGas, 'gwei')} gwei)`;
    rows.push([`fee of ${tx.action}`, `${coin(tx.fee)}${gas}`]);
  }
  if (!estimate.balance) {
    rows.push(['balance after', 'not read (this chain backend cannot read balances)']);
    return rows;
  }
  const now = estimate.balance;
  const after: AccountBalance = estimate.sameCoin
    ? { token: now.token + estimate.change.token - fees, fees: now.fees + estimate.change.fees - fees }
    : { token: now.token + estimate.change.token, fees: now.fees + estimate.change.fees - fees };
  const shown = { chain, token, coin, sameCoin: estimate.sameCoin };
  rows.push(['balance now', balances({ ...shown, balance: now })]);
  rows.push([
    'balance after',
    `${balances({ ...shown, balance: after })}${unknown > 0 ? ', less the fees not estimated' : ''}${
      after.token < 0n || after.fees < 0n ? ' — too little to pay for this' : ''
    }`,
  ]);
  return rows;
}

function balances(parameters: {
  chain: ChainName;
  balance: AccountBalance;
  token: (value: bigint) => string;
  coin: (value: bigint) => string;
  sameCoin: boolean;
}): string {
  const { balance } = parameters;
  return parameters.sameCoin
    ? `${parameters.token(balance.token)} free`
    : `${parameters.token(balance.token)}, ${parameters.coin(balance.fees)}`;
}

/** The plan as the terminal shows it: the title, then each row's label in one column. */
export function renderPlan(plan: WritePlan): string {
  const width = Math.max(0, ...plan.rows.map(([label]) => label.length));
  return [
    `Plan: ${plan.title}`,
    ...plan.rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    '',
  ].join('\n');
}

/** Reads one line after printing `question`; the end of input reads as an empty answer. */
function askLine(parameters: {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  question: string;
}): Promise<string> {
  const { input, output } = parameters;
  output.write(parameters.question);
  return new Promise((resolve) => {
    const lines = createInterface({ input, terminal: false });
    let answered = false;
    lines.once('line', (line) => {
      answered = true;
      resolve(line);
      lines.close();
    });
    lines.once('close', () => {
      if (!answered) output.write('\n');
      resolve('');
    });
  });
}
