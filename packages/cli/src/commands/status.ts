import { Type } from '@sinclair/typebox';
import {
  chainConnectionFields,
  chainUnits,
  checkChainOptions,
  createStoreRouter,
  formatChainAmount,
  hotkeyFields,
  logFields,
  readRecentVerdicts,
  windowOfBlock,
} from '@tessera/core';
import type { Address, Commitment, OptionProblem, WindowVerdictsRead } from '@tessera/core';
import { withChain } from '../connect/openChain.js';
import { formatFields, formatTable } from '../format/table.js';
import { neuronCells, neuronColumns, neuronJson } from './metagraph.js';
import {
  addressField,
  addressProblem,
  addressUsageError,
  jsonField,
  readOnlyKeys,
  resolveAddress,
} from './rewards.js';
import { defineCommand } from './command.js';
import { exitCodes } from '../exitCodes.js';

// The key only names the account here; nothing is signed, so the wallet fields are not taken.
const { privateKey, hotkey } = hotkeyFields({ role: 'neuron' });

const schema = Type.Object({
  ...chainConnectionFields,
  address: Type.Optional(
    addressField({
      description:
        'The account to look at: on EVM its 0x address, on subtensor the hotkey as SS58 or 0x + 64 hex. Default: the account of --private-key (EVM) or --hotkey (subtensor).',
    }),
  ),
  privateKey,
  hotkey,
  windows: Type.Integer({
    description: 'How many windows, the current one included, to list the commitments of.',
    minimum: 1,
    maximum: 100,
    default: 5,
  }),
  verdictsFileUris: Type.Boolean({
    description:
      'Also read verdicts files at file: URIs (a devnet on this machine). Off by default: an aggregate\u2019s URI is a validator\u2019s word, and this machine\u2019s files are not its to name.',
    default: false,
  }),
  json: jsonField,
  ...logFields({ logLevel: 'warn' }),
});

/** A commitment for `--json`. */
type CommitmentJson = Pick<Commitment, 'window' | 'digest' | 'uri' | 'modelHash' | 'block'>;

/** How long one verdicts file may take to read. */
const verdictsTimeoutMs = 10_000;

/** The verdict column of a window: the reason a miner scored nothing is what it came to read. */
function verdictCell(read: WindowVerdictsRead | undefined): string {
  if (read === undefined || read.state === 'no-aggregate') return 'pending';
  if (read.state === 'unavailable') return 'unavailable';
  const verdict = read.verdicts[0];
  if (verdict === undefined) return 'not in the file';
  return verdict.status === 'scored' ? 'scored' : (verdict.reason ?? 'rejected');
}

