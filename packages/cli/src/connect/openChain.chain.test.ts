import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deploySubnet, writeDeployment } from '@tessera/contracts';
import { silentLogger } from '@tessera/core';
import { startAnvil } from '@tessera/devtools';
import type { Anvil } from '@tessera/devtools';
import { JsonRpcProvider, Wallet } from 'ethers';
import { commands } from '../commands/all.js';
import { devAccountKeys } from '../devnet/devAccounts.js';
import { runCli } from '../runCli.js';
import { closeChain, openChain } from './openChain.js';

const [deployerKey, minerKey, validatorKey] = devAccountKeys({ count: 3 });
let anvil: Anvil;
let dir: string;
let deploymentPath: string;

beforeAll(async () => {
  anvil = await startAnvil();
  dir = await mkdtemp(join(tmpdir(), 'tessera-open-chain-'));
  const provider = new JsonRpcProvider(anvil.rpcUrl, anvil.chainId, { staticNetwork: true });
  const deployment = await deploySubnet({ signer: new Wallet(deployerKey!, provider) });
  deploymentPath = join(dir, 'deployment.json');
  await writeDeployment({ path: deploymentPath, deployment });
  provider.destroy();
}, 60_000);

afterAll(async () => {
  await anvil?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Runs `tessera …`; commands print their result on process.stdout, captured here. */
async function cli(argv: string[]) {
  let out = '';
  let err = '';
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    const code = await runCli({ argv, commands, env: {}, out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
  } finally {
    process.stdout.write = write;
  }
}

describe('openChain', () => {
  it('builds the EVM backend from --chain evm, --rpc-url, --deployment and --private-key', async () => {
    const opened = await openChain({
      chain: 'evm',
      rpcUrl: anvil.rpcUrl,
      deployment: deploymentPath,
      ws: 'ws://127.0.0.1:9',
      privateKey: minerKey,
      logger: silentLogger,
    });
    try {
      expect(opened.kind).toBe('evm');
      expect(opened.chain.kind).toBe('evm');
      expect(opened.chain.address).toBe(new Wallet(minerKey!).address);
      expect(await opened.chain.uidOf()).toBeUndefined();
    } finally {
      await closeChain(opened);
    }
  });

  it('registers a miner through `tessera register --chain evm` and prints amounts in TSR', async () => {
    const connection = ['--chain', 'evm', '--rpc-url', anvil.rpcUrl, '--deployment', deploymentPath];
    const registered = await cli([
      'register',
      ...connection,
      '--private-key',
      minerKey!,
      '--yes',
      '--log-level',
      'silent',
    ]);
    expect(registered.err).toBe('');
    expect(registered.code).toBe(0);
    expect(JSON.parse(registered.out)).toMatchObject({ uid: 0, role: 'miner' });

    const claim = await cli([
      'claim',
      ...connection,
      '--private-key',
      minerKey!,
      '--dry-run',
      '--log-level',
      'silent',
    ]);
    expect(claim.code).toBe(0);
    expect(JSON.parse(claim.out)).toMatchObject({ claimable: '0', claimed: '0', unit: 'TSR' });
  }, 60_000);

  it('refuses a coldkey on EVM before sending anything', async () => {
    const { code, err } = await cli([
      'register',
      ...['--rpc-url', anvil.rpcUrl, '--deployment', deploymentPath, '--private-key', validatorKey!],
      ...['--coldkey', '//Alice', '--role', 'validator'],
    ]);
    expect(code).toBe(2);
    expect(err).toContain('--coldkey (flag): the Tessera contracts have no coldkey');
  });
});
