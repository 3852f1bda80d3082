import { TypeRegistry } from '@polkadot/types';
import type { Codec } from '@polkadot/types/types';
import { isChainError } from '../../errors/chain.js';
import { readMetagraph } from './readMetagraph.js';
import type { ChainView } from './readMetagraph.js';

const registry = new TypeRegistry();
const account = (n: number) => Uint8Array.from({ length: 32 }, (_, i) => (i === 31 ? n : 0));
const hex = (n: number) => `0x${Buffer.from(account(n)).toString('hex')}`;

type Storage = {
  n: number;
  keys: Array<[number, Uint8Array]>;
  permits: unknown;
  incentive: number[];
  dividends: number[];
  registeredAt: Array<[number, number]>;
  stake: Map<string, bigint>;
};

/** SubtensorModule storage as @polkadot/api hands it out: codecs built from the runtime's types. */
function view(storage: Storage, stakeItem: 'totalHotkeyAlpha' | 'totalHotkeyStake', netuid = 3): ChainView {
  const key = (uid: number) => ({
    args: [registry.createType('u16', netuid), registry.createType('u16', uid)],
  });
  const stakeOf = (who: Uint8Array) =>
    registry.createType('u64', storage.stake.get(Buffer.from(who).toString('hex')) ?? 0n);
  const subtensorModule = {
    subnetworkN: async () => registry.createType('u16', storage.n),
    keys: {
      entries: async () =>
        storage.keys.map(([uid, who]) => [key(uid), registry.createType('AccountId32', who)]),
    },
    validatorPermit: async () =>
      Array.isArray(storage.permits)
        ? registry.createType('Vec<bool>', storage.permits)
        : registry.createType('u16', 5),
    incentive: async () => registry.createType('Vec<u16>', storage.incentive),
    dividends: async () => registry.createType('Vec<u16>', storage.dividends),
    blockAtRegistration: {
      entries: async () => storage.registeredAt.map(([uid, b]) => [key(uid), registry.createType('u64', b)]),
    },
    [stakeItem]: {
      multi: async (args: Array<Uint8Array | [Uint8Array, number]>): Promise<Codec[]> =>
        args.map((arg) => stakeOf(Array.isArray(arg) ? arg[0] : arg)),
    },
  };
  return { query: { subtensorModule } } as unknown as ChainView;
}

const storage: Storage = {
  n: 3,
  keys: [
    [0, account(10)],
    [2, account(12)],
    [1, account(11)],
  ],
  permits: [true, false, true],
  incentive: [0, 65535, 32768],
  dividends: [65535, 0, 0],
  registeredAt: [
    [0, 5],
    [1, 7],
    [2, 9],
  ],
  stake: new Map([
    [Buffer.from(account(10)).toString('hex'), 5_000_000_000n],
    [Buffer.from(account(12)).toString('hex'), 18_446_744_073_709_551_615n],
  ]),
};

describe('readMetagraph', () => {
  it('maps SubtensorModule storage to neurons, u16 vectors to [0, 1]', async () => {
    const { metagraph, uidByHotkey, standings } = await readMetagraph({
      view: view(storage, 'totalHotkeyAlpha'),
      netuid: 3,
      block: 77,
      stakeSource: 'TotalHotkeyAlpha',
    });
    expect(metagraph.block).toBe(77);
    expect(metagraph.neurons).toEqual([
      {
        uid: 0,
        hotkey: hex(10),
        isValidator: true,
        stake: 5_000_000_000n,
        validatorPermit: true,
        incentive: 0,
        dividends: 1,
        registeredAt: 5,
      },
      {
        uid: 1,
        hotkey: hex(11),
        isValidator: false,
        stake: 0n,
        validatorPermit: false,
        incentive: 1,
        dividends: 0,
        registeredAt: 7,
      },
      {
        uid: 2,
        hotkey: hex(12),
        isValidator: true,
        stake: 18_446_744_073_709_551_615n,
        validatorPermit: true,
        incentive: 32768 / 65535,
        dividends: 0,
        registeredAt: 9,
      },
    ]);
    expect(uidByHotkey.get(hex(11) as `0x${string}`)).toBe(1);
    expect(standings.get(2)).toEqual({ stake: 18_446_744_073_709_551_615n, validatorPermit: true });
  });

  it("reads each uid's emission of the last tempo from a Vec<u64> Emission when the runtime has it", async () => {
    const base = view(storage, 'totalHotkeyAlpha') as unknown as { query: { subtensorModule: object } };
    const withEmission = {
      query: {
        subtensorModule: {
          ...base.query.subtensorModule,
          emission: async () => registry.createType('Vec<u64>', [1_000_000_000n, 0, '18446744073709551615']),
        },
      },
    } as unknown as ChainView;
    const { metagraph } = await readMetagraph({
      view: withEmission,
      netuid: 3,
      block: 1,
      stakeSource: 'TotalHotkeyAlpha',
    });
    expect(metagraph.neurons.map((n) => n.emission)).toEqual([
      1_000_000_000n,
      0n,
      18_446_744_073_709_551_615n,
    ]);
    const without = await readMetagraph({
      view: view(storage, 'totalHotkeyAlpha'),
      netuid: 3,
      block: 1,
      stakeSource: 'TotalHotkeyAlpha',
    });
    expect(without.metagraph.neurons[0]).not.toHaveProperty('emission');
  });

  it('reads stake from TotalHotkeyStake on runtimes before dynamic TAO', async () => {
    const { metagraph } = await readMetagraph({
      view: view(storage, 'totalHotkeyStake'),
      netuid: 3,
      block: 1,
      stakeSource: 'TotalHotkeyStake',
    });
    expect(metagraph.neurons.map((n) => n.stake)).toEqual([5_000_000_000n, 0n, 18_446_744_073_709_551_615n]);
  });

  it('treats short vectors as zero and ignores keys past SubnetworkN', async () => {
    const short = { ...storage, n: 2, permits: [true], incentive: [], dividends: [65535] };
    const { metagraph } = await readMetagraph({
      view: view(short, 'totalHotkeyAlpha'),
      netuid: 3,
      block: 1,
      stakeSource: 'TotalHotkeyAlpha',
    });
    expect(metagraph.neurons.map((n) => [n.uid, n.validatorPermit, n.incentive, n.dividends])).toEqual([
      [0, true, 0, 1],
      [1, false, 0, 0],
    ]);
  });

  it('throws bad-response when a storage item has the wrong type', async () => {
    try {
      await readMetagraph({
        view: view({ ...storage, permits: 'u16' }, 'totalHotkeyAlpha'),
        netuid: 3,
        block: 1,
        stakeSource: 'TotalHotkeyAlpha',
      });
      throw new Error('expected a throw');
    } catch (error) {
      expect(isChainError(error) && error.reason).toBe('bad-response');
      expect((error as Error).message).toContain('SubtensorModule.ValidatorPermit');
    }
  });
});
