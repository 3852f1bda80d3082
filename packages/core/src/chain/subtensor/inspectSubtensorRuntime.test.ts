import type { ApiPromise } from '@polkadot/api';
import { TypeRegistry } from '@polkadot/types';
import { isChainError } from '../../errors/chain.js';
import { inspectSubtensorRuntime } from './inspectSubtensorRuntime.js';

const registry = new TypeRegistry();
const data: Record<string, string> = { None: 'Null' };
for (let n = 0; n <= 64; n++) data[`Raw${n}`] = `[u8; ${n}]`;
registry.register({ SmallData: { _enum: data }, SmallInfo: { fields: 'Vec<SmallData>' } });

const call = (...args: Array<[string, string]>) =>
  Object.assign(() => undefined, {
    meta: {
      args: args.map(([name, type]) => ({ name: { toString: () => name }, type: { toString: () => type } })),
    },
  });
const fn = () => undefined;

/** An ApiPromise as far as the inspection looks: which storage items and calls the metadata decorated. */
function fakeApi(options: {
  dtao: boolean;
  commitReveal: boolean;
  ownerHotkey?: boolean;
  drop?: string;
}): ApiPromise {
  const subtensorQueries: Record<string, unknown> = {
    keys: fn,
    uids: fn,
    subnetworkN: fn,
    validatorPermit: fn,
    incentive: fn,
    dividends: fn,
    blockAtRegistration: fn,
    tempo: fn,
    [options.dtao ? 'totalHotkeyAlpha' : 'totalHotkeyStake']: fn,
    ...(options.ownerHotkey === false ? {} : { subnetOwnerHotkey: fn }),
  };
  const subtensorCalls: Record<string, unknown> = {
    burnedRegister: fn,
    setWeights: fn,
    addStake: options.dtao
      ? call(['hotkey', 'AccountId32'], ['netuid', 'u16'], ['amount_staked', 'u64'])
      : call(['hotkey', 'AccountId32'], ['amount_staked', 'u64']),
    ...(options.commitReveal ? { commitWeights: fn, revealWeights: fn } : {}),
  };
  if (options.drop) delete subtensorQueries[options.drop];
  return {
    query: { subtensorModule: subtensorQueries, commitments: { commitmentOf: fn } },
    tx: {
      subtensorModule: subtensorCalls,
      commitments: { setCommitment: call(['netuid', 'u16'], ['info', 'SmallInfo']) },
    },
    consts: { commitments: { maxFields: registry.createType('u32', 3) } },
    runtimeVersion: { specName: { toString: () => 'node-subtensor' }, specVersion: { toNumber: () => 300 } },
    createType: (type: string, value: unknown) => registry.createType(type, value),
  } as unknown as ApiPromise;
}

describe('inspectSubtensorRuntime', () => {
  let restore: () => void;
  beforeAll(() => {
    // The Raw probes that do not fit make @polkadot/types log a decoding note.
    const original = console.error;
    console.error = () => {};
    restore = () => (console.error = original);
  });
  afterAll(() => restore());

  it('reads a dynamic-TAO runtime', () => {
    expect(inspectSubtensorRuntime(fakeApi({ dtao: true, commitReveal: true }))).toEqual({
      specName: 'node-subtensor',
      specVersion: 300,
      stakeSource: 'TotalHotkeyAlpha',
      addStakeTakesNetuid: true,
      maxFields: 3,
      maxRawBytes: 64,
      hasCommitReveal: true,
      hasSubnetOwnerHotkey: true,
    });
  });

  it('reads an older runtime', () => {
    expect(inspectSubtensorRuntime(fakeApi({ dtao: false, commitReveal: false }))).toMatchObject({
      stakeSource: 'TotalHotkeyStake',
      addStakeTakesNetuid: false,
      hasCommitReveal: false,
    });
  });

  it('reads a runtime without SubnetOwnerHotkey as having no owner hotkey, not as unusable', () => {
    expect(
      inspectSubtensorRuntime(fakeApi({ dtao: false, commitReveal: false, ownerHotkey: false })),
    ).toMatchObject({ hasSubnetOwnerHotkey: false });
  });

  it('names what is missing', () => {
    try {
      inspectSubtensorRuntime(fakeApi({ dtao: true, commitReveal: false, drop: 'validatorPermit' }));
      throw new Error('expected a throw');
    } catch (error) {
      expect(isChainError(error) && error.reason).toBe('unsupported-runtime');
      expect((error as Error).message).toContain('storage subtensorModule.validatorPermit');
    }
  });
});
