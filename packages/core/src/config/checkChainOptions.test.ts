import { checkChainOptions } from './checkChainOptions.js';
import type { ChainKeyNeeds } from './checkChainOptions.js';

const key = `0x${'11'.repeat(32)}`;
const ss58 = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const role: ChainKeyNeeds = { evmKey: true, hotkey: 'sign', coldkey: false };
const funds: ChainKeyNeeds = { evmKey: true, hotkey: 'account', coldkey: true };
const fields = (options: Parameters<typeof checkChainOptions>[0]['options'], needs: ChainKeyNeeds) =>
  checkChainOptions({ options, needs }).map((p) => p.field);

describe('checkChainOptions', () => {
  it('passes a miner on either chain with its own hotkey', () => {
    expect(fields({ chain: 'evm', privateKey: key }, role)).toEqual([]);
    expect(fields({ chain: 'subtensor', netuid: 2, hotkey: '//Alice' }, role)).toEqual([]);
  });

  it('requires --netuid on subtensor, with no default', () => {
    const problems = checkChainOptions({ options: { chain: 'subtensor', hotkey: '//Alice' }, needs: role });
    expect(problems).toEqual([
      { field: 'netuid', problem: expect.stringContaining('required with --chain subtensor') },
    ]);
  });

  it("refuses the other chain's hotkey flag instead of ignoring it", () => {
    expect(fields({ chain: 'evm', privateKey: key, hotkey: '//Alice' }, role)).toEqual(['hotkey']);
    expect(fields({ chain: 'subtensor', netuid: 1, privateKey: key, hotkey: '//Alice' }, role)).toEqual([
      'privateKey',
    ]);
  });

  it('requires the signing hotkey and refuses an address where it must sign', () => {
    expect(fields({ chain: 'evm' }, role)).toEqual(['privateKey']);
    expect(fields({ chain: 'subtensor', netuid: 1 }, role)).toEqual(['hotkey']);
    expect(fields({ chain: 'subtensor', netuid: 1, hotkey: ss58 }, role)).toEqual(['hotkey']);
  });

  it('takes the hotkey as an address where only the coldkey signs, and requires the coldkey', () => {
    expect(fields({ chain: 'subtensor', netuid: 1, hotkey: ss58, coldkey: '//Bob' }, funds)).toEqual([]);
    expect(fields({ chain: 'subtensor', netuid: 1, hotkey: ss58 }, funds)).toEqual(['coldkey']);
    expect(
      fields(
        { chain: 'subtensor', netuid: 1, coldkey: '//Bob' },
        { evmKey: true, hotkey: 'none', coldkey: true },
      ),
    ).toEqual([]);
  });

  it('refuses a coldkey on EVM, whose contracts have no owner/hotkey split', () => {
    const problems = checkChainOptions({
      options: { chain: 'evm', privateKey: key, coldkey: '//Bob' },
      needs: funds,
    });
    expect(problems).toEqual([{ field: 'coldkey', problem: expect.stringContaining('no coldkey') }]);
  });

  it('never echoes a key', () => {
    const problems = checkChainOptions({
      options: { chain: 'subtensor', privateKey: key, hotkey: ss58 },
      needs: role,
    });
    for (const { problem } of problems) {
      expect(problem).not.toContain(key);
      expect(problem).not.toContain(ss58);
    }
  });
});
