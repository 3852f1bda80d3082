import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deploySubnet, waitForReceipt, writeDeployment } from '@tessera/contracts';
import { startAnvil } from '@tessera/devtools';
import type { Anvil } from '@tessera/devtools';
import { JsonRpcProvider, Wallet, parseEther } from 'ethers';
import { devAccountKeys } from '../devnet/devAccounts.js';
import { runCli } from '../runCli.js';
import { commands } from './all.js';

/**
 * A key made by `tessera wallet create` signs a real transaction through `--wallet`: the
 * miner registers on a subnet on anvil without its private key ever being a flag, a variable
 * or a line of output.
 */

const [deployerKey] = devAccountKeys({ count: 1 });
let anvil: Anvil;
let provider: JsonRpcProvider;
let dir: string;
let deploymentPath: string;
let passwordFile: string;

beforeAll(async () => {
  anvil = await startAnvil();
  dir = await mkdtemp(join(tmpdir(), 'tessera-wallet-chain-'));
  provider = new JsonRpcProvider(anvil.rpcUrl, anvil.chainId, { staticNetwork: true, cacheTimeout: -1 });
  const deployment = await deploySubnet({ signer: new Wallet(deployerKey!, provider) });
  deploymentPath = join(dir, 'deployment.json');
  await writeDeployment({ path: deploymentPath, deployment });
  passwordFile = join(dir, 'password');
  await writeFile(passwordFile, 'a long wallet password\n', { mode: 0o600 });
}, 60_000);

afterAll(async () => {
  provider?.destroy();
  await anvil?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Runs `tessera …`; commands print their result on process.stdout, captured here. */
async function cli(argv: string[]) {
  let out = '';
  let err = '';
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => ((out += String(chunk)), true)) as typeof write;
  try {
    const code = await runCli({ argv, commands, env: {}, out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
  } finally {
    process.stdout.write = write;
  }
}

describe('a wallet key on the chain', () => {
  it('registers a miner with the EVM key `tessera wallet create` wrote, through --wallet', async () => {
    const wallets = ['--wallet', 'miner', '--wallet-path', join(dir, 'wallets')];
    const created = await cli([
      'wallet',
      'create',
      ...wallets,
      '--key',
      'evm',
      '--password-file',
      passwordFile,
    ]);
    expect(created.code).toBe(0);
    const { address } = JSON.parse(created.out) as { address: string };
    const deployer = new Wallet(deployerKey!, provider);
    const funding = await deployer.sendTransaction({ to: address, value: parseEther('10') });
    await waitForReceipt({ provider, hash: funding.hash });

    const connection = ['--chain', 'evm', '--rpc-url', anvil.rpcUrl, '--deployment', deploymentPath];
    const wrong = join(dir, 'wrong');
    await writeFile(wrong, 'not it\n');
    const refused = await cli([
      'register',
      ...connection,
      ...wallets,
      '--password-file',
      wrong,
      '--log-level',
      'silent',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('Wrong password');

    const registered = await cli([
      'register',
      ...connection,
      ...wallets,
      '--password-file',
      passwordFile,
      '--log-level',
      'silent',
    ]);
    expect(registered.err).toBe('');
    expect(registered.code).toBe(0);
    expect(JSON.parse(registered.out)).toMatchObject({ uid: 0, role: 'miner', address });

    const both = await cli(['register', ...connection, ...wallets, '--private-key', deployerKey!]);
    expect(both.code).toBe(2);
    expect(both.err).toContain('--wallet gives the keys');
  }, 90_000);
});
