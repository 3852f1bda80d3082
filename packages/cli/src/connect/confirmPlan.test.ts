import { createMemoryChain } from '@tessera/core/testing';
import { answeringStreams } from '../_test/answeringStreams.js';
import { exitCodes } from '../exitCodes.js';
import { confirmPlan, confirmWrite, planRows } from './confirmPlan.js';

const plan = { title: 'stake 1 TSR on validator uid 0', rows: [['stake', '1 TSR']] as const };

describe('confirmPlan', () => {
  it.each([
    ['y\n', 'send'],
    ['YES\n', 'send'],
    [' y \n', 'send'],
    ['n\n', 'declined'],
    ['\n', 'declined'],
    ['', 'declined'],
    ['yep\n', 'declined'],
  ])('answers %j with %s', async (answer, decision) => {
    const io = answeringStreams(answer);
    expect(
      await confirmPlan({ plan: { ...plan, rows: [...plan.rows] }, yes: false, dryRun: false, streams: io }),
    ).toBe(decision);
    expect(io.text()).toContain('Proceed? [y/N] ');
  });
});

describe('confirmPlan without asking', () => {
  it('sends with --yes, even without a terminal', async () => {
    const io = answeringStreams(undefined);
    expect(
      await confirmPlan({ plan: { ...plan, rows: [...plan.rows] }, yes: true, dryRun: false, streams: io }),
    ).toBe('send');
    expect(io.text()).toBe('Plan: stake 1 TSR on validator uid 0\n  stake  1 TSR\n');
  });

  it('only prints the plan with --dry-run, --yes or not', async () => {
    for (const yes of [false, true]) {
      const io = answeringStreams('y\n');
      expect(
        await confirmPlan({ plan: { ...plan, rows: [...plan.rows] }, yes, dryRun: true, streams: io }),
      ).toBe('dry-run');
      expect(io.text()).toContain('Dry run: nothing was signed or sent.');
      expect(io.text()).not.toContain('Proceed?');
    }
  });

  it('refuses where stdin is not a terminal', async () => {
    const io = answeringStreams(undefined);
    expect(
      await confirmPlan({ plan: { ...plan, rows: [...plan.rows] }, yes: false, dryRun: false, streams: io }),
    ).toBe('no-terminal');
    expect(io.text()).toContain('Pass --yes to send without asking, or --dry-run to only see the plan.');
  });
});

describe('confirmWrite', () => {
  const timing = { startBlock: 0, blocksPerWindow: 10, windowsPerEpoch: 4, deadlineGraceBlocks: 2 };

  it('says the fees are not estimated on a backend that cannot, and exits 3 when declined', async () => {
    const chain = createMemoryChain({ timing, validators: 1 });
    const io = answeringStreams('n\n');
    const code = await confirmWrite({
      options: { chain: 'evm', yes: false, dryRun: false },
      chain,
      write: { kind: 'delegate', validatorUid: 0, amount: 10n ** 18n },
      title: 'delegate 1 TSR to validator uid 0',
      streams: io,
    });
    expect(code).toBe(exitCodes.refused);
    expect(io.text()).toContain(`Plan: delegate 1 TSR to validator uid 0 on ${chain.subnetId}`);
    expect(io.text()).toMatch(/fees\s+not estimated \(this chain backend cannot estimate them\)/);
  });

  it('returns 0 after a dry run and undefined (send) with --yes', async () => {
    const chain = createMemoryChain({ timing, validators: 1 });
    const write = { kind: 'claim' } as const;
    const common = { chain, write, title: 'claim', streams: answeringStreams(undefined) } as const;
    expect(await confirmWrite({ ...common, options: { chain: 'evm', yes: false, dryRun: true } })).toBe(
      exitCodes.ok,
    );
    expect(
      await confirmWrite({ ...common, options: { chain: 'evm', yes: true, dryRun: false } }),
    ).toBeUndefined();
  });
});

describe('planRows', () => {
  it('counts one coin on subtensor: burn, stake and fees all come out of the free TAO', () => {
    const tao = 10n ** 9n;
    const rows = planRows({
      chain: 'subtensor',
      account: '0x00',
      estimate: {
        payer: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
        target: { hotkey: '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty' },
        burn: tao,
        change: { token: -3n * tao, fees: -3n * tao },
        transactions: [
          { action: 'burned_register', fee: tao / 1000n },
          { action: 'add_stake', fee: undefined, note: 'the node gives no fee estimate (paymentInfo)' },
        ],
        balance: { token: 10n * tao, fees: 10n * tao },
        sameCoin: true,
      },
      balance: undefined,
    });
    expect(Object.fromEntries(rows)).toEqual({
      account: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY (signs and pays)',
      hotkey: '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty',
      'registration burn': '1 TAO',
      'fee of burned_register': '0.001 TAO',
      'fee of add_stake': 'not estimated (the node gives no fee estimate (paymentInfo))',
      'balance now': '10 TAO free',
      'balance after': '6.999 TAO free, less the fees not estimated',
    });
  });
});
