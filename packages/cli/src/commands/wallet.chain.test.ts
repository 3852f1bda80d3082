import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitForReceipt } from '@tessera/contracts';
import { parseEther } from 'ethers';
import { runTessera } from '../_test/runTessera.js';
import { startTestSubnet } from '../_test/startTestSubnet.js';
import type { TestSubnet } from '../_test/startTestSubnet.js';
import { devAccountKeys } from '../devnet/devAccounts.js';
import { commands } from './all.js';

/**
 * A key made by `tessera wallet create` signs a real transaction through `--wallet`: the
 * miner registers on a subnet on anvil without its private key ever being a flag, a variable
 * or a line of output.
 */

const [deployerKey] = devAccountKeys({ count: 1 });
let subnet: TestSubnet;
let passwordFile: string;

beforeAll(async () => {
  subnet = await startTestSubnet({ name: 'wallet-chain' });
  passwordFile = join(subnet.dir, 'password');
  await writeFile(passwordFile, 'a long wallet password\n', { mode: 0o600 });
}, 60_000);

afterAll(() => subnet?.stop());

const cli = (argv: string[]) => runTessera(commands, argv);

describe('a wallet key on the chain', () => {
  it('registers a miner with the EVM key `tessera wallet create` wrote, through --wallet', async () => {
    const wallets = ['--wallet', 'miner', '--wallet-path', join(subnet.dir, 'wallets')];
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
    const funding = await subnet.deployer.sendTransaction({ to: address, value: parseEther('10') });
    await waitForReceipt({ provider: subnet.provider, hash: funding.hash });

    const connection = subnet.connection();
    const wrong = join(subnet.dir, 'wrong');
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
      '--yes',
      '--log-level',
      'silent',
    ]);
    expect(registered.err).toContain('Plan: register as a miner');
    expect(registered.code).toBe(0);
    expect(JSON.parse(registered.out)).toMatchObject({ uid: 0, role: 'miner', address });

    const both = await cli(['register', ...connection, ...wallets, '--private-key', deployerKey!]);
    expect(both.code).toBe(2);
    expect(both.err).toContain('--wallet gives the keys');
  }, 90_000);
});
