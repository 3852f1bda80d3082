import { connectToken, waitForReceipt } from '@tessera/contracts';
import type { Deployment } from '@tessera/contracts';
import { createEvmChain, silentLogger } from '@tessera/core';
import type { Anvil } from '@tessera/devtools';
import { Wallet, parseUnits } from 'ethers';
import type { JsonRpcProvider } from 'ethers';
import { answeringStreams } from '../_test/answeringStreams.js';
import { runTessera } from '../_test/runTessera.js';
import { startTestSubnet } from '../_test/startTestSubnet.js';
import type { TestSubnet } from '../_test/startTestSubnet.js';
import { devAccountKeys } from '../devnet/devAccounts.js';
import { exitCodes } from '../exitCodes.js';
import { createClaimCommand } from './claim.js';
import { createRegisterCommand } from './register.js';
import { createDelegateCommand, createStakeCommand } from './stake.js';

/**
 * `register`, `stake`, `delegate` and `claim` print their plan and ask before they sign,
 * against a subnet on anvil with one validator (uid 0, 1000 TSR staked). The expected amounts
 * come from the deployment's parameters and from the node itself (nonces, balances,
 * `eth_estimateGas`), not from the code that prints the plan.
 */

const [, validatorKey, minerKey, delegatorKey] = devAccountKeys({ count: 4 });
const minerAddress = new Wallet(minerKey!).address;
const delegatorAddress = new Wallet(delegatorKey!).address;
const validatorAddress = new Wallet(validatorKey!).address;
const registrationBurn = 10n ** 15n;

let subnet: TestSubnet;
let anvil: Anvil;
let deployment: Deployment;
let provider: JsonRpcProvider;
let snapshot: string;

beforeAll(async () => {
  subnet = await startTestSubnet({
    name: 'safe-writes',
    params: { registrationBurn, minValidatorStake: parseUnits('1000', 18), stakeLockBlocks: 10 },
  });
  ({ anvil, deployment, provider } = subnet);
  const { deployer } = subnet;
  const token = connectToken({ address: deployment.token, runner: deployer });
  for (const [to, amount] of [
    [validatorAddress, '1000'],
    [delegatorAddress, '100'],
  ] as const) {
    const sent = await token.transfer(to, parseUnits(amount, 18));
    await waitForReceipt({ provider, hash: sent.hash });
  }
  const validator = await createEvmChain({
    rpcUrl: anvil.rpcUrl,
    deployment,
    privateKey: validatorKey!,
    logger: silentLogger,
  });
  try {
    await validator.registerValidator({ stake: parseUnits('1000', 18) });
  } finally {
    await validator.disconnect();
  }
}, 120_000);

beforeEach(async () => {
  snapshot = await anvil.rpc<string>('evm_snapshot', []);
});

afterEach(async () => {
  await anvil.rpc('evm_revert', [snapshot]);
});

afterAll(() => subnet?.stop());

/** Runs `tessera <argv>` with the confirmation read from `answer`; captures what it prints. */
async function cli(argv: string[], answer?: string) {
  const streams = answeringStreams(answer);
  const commands = [
    createRegisterCommand({ streams }),
    createStakeCommand({ streams }),
    createDelegateCommand({ streams }),
    createClaimCommand({ streams }),
  ];
  const result = await runTessera(commands, [...argv, '--log-level', 'silent']);
  // The plan's stream delivers what was written on the next turn.
  await new Promise((resolve) => setImmediate(resolve));
  return { ...result, plan: streams.text() };
}

const connection = () => subnet.connection();

/** What an account holds and how many transactions it sent: unchanged when nothing was signed. */
async function accountState(address: string) {
  const token = connectToken({ address: deployment.token, runner: provider });
  return {
    nonce: await provider.getTransactionCount(address),
    ether: await provider.getBalance(address),
    tokens: (await token.balanceOf(address)) as bigint,
  };
}

/** The gas anvil estimates for a miner's registration (the burn sent as value). */
async function registerMinerGas(): Promise<bigint> {
  const chain = await createEvmChain({ rpcUrl: anvil.rpcUrl, deployment, logger: silentLogger });
  try {
    const request = await chain.subnet.registerMiner.populateTransaction({ value: registrationBurn });
    return await provider.estimateGas({ ...request, from: minerAddress });
  } finally {
    await chain.disconnect();
  }
}

