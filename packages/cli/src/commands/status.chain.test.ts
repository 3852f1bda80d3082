import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { connectToken, waitForReceipt } from '@tessera/contracts';
import { createEvmChain, encodeWindowVerdicts, silentLogger, windowVerdictsUri } from '@tessera/core';
import type { EvmChain, Hex32 } from '@tessera/core';
import type { Anvil } from '@tessera/devtools';
import { Wallet, parseUnits } from 'ethers';
import { runTessera } from '../_test/runTessera.js';
import { startTestSubnet } from '../_test/startTestSubnet.js';
import type { TestSubnet } from '../_test/startTestSubnet.js';
import { devAccountKeys } from '../devnet/devAccounts.js';
import { commands } from './all.js';

/**
 * `tessera metagraph`, `rewards` and `status` against a subnet on anvil with one validator
 * (uid 0, 1000 TSR staked) and one miner (uid 1) that committed in windows 0 and 1 and not in
 * window 2, the current one. None of the commands is given a key unless the test says so.
 */

const [, validatorKey, minerKey, strangerKey] = devAccountKeys({ count: 4 });
const validatorAddress = new Wallet(validatorKey!).address;
const minerAddress = new Wallet(minerKey!).address;
const strangerAddress = new Wallet(strangerKey!).address;
/** The miner's address with the case of one letter flipped: still mixed case, no longer EIP-55. */
const wrongChecksum = minerAddress.replace(/[a-fA-F]/, (c) =>
  c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase(),
);
const blocksPerWindow = 10;
const digests: Hex32[] = [`0x${'d0'.repeat(32)}`, `0x${'d1'.repeat(32)}`];
const modelHash: Hex32 = `0x${'aa'.repeat(32)}`;
const aggregateHash: Hex32 = `0x${'bb'.repeat(32)}`;
/** Window 1's uri tries to clear the screen and fake a second row in a terminal. */
const uris = ['https://updates.example/w0.bin', 'https://updates.example/w1.bin\u001b[2J\n9  0xfake  forged'];

let subnet: TestSubnet;
let anvil: Anvil;
let dir: string;
let deploymentPath: string;
let headBlock: number;
let aggregateUri: string;
const chains: EvmChain[] = [];

beforeAll(async () => {
  // Anvil starts at block 0; the deployment and registrations take the first few.
  const startBlock = 20;
  subnet = await startTestSubnet({
    name: 'status',
    params: {
      startBlock,
      blocksPerWindow,
      windowsPerEpoch: 4,
      deadlineGraceBlocks: 2,
      weightsRateLimit: 1,
      immunityPeriod: 10_000,
      stakeLockBlocks: 10,
    },
  });
  ({ anvil, dir, deploymentPath } = subnet);
  const { provider, deployer, deployment } = subnet;
  const open = async (privateKey: string) => {
    const chain = await createEvmChain({
      rpcUrl: anvil.rpcUrl,
      deployment,
      privateKey,
      logger: silentLogger,
    });
    chains.push(chain);
    return chain;
  };
  const stake = parseUnits('1000', 18);
  const transfer = await connectToken({ address: deployment.token, runner: deployer }).transfer(
    validatorAddress,
    stake,
  );
  await waitForReceipt({ provider, hash: transfer.hash });
  await (await open(validatorKey!)).registerValidator({ stake });
  const miner = await open(minerKey!);
  await miner.registerMiner();

  const mineTo = async (block: number) => anvil.mine(block - (await provider.getBlockNumber()));
  for (const window of [0, 1]) {
    await mineTo(startBlock + window * blocksPerWindow);
    const outcome = await miner.commit({ window, digest: digests[window]!, uri: uris[window]!, modelHash });
    expect(outcome.status).toBe('committed');
  }
  // Window 0's aggregate, with the verdicts file beside its model file; window 1 has none yet.
  await mineTo(startBlock + blocksPerWindow + 4);
  aggregateUri = pathToFileURL(join(dir, 'w00000000.ckpt')).href;
  const published = await chains[0]!.publishAggregate({
    window: 0,
    uids: [1],
    modelHash: aggregateHash,
    normBound: 1,
    uri: aggregateUri,
  });
  expect(published.status).toBe('published');
  const aggregate = await chains[0]!.aggregate({ window: 0 });
  const { bytes } = encodeWindowVerdicts({
    window: 0,
    validator: aggregate!.validator,
    modelHash: aggregateHash,
    uids: [1],
    verdicts: [{ uid: 1, status: 'scored', reason: null, score: 0.875, lossGain: 0.0123, inAggregate: true }],
  });
  await writeFile(fileURLToPath(windowVerdictsUri(aggregateUri)), bytes);
  await mineTo(startBlock + 2 * blocksPerWindow + 1);
  headBlock = await provider.getBlockNumber();
}, 120_000);

