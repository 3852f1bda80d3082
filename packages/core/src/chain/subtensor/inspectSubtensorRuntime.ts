import type { ApiPromise } from '@polkadot/api';
import { NonRetryableChainError } from '../../errors/chain.js';
import type { SubtensorRuntimeInfo } from './types.js';

const REQUIRED_QUERIES = [
  'subtensorModule.keys',
  'subtensorModule.uids',
  'subtensorModule.subnetworkN',
  'subtensorModule.validatorPermit',
  'subtensorModule.incentive',
  'subtensorModule.dividends',
  'subtensorModule.blockAtRegistration',
  'subtensorModule.tempo',
  'commitments.commitmentOf',
] as const;
const REQUIRED_CALLS = [
  'subtensorModule.burnedRegister',
  'subtensorModule.addStake',
  'subtensorModule.setWeights',
  'commitments.setCommitment',
] as const;

/**
 * Reads from the runtime's metadata what the subtensor backend needs and which variant of
 * each item this runtime has: stake in `TotalHotkeyAlpha` (dynamic TAO) or `TotalHotkeyStake`
 * (before it), `add_stake` with or without a netuid, the commitments pallet's field limits,
 * whether hash-based commit-reveal of weights exists, and whether the subnet names an owner
 * hotkey (`SubnetOwnerHotkey`), whose commitment carries the run config hash.
 *
 * @returns What the runtime offers.
 * @throws NonRetryableChainError `unsupported-runtime` listing every missing pallet item.
 * @example
 * const runtime = inspectSubtensorRuntime(api);
 * if (runtime.stakeSource === 'TotalHotkeyAlpha') ...
 */
export function inspectSubtensorRuntime(api: ApiPromise): SubtensorRuntimeInfo {
  const has = (root: object, path: string) => {
    const [section, item] = path.split('.') as [string, string];
    const pallet = (root as Record<string, Record<string, unknown> | undefined>)[section];
    return pallet !== undefined && typeof pallet[item] === 'function';
  };
  const missing = [
    ...REQUIRED_QUERIES.filter((path) => !has(api.query, path)).map((path) => `storage ${path}`),
    ...REQUIRED_CALLS.filter((path) => !has(api.tx, path)).map((path) => `call ${path}`),
  ];
  const stakeSource = has(api.query, 'subtensorModule.totalHotkeyAlpha')
    ? 'TotalHotkeyAlpha'
    : has(api.query, 'subtensorModule.totalHotkeyStake')
      ? 'TotalHotkeyStake'
      : undefined;
  if (stakeSource === undefined)
    missing.push('storage subtensorModule.totalHotkeyAlpha or subtensorModule.totalHotkeyStake');
  const specName = api.runtimeVersion.specName.toString();
  const specVersion = api.runtimeVersion.specVersion.toNumber();
  if (missing.length > 0 || stakeSource === undefined) {
    throw new NonRetryableChainError(
      'unsupported-runtime',
      'This chain is not a subtensor runtime Tessera can use.',
      {
        details: `${specName} v${specVersion} lacks ${missing.join(', ')}`,
        hint: 'Point --ws at a Bittensor node (finney, testnet or a subtensor localnet).',
      },
    );
  }

  const addStakeArgs = api.tx.subtensorModule!.addStake!.meta.args.map((arg) => arg.name.toString());
  const maxFieldsConst = (api.consts['commitments'] as Record<string, unknown> | undefined)?.['maxFields'];
  const maxFields =
    maxFieldsConst !== undefined ? Number((maxFieldsConst as { toString(): string }).toString()) : 3;
  return {
    specName,
    specVersion,
    stakeSource,
    addStakeTakesNetuid: addStakeArgs.includes('netuid'),
    maxFields: Number.isInteger(maxFields) && maxFields > 0 ? maxFields : 3,
    maxRawBytes: largestRawVariant(api),
    hasCommitReveal:
      has(api.tx, 'subtensorModule.commitWeights') && has(api.tx, 'subtensorModule.revealWeights'),
    hasSubnetOwnerHotkey: has(api.query, 'subtensorModule.subnetOwnerHotkey'),
  };
}

/** Finds the largest `RawN` the `set_commitment` call accepts by encoding probes (128 on Bittensor). */
function largestRawVariant(api: ApiPromise): number {
  const info = api.tx.commitments!.setCommitment!.meta.args[1];
  if (!info) return 128;
  const type = info.type.toString();
  for (const size of [128, 64, 32]) {
    try {
      api.createType(type, { fields: [{ [`Raw${size}`]: new Uint8Array(size) }] });
      return size;
    } catch {
      // try a smaller one
    }
  }
  throw new NonRetryableChainError(
    'unsupported-runtime',
    'The commitments pallet takes no Raw data fields.',
    { details: type },
  );
}