describe('tessera register', () => {
  const register = () => ['register', ...connection(), '--private-key', minerKey!];

  it('--dry-run prints the burn, a gas estimate and the balance after, and sends nothing', async () => {
    const before = await accountState(minerAddress);
    const { code, plan, out } = await cli([...register(), '--dry-run']);
    expect(code).toBe(exitCodes.ok);
    expect(out).toBe('');
    expect(plan).toContain('Plan: register as a miner on evm:');
    expect(plan).toContain(`${minerAddress} (signs and pays)`);
    expect(plan).toMatch(/registration burn\s+0\.001 ETH/);
    expect(plan).toContain(`fee of registerMiner  `);
    expect(plan).toMatch(new RegExp(`\\(${await registerMinerGas()} gas × [0-9.]+ gwei\\)`));
    expect(plan).toMatch(/balance now\s+0 TSR, 10000 ETH/);
    expect(plan).toMatch(/balance after\s+0 TSR, 9999\.998\d* ETH/);
    expect(plan).toContain('Dry run: nothing was signed or sent.');
    expect(await accountState(minerAddress)).toEqual(before);
  });

  it('refuses with exit code 3 and sends nothing without a terminal or --yes', async () => {
    const before = await accountState(minerAddress);
    const { code, plan, out } = await cli(register());
    expect(code).toBe(exitCodes.refused);
    expect(out).toBe('');
    expect(plan).toContain('Plan: register as a miner');
    expect(plan).toContain('Not sending: stdin is not a terminal to confirm on. Pass --yes');
    expect(await accountState(minerAddress)).toEqual(before);
  });

  it.each(['n\n', '\n', ''])('declines on %j and sends nothing', async (answer) => {
    const before = await accountState(minerAddress);
    const { code, plan } = await cli(register(), answer);
    expect(code).toBe(exitCodes.refused);
    expect(plan).toContain('Proceed? [y/N] ');
    expect(plan).toContain('Declined: nothing was sent.');
    expect(await accountState(minerAddress)).toEqual(before);
  });

  it('registers when the answer is y, paying the burn', async () => {
    const before = await accountState(minerAddress);
    const { code, plan, out, err } = await cli(register(), 'y\n');
    expect(plan).toContain('Proceed? [y/N] ');
    expect(err).toBe('');
    expect(code).toBe(exitCodes.ok);
    expect(JSON.parse(out)).toMatchObject({ uid: 1, role: 'miner', address: minerAddress });
    const after = await accountState(minerAddress);
    expect(after.nonce).toBe(before.nonce + 1);
    expect(after.ether < before.ether - registrationBurn).toBe(true);
  });

  it('registers with --yes without asking', async () => {
    const { code, plan, out } = await cli([...register(), '--yes']);
    expect(code).toBe(exitCodes.ok);
    expect(plan).toContain('Plan: register as a miner');
    expect(plan).not.toContain('Proceed?');
    expect(JSON.parse(out)).toMatchObject({ uid: 1, role: 'miner' });
  });

  it('prints the uid and asks nothing when the key is registered already', async () => {
    const { code, plan, out } = await cli(['register', ...connection(), '--private-key', validatorKey!]);
    expect(code).toBe(exitCodes.ok);
    expect(plan).toBe('');
    expect(JSON.parse(out)).toMatchObject({ uid: 0, alreadyRegistered: true });
  });
});