/** `tessera status`: one neuron's uid, stake, metagraph row, rewards and recent commitments. */
export const statusCommand = defineCommand({
  name: 'status',
  summary: 'Show one neuron: uid, stake, metagraph row, rewards, recent commitments.',
  description:
    'Reads the state of one account; nothing is signed. The account is --address, or else the one of the configured key (--private-key on EVM, --hotkey on subtensor, as its secret or SS58 address). Prints its uid (or that it is not registered), its row of the metagraph (stake, permit, incentive, dividends), its claimable rewards (see `tessera rewards`), and for the last --windows windows, the current one included, the verdict the lead aggregate\u2019s validator published on it (scored, or the reason it was rejected: not-assigned, out-of-sync, missing, …; pending until the window\u2019s aggregate is published), its score and whether it was aggregated, and the commitment it made (digest, uri) or none. With --json one JSON object: subnet, address, block, window, registered, uid, neuron (as in `tessera metagraph --json`, null when not registered), rewards, unit, commitments (only the windows with one) and verdicts (state, validator, verdict per window).',
  schema,
  check: (options): OptionProblem[] => {
    const problems = checkChainOptions({ options, needs: readOnlyKeys });
    if (options.address !== undefined) {
      const problem = addressProblem({ chain: options.chain, text: options.address });
      if (problem !== undefined) problems.push({ field: 'address', problem });
    } else if (options.chain === 'evm' ? options.privateKey === undefined : options.hotkey === undefined) {
      problems.push({
        field: 'address',
        problem: `required without a key: the account to look at, or give ${options.chain === 'evm' ? '--private-key (TESSERA_PRIVATE_KEY)' : '--hotkey (TESSERA_HOTKEY)'} to look at its account`,
      });
    }
    return problems;
  },
  async run(options) {
    let address: Address | undefined;
    if (options.address !== undefined) {
      const resolved = await resolveAddress({ chain: options.chain, text: options.address });
      if ('problem' in resolved) return addressUsageError({ command: 'status', problem: resolved.problem });
      address = resolved.address;
    }
    // With --address the key is not needed, so it is not handed to the chain at all.
    const keys = address === undefined ? { privateKey: options.privateKey, hotkey: options.hotkey } : {};
    const keyed = { ...options, privateKey: undefined, hotkey: undefined, ...keys };
    return withChain({ options: keyed, command: 'status' }, async (opened) => {
      const { chain } = opened;
      const account = address ?? chain.address;
      const [timing, metagraph, uid, rewards] = await Promise.all([
        chain.timing(),
        chain.metagraph(),
        chain.uidOf(account),
        chain.rewards({ address: account }),
      ]);
      const neuron = uid === undefined ? undefined : metagraph.neurons.find((n) => n.uid === uid);
      const current =
        metagraph.block < timing.startBlock
          ? undefined
          : windowOfBlock({ block: metagraph.block, ...timing });
      const windows =
        current === undefined
          ? []
          : Array.from({ length: Math.min(options.windows, current + 1) }, (_, i) => current - i);
      const commitments = new Map<number, Commitment>();
      if (uid !== undefined) {
        const perWindow = await Promise.all(windows.map((window) => chain.commitments({ window })));
        for (const found of perWindow.flat()) if (found.uid === uid) commitments.set(found.window, found);
      }
      // What the lead aggregate's validator said of this uid in each window, from the file it
      // published beside the aggregate; a window without an aggregate yet is pending.
      const verdicts = new Map<number, WindowVerdictsRead>();
      if (uid !== undefined) {
        const router = createStoreRouter({ file: options.verdictsFileUris ? {} : false });
        const reads = await readRecentVerdicts({ chain, router, windows, uid, timeoutMs: verdictsTimeoutMs });
        for (const read of reads) verdicts.set(read.window, read);
      }
      const unit = chainUnits[options.chain].symbol;
      const amount = (value: bigint) => formatChainAmount({ chain: options.chain, value });

      if (options.json) {
        const result = {
          subnet: chain.subnetId,
          address: account,
          block: metagraph.block,
          window: current ?? null,
          registered: uid !== undefined,
          uid: uid ?? null,
          neuron: neuron === undefined ? null : neuronJson({ chain: options.chain, neuron }),
          rewards: { claimable: amount(rewards.claimable), claimed: amount(rewards.claimed) },
          unit,
          commitments: windows.flatMap((window): CommitmentJson[] => {
            const c = commitments.get(window);
            return c === undefined
              ? []
              : [{ window, digest: c.digest, uri: c.uri, modelHash: c.modelHash, block: c.block }];
          }),
          verdicts: windows.flatMap((window) => {
            const read = verdicts.get(window);
            if (read === undefined) return [];
            return [
              {
                window,
                state: read.state,
                validator: read.validator,
                verdict: read.verdicts[0] ?? null,
                ...(read.error === undefined ? {} : { error: read.error }),
              },
            ];
          }),
        };
        process.stdout.write(`${JSON.stringify(result)}\n`);
        return exitCodes.ok;
      }
      let text = formatFields([
        ['subnet', chain.subnetId],
        ['address', account],
        [
          'block',
          `${metagraph.block}${current === undefined ? ' (before the first window)' : `, window ${current}`}`,
        ],
        ['uid', uid === undefined ? 'not registered' : String(uid)],
        ['claimable', `${amount(rewards.claimable)} ${unit}`],
        ['claimed', `${amount(rewards.claimed)} ${unit}`],
      ]);
      if (neuron !== undefined) {
        text += `\n${formatTable({
          columns: neuronColumns({ chain: options.chain }),
          rows: [neuronCells({ chain: options.chain, neuron })],
        })}`;
      }
      if (uid !== undefined && windows.length > 0) {
        text += `\n${formatTable({
          columns: [
            { header: 'WINDOW', align: 'right' },
            { header: 'VERDICT' },
            { header: 'SCORE', align: 'right' },
            { header: 'AGGREGATED' },
            { header: 'DIGEST' },
            { header: 'URI' },
          ],
          rows: windows.map((window) => {
            const c = commitments.get(window);
            const read = verdicts.get(window);
            const verdict = read?.state === 'published' ? read.verdicts[0] : undefined;
            return [
              String(window),
              verdictCell(read),
              verdict === undefined ? '-' : verdict.score.toFixed(3),
              verdict === undefined ? '-' : verdict.inAggregate ? 'yes' : 'no',
              c?.digest ?? '-',
              c?.uri ?? 'no commitment',
            ];
          }),
        })}`;
      }
      process.stdout.write(text);
      return exitCodes.ok;
    });
  },
});
