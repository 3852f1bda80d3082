import type { ApiPromise } from '@polkadot/api';
import type { Codec } from '@polkadot/types/types';
import type { Address, Metagraph, Neuron } from '../types.js';
import { accountToAddress } from './accountAddress.js';
import { readCodec } from './readCodec.js';
import type { SubtensorRuntimeInfo, ValidatorStanding } from './types.js';

/** Storage as seen at one block: `api` itself (the head) or `await api.at(hash)`. */
export type ChainView = { query: ApiPromise['query'] };

/** Parameters of {@link readMetagraph}. */
export type ReadMetagraphParameters = {
  view: ChainView;
  netuid: number;
  /** The block `view` shows. */
  block: number;
  stakeSource: SubtensorRuntimeInfo['stakeSource'];
};

/** The metagraph with the lookups the other reads need. */
export type MetagraphSnapshot = {
  metagraph: Metagraph;
  uidByHotkey: Map<Address, number>;
  standings: Map<number, ValidatorStanding>;
};

type StorageEntry = [{ args: Codec[] }, Codec];

const U16_MAX = 0xffff;

/**
 * Reads the subnet's neurons from SubtensorModule storage at one block: `Keys` (uid → hotkey),
 * `SubnetworkN`, `ValidatorPermit`, `Incentive` and `Dividends` (u16-normalized, mapped to
 * [0, 1]), `BlockAtRegistration`, `Emission` (each uid's emission of the last tempo, when the
 * runtime has it), and each hotkey's stake on the subnet from
 * `TotalHotkeyAlpha(hotkey, netuid)` (dynamic TAO) or `TotalHotkeyStake(hotkey)` (before).
 * A neuron counts as a validator when it holds a validator permit.
 *
 * @returns The metagraph, hotkey → uid, and uid → stake and permit.
 * @throws NonRetryableChainError `bad-response` when a storage value has the wrong type.
 * @example
 * const { metagraph } = await readMetagraph({ view: api, netuid: 1, block: head, stakeSource: 'TotalHotkeyAlpha' });
 */
export async function readMetagraph(parameters: ReadMetagraphParameters): Promise<MetagraphSnapshot> {
  const { view, netuid, block } = parameters;
  const q = view.query.subtensorModule!;
  const [countCodec, keyEntries, permitsCodec, incentiveCodec, dividendsCodec, registeredEntries] =
    await Promise.all([
      q.subnetworkN!(netuid),
      q.keys!.entries(netuid) as Promise<StorageEntry[]>,
      q.validatorPermit!(netuid),
      q.incentive!(netuid),
      q.dividends!(netuid),
      q.blockAtRegistration!.entries(netuid) as Promise<StorageEntry[]>,
    ]);
  // Emission of the last tempo per uid; older and newer runtimes alike keep it, but it is optional here.
  const emission = q.emission
    ? readCodec.u64Vector(await q.emission(netuid), 'SubtensorModule.Emission')
    : undefined;
  const count = readCodec.number(countCodec, 'SubtensorModule.SubnetworkN');
  const permits = readCodec.boolVector(permitsCodec, 'SubtensorModule.ValidatorPermit');
  const incentive = readCodec.u16Vector(incentiveCodec, 'SubtensorModule.Incentive');
  const dividends = readCodec.u16Vector(dividendsCodec, 'SubtensorModule.Dividends');

  const hotkeys = new Map<number, Uint8Array>();
  for (const [key, value] of keyEntries) {
    const uid = readCodec.number(key.args[1], 'SubtensorModule.Keys key');
    if (uid < count) hotkeys.set(uid, readCodec.account(value, 'SubtensorModule.Keys'));
  }
  const registeredAt = new Map<number, number>();
  for (const [key, value] of registeredEntries) {
    registeredAt.set(
      readCodec.number(key.args[1], 'SubtensorModule.BlockAtRegistration key'),
      readCodec.number(value, 'SubtensorModule.BlockAtRegistration'),
    );
  }

  const uids = [...hotkeys.keys()].sort((a, b) => a - b);
  const accounts = uids.map((uid) => hotkeys.get(uid) as Uint8Array);
  const stakeCodecs: Codec[] =
    accounts.length === 0
      ? []
      : parameters.stakeSource === 'TotalHotkeyAlpha'
        ? await q.totalHotkeyAlpha!.multi(accounts.map((account) => [account, netuid]))
        : await q.totalHotkeyStake!.multi(accounts);

  const neurons: Neuron[] = [];
  const uidByHotkey = new Map<Address, number>();
  const standings = new Map<number, ValidatorStanding>();
  uids.forEach((uid, i) => {
    const hotkey = accountToAddress(accounts[i] as Uint8Array);
    const stake = readCodec.bigint(stakeCodecs[i], `SubtensorModule.${parameters.stakeSource}`);
    const validatorPermit = permits[uid] ?? false;
    neurons.push({
      uid,
      hotkey,
      isValidator: validatorPermit,
      stake,
      validatorPermit,
      incentive: (incentive[uid] ?? 0) / U16_MAX,
      dividends: (dividends[uid] ?? 0) / U16_MAX,
      registeredAt: registeredAt.get(uid) ?? 0,
      ...(emission === undefined ? {} : { emission: emission[uid] ?? 0n }),
    });
    uidByHotkey.set(hotkey, uid);
    standings.set(uid, { stake, validatorPermit });
  });
  return { metagraph: { block, neurons }, uidByHotkey, standings };
}