describe('tessera delegate', () => {
  const delegate = (amount: string) => [
    'delegate',
    ...connection(),
    '--private-key',
    delegatorKey!,
    ...['--validator-uid', '0', '--amount', amount],
  ];

  it('--dry-run shows the amount, the validator, the approval it needs and the balance after', async () => {
    const before = await accountState(delegatorAddress);
    const { code, plan } = await cli([...delegate('12.5'), '--dry-run']);
    expect(code).toBe(exitCodes.ok);
    expect(plan).toContain('Plan: delegate 12.5 TSR to validator uid 0 on evm:');
    expect(plan).toMatch(/delegate\s+12\.5 TSR/);
    expect(plan).toContain(`uid 0, hotkey ${validatorAddress}`);
    expect(plan).toMatch(/fee of approve\s+0\.\d+ ETH \(\d+ gas × [0-9.]+ gwei\)/);
    expect(plan).toMatch(
      /fee of stake\s+not estimated \(its gas can be estimated only once the approval has landed\)/,
    );
    expect(plan).toMatch(/balance now\s+100 TSR, 10000 ETH/);
    expect(plan).toMatch(/balance after\s+87\.5 TSR, 9999\.9\d* ETH, less the fees not estimated/);
    expect(await accountState(delegatorAddress)).toEqual(before);
  });

  it('estimates the stake call itself once the allowance covers it', async () => {
    const approval = await connectToken({
      address: deployment.token,
      runner: new Wallet(delegatorKey!, provider),
    }).approve(deployment.subnet, parseUnits('50', 18));
    await waitForReceipt({ provider, hash: approval.hash });
    const chain = await createEvmChain({ rpcUrl: anvil.rpcUrl, deployment, logger: silentLogger });
    let gas: bigint;
    try {
      const request = await chain.subnet.stake.populateTransaction(0, parseUnits('50', 18));
      gas = await provider.estimateGas({ ...request, from: delegatorAddress });
    } finally {
      await chain.disconnect();
    }
    const { code, plan } = await cli([...delegate('50'), '--dry-run']);
    expect(code).toBe(exitCodes.ok);
    expect(plan).not.toContain('fee of approve');
    expect(plan).toMatch(new RegExp(`fee of stake\\s+0\\.\\d+ ETH \\(${gas} gas × [0-9.]+ gwei\\)`));
    expect(plan).toMatch(/balance after\s+50 TSR, 9999\.9\d* ETH/);
    expect(plan).not.toContain('less the fees not estimated');
  });

  it('refuses without a terminal and delegates with --yes', async () => {
    const before = await accountState(delegatorAddress);
    const refused = await cli(delegate('10'));
    expect(refused.code).toBe(exitCodes.refused);
    expect(await accountState(delegatorAddress)).toEqual(before);

    const sent = await cli([...delegate('10'), '--yes']);
    expect(sent.code).toBe(exitCodes.ok);
    expect(JSON.parse(sent.out)).toMatchObject({ amount: '10', unit: 'TSR' });
    const after = await accountState(delegatorAddress);
    expect(after.tokens).toBe(before.tokens - parseUnits('10', 18));
    expect(after.nonce).toBe(before.nonce + 2); // approve, then stake
  });

  it('flags a plan the account cannot pay for', async () => {
    const { code, plan } = await cli([...delegate('150'), '--dry-run']);
    expect(code).toBe(exitCodes.ok);
    expect(plan).toMatch(/balance after\s+-50 TSR, .* too little to pay for this/);
  });
});

describe('tessera stake', () => {
  const stake = (...more: string[]) => ['stake', ...connection(), '--private-key', validatorKey!, ...more];

  it('plans a self stake on the own uid, declines on n and stakes on y', async () => {
    const before = await accountState(validatorAddress);
    const declined = await cli(stake('--amount', '1'), 'no\n');
    expect(declined.code).toBe(exitCodes.refused);
    expect(declined.plan).toContain('Plan: stake 1 TSR on your own validator');
    expect(declined.plan).toContain(`uid 0, hotkey ${validatorAddress}`);
    expect(declined.plan).toMatch(/balance now\s+0 TSR/);
    expect(declined.plan).toContain('too little to pay for this');
    expect(await accountState(validatorAddress)).toEqual(before);
  });

  it('refuses an unstake the contract would revert (stake still locked) before asking', async () => {
    const before = await accountState(validatorAddress);
    const { code, plan, err } = await cli([...stake('--amount', '400', '--unstake'), '--yes']);
    expect(code).toBe(exitCodes.refused);
    expect(plan).toBe('');
    expect(err).toContain('Subnet__StakeLocked');
    expect(await accountState(validatorAddress)).toEqual(before);
  });

  it('plans an unstake: the amount comes back to the balance', async () => {
    const before = await accountState(validatorAddress);
    await anvil.mine(11);
    const { code, plan } = await cli([...stake('--amount', '400', '--unstake'), '--dry-run']);
    expect(code).toBe(exitCodes.ok);
    expect(plan).toContain('Plan: withdraw 400 TSR of stake from your own validator');
    expect(plan).toMatch(/fee of unstake\s+0\.\d+ ETH \(\d+ gas/);
    expect(plan).toMatch(/balance after\s+400 TSR, /);
    expect((await accountState(validatorAddress)).nonce).toBe(before.nonce);

    const sent = await cli([...stake('--amount', '400', '--unstake'), '--yes']);
    expect(sent.code).toBe(exitCodes.ok);
    expect((await accountState(validatorAddress)).tokens).toBe(parseUnits('400', 18));
  });
});

describe('tessera claim', () => {
  it('has nothing to confirm when nothing is claimable', async () => {
    const before = await accountState(minerAddress);
    const { code, plan, out } = await cli(['claim', ...connection(), '--private-key', minerKey!]);
    expect(code).toBe(exitCodes.ok);
    expect(plan).toBe('');
    expect(JSON.parse(out)).toMatchObject({ claimable: '0', claimed: '0', unit: 'TSR' });
    expect(JSON.parse(out)).not.toHaveProperty('tx');
    expect(await accountState(minerAddress)).toEqual(before);
  });
});
