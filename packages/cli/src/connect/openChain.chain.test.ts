import { silentLogger } from '@tessera/core';
import { Wallet } from 'ethers';
import { runTessera } from '../_test/runTessera.js';
import { startTestSubnet } from '../_test/startTestSubnet.js';
import type { TestSubnet } from '../_test/startTestSubnet.js';
import { commands } from '../commands/all.js';
import { devAccountKeys } from '../devnet/devAccounts.js';
import { closeChain, openChain } from './openChain.js';

const [, minerKey, validatorKey] = devAccountKeys({ count: 3 });
let subnet: TestSubnet;

beforeAll(async () => {
  subnet = await startTestSubnet({ name: 'open-chain' });
}, 60_000);

afterAll(() => subnet?.stop());

const cli = (argv: string[]) => runTessera(commands, argv);

describe('openChain', () => {
  it('builds the EVM backend from --chain evm, --rpc-url, --deployment and --private-key', async () => {
    const opened = await openChain({
      chain: 'evm',
      rpcUrl: subnet.anvil.rpcUrl,
      deployment: subnet.deploymentPath,
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
    const connection = subnet.connection();
    const registered = await cli([
      'register',
      ...connection,
      '--private-key',
      minerKey!,
      '--yes',
      '--log-level',
      'silent',
    ]);
    expect(registered.err).toContain('Plan: register as a miner');
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
      ...subnet.connection(),
      ...['--private-key', validatorKey!],
      ...['--coldkey', '//Alice', '--role', 'validator'],
    ]);
    expect(code).toBe(2);
    expect(err).toContain('--coldkey (flag): the Tessera contracts have no coldkey');
  });
});