afterAll(async () => {
  for (const chain of chains) await chain.disconnect();
  await subnet?.stop();
});

const cli = (argv: string[]) => runTessera(commands, argv);

const connection = () => ['--rpc-url', anvil.rpcUrl, '--deployment', deploymentPath];

/** Where each header word starts in the header line, and each cell's span in the rows. */
function columnsOf(table: string) {
  const [header, ...rows] = table.trimEnd().split('\n');
  return { header: header!, rows };
}

describe('tessera metagraph', () => {
  it('prints every uid with its hotkey, role, stake and permit as one JSON document, with no key', async () => {
    const { code, out, err } = await cli(['metagraph', ...connection(), '--json']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(result.block).toBeGreaterThanOrEqual(headBlock);
    expect(result.unit).toBe('TSR');
    expect(result.subnet).toMatch(/^evm:31337:0x[0-9a-fA-F]{40}$/);
    expect(result.neurons).toEqual([
      expect.objectContaining({
        uid: 0,
        hotkey: validatorAddress,
        role: 'validator',
        stake: '1000',
        validatorPermit: true,
        emission: null,
      }),
      expect.objectContaining({
        uid: 1,
        hotkey: minerAddress,
        role: 'miner',
        stake: '0',
        validatorPermit: false,
      }),
    ]);
    for (const neuron of result.neurons) {
      expect(neuron.incentive).toBeGreaterThanOrEqual(0);
      expect(neuron.dividends).toBeLessThanOrEqual(1);
      expect(Number.isInteger(neuron.registeredAt)).toBe(true);
    }
  });

  it('lines the table up: left columns start, right columns end, under their headers', async () => {
    const { code, out } = await cli(['metagraph', ...connection()]);
    expect(code).toBe(0);
    const [title, blank, ...table] = out.split('\n');
    expect(title).toMatch(/^evm:31337:0x[0-9a-fA-F]{40} at block \d+: 2 neurons$/);
    expect(blank).toBe('');
    const { header, rows } = columnsOf(table.join('\n'));
    expect(header.split(/\s{2,}/)).toEqual([
      'UID',
      'HOTKEY',
      'ROLE',
      'STAKE (TSR)',
      'PERMIT',
      'INCENTIVE',
      'DIVIDENDS',
      'EMISSION (TSR)',
      'REGISTERED',
    ]);
    expect(rows).toHaveLength(2);
    const [validatorRow, minerRow] = rows as [string, string];
    expect(validatorRow.indexOf(validatorAddress)).toBe(header.indexOf('HOTKEY'));
    expect(minerRow.indexOf(minerAddress)).toBe(header.indexOf('HOTKEY'));
    expect(validatorRow.indexOf('validator')).toBe(header.indexOf('ROLE'));
    expect(minerRow.indexOf('miner')).toBe(header.indexOf('ROLE'));
    const stakeEnd = header.indexOf('STAKE (TSR)') + 'STAKE (TSR)'.length;
    expect(validatorRow.slice(0, stakeEnd)).toMatch(/ 1000$/);
    expect(minerRow.slice(0, stakeEnd)).toMatch(/ 0$/);
    expect(validatorRow.slice(header.indexOf('PERMIT'))).toMatch(/^yes /);
    expect(minerRow.slice(header.indexOf('PERMIT'))).toMatch(/^no /);
    expect(validatorRow).toMatch(/^ {2}0 {2}/);
    expect(minerRow).toMatch(/^ {2}1 {2}/);
  });
});

describe('tessera rewards', () => {
  it('reads an address’s rewards without a key, and writes the address checksummed', async () => {
    const { code, out, err } = await cli([
      'rewards',
      ...connection(),
      '--address',
      minerAddress.toLowerCase(),
      '--json',
    ]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({ address: minerAddress, claimable: '0', claimed: '0', unit: 'TSR' });
  });

  it('prints the rewards as aligned label and value lines', async () => {
    const { code, out } = await cli(['rewards', ...connection(), '--address', minerAddress]);
    expect(code).toBe(0);
    expect(out).toBe(`address    ${minerAddress}\nclaimable  0 TSR\nclaimed    0 TSR\n`);
  });

  it.each([
    ['not hex', 'alice', 'is not an EVM address'],
    ['a short address', '0x1234', 'is not an EVM address'],
    ['a wrong checksum', wrongChecksum, 'EIP-55 checksum'],
  ])('refuses %s as a usage error before connecting (exit 2)', async (_, address, problem) => {
    const { code, out, err } = await cli(['rewards', ...connection(), '--address', address]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain('--address (flag)');
    expect(err).toContain(problem);
  });

  it('knows the flipped checksum case for mixed case', () => {
    expect(wrongChecksum).not.toBe(minerAddress);
    expect(/[a-f]/.test(wrongChecksum) && /[A-F]/.test(wrongChecksum)).toBe(true);
  });

  it('requires --address', async () => {
    const { code, err } = await cli(['rewards', ...connection()]);
    expect(code).toBe(2);
    expect(err).toContain('--address');
  });

  it('refuses an EVM address on subtensor, and an SS58 address with a bad checksum', async () => {
    const subtensor = ['--chain', 'subtensor', '--ws', 'ws://127.0.0.1:9', '--netuid', '1'];
    const evm = await cli(['rewards', ...subtensor, '--address', minerAddress]);
    expect(evm.code).toBe(2);
    expect(evm.err).toContain('is a 20-byte EVM address');
    // Alice's SS58 address with its last character changed.
    const ss58 = await cli([
      'rewards',
      ...subtensor,
      '--address',
      '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ',
    ]);
    expect(ss58.code).toBe(2);
    expect(ss58.err).toContain('--address: is not a Substrate account (its SS58 checksum does not match)');
  });
});

describe('tessera status', () => {
  it('shows a miner’s uid, metagraph row, rewards and its commitments of the last windows as JSON', async () => {
    const { code, out, err } = await cli(['status', ...connection(), '--address', minerAddress, '--json']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(result).toMatchObject({
      address: minerAddress,
      window: 2,
      registered: true,
      uid: 1,
      neuron: { uid: 1, hotkey: minerAddress, role: 'miner', stake: '0', validatorPermit: false },
      rewards: { claimable: '0', claimed: '0' },
      unit: 'TSR',
    });
    expect(result.block).toBeGreaterThanOrEqual(headBlock);
    // Window 2 has none; newest first; the uri exactly as committed.
    expect(result.commitments).toEqual([
      { window: 1, digest: digests[1], uri: uris[1], modelHash, block: expect.any(Number) },
      { window: 0, digest: digests[0], uri: uris[0], modelHash, block: expect.any(Number) },
    ]);
    // Without --verdicts-file-uris a file: URI on the chain is not read on this machine.
    expect(result.verdicts.map((v: { state: string }) => v.state)).toEqual([
      'no-aggregate',
      'no-aggregate',
      'unavailable',
    ]);
  });

  it('shows the verdict the lead aggregate\u2019s validator published, with its score, and pending where none is yet', async () => {
    const { code, out } = await cli([
      'status',
      ...connection(),
      '--address',
      minerAddress,
      '--verdicts-file-uris',
      '--json',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(out).verdicts).toEqual([
      { window: 2, state: 'no-aggregate', validator: null, verdict: null },
      { window: 1, state: 'no-aggregate', validator: null, verdict: null },
      {
        window: 0,
        state: 'published',
        validator: expect.stringMatching(new RegExp(`^${validatorAddress}$`, 'i')),
        verdict: {
          uid: 1,
          status: 'scored',
          reason: null,
          score: 0.875,
          lossGain: 0.0123,
          inAggregate: true,
        },
      },
    ]);
  });

  it('looks only as far back as --windows says', async () => {
    const { code, out } = await cli([
      'status',
      ...connection(),
      '--address',
      minerAddress,
      '--windows',
      '2',
      '--json',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(out).commitments.map((c: { window: number }) => c.window)).toEqual([1]);
  });

  it('takes the account of --private-key when no --address is given, and signs nothing', async () => {
    const { code, out } = await cli(['status', ...connection(), '--private-key', validatorKey!, '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(result).toMatchObject({
      address: validatorAddress,
      uid: 0,
      neuron: { role: 'validator', stake: '1000', validatorPermit: true },
      commitments: [],
    });
  });

  it('reports an account that is not registered', async () => {
    const { code, out } = await cli(['status', ...connection(), '--address', strangerAddress, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      address: strangerAddress,
      registered: false,
      uid: null,
      neuron: null,
      commitments: [],
    });
  });

  it('prints a table of its windows, with a hostile uri kept on one line and without escapes', async () => {
    const { code, out } = await cli(['status', ...connection(), '--address', minerAddress, '--windows', '3']);
    expect(code).toBe(0);
    expect(out).not.toContain('\u001b');
    const [fields, metagraphRow, windows] = out.split('\n\n') as [string, string, string];
    expect(fields).toContain(`address    ${minerAddress}\n`);
    expect(fields).toMatch(/^uid {8}1$/m);
    expect(fields).toMatch(/^block {6}\d+, window 2$/m);
    expect(fields).toMatch(/^claimable {2}0 TSR$/m);
    const row = columnsOf(metagraphRow);
    expect(row.header).toMatch(/^UID {2}HOTKEY/);
    expect(row.rows).toHaveLength(1);
    expect(row.rows[0]!.indexOf(minerAddress)).toBe(row.header.indexOf('HOTKEY'));
    const { header, rows } = columnsOf(windows);
    const digestColumn = (digest: string) => digest.padEnd(66);
    expect(header).toBe(`WINDOW  VERDICT      SCORE  AGGREGATED  ${digestColumn('DIGEST')}  URI`);
    expect(rows).toEqual([
      `     2  pending          -  -           ${digestColumn('-')}  no commitment`,
      `     1  pending          -  -           ${digests[1]}  https://updates.example/w1.bin [2J 9  0xfake  forged`,
      `     0  unavailable      -  -           ${digests[0]}  ${uris[0]}`,
    ]);
    const local = await cli(['status', ...connection(), '--address', minerAddress, '--verdicts-file-uris']);
    expect(local.out).toMatch(/^ {5}0 {2}scored {3}0\.875 {2}yes {9}0xd0/m);
  });

  it('needs an address or a key, and says which (exit 2)', async () => {
    const { code, err } = await cli(['status', ...connection()]);
    expect(code).toBe(2);
    expect(err).toContain('--address (missing): required without a key');
    expect(err).toContain('--private-key');
  });

  it('refuses a bad address and a --windows out of range before connecting (exit 2)', async () => {
    const bad = await cli(['status', ...connection(), '--address', '0xnothex']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('is not an EVM address');
    const windows = await cli(['status', ...connection(), '--address', minerAddress, '--windows', '0']);
    expect(windows.code).toBe(2);
    expect(windows.err).toContain('--windows');
  });
});
