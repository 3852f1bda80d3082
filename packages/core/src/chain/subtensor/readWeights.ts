import type { Codec } from '@polkadot/types/types';
import { NonRetryableChainError } from '../../errors/chain.js';
import type { Address, RevealedWeights } from '../types.js';
import { readCodec } from './readCodec.js';
import type { ChainView } from './readMetagraph.js';

/** Parameters of {@link readWeights}. */
export type ReadWeightsParameters = {
  view: ChainView;
  netuid: number;
  /** Hotkey of every uid at the same block (the metagraph's). */
  hotkeyOf: Map<number, Address>;
};

type StorageEntry = [{ args: Codec[] }, Codec];

/**
 * The weights the subnet holds now, from `SubtensorModule.Weights(netuid, uid)`
 * (`Vec<(u16 uid, u16 weight)>`): with commit-reveal on, what validators revealed last; without
 * it, what they set last. Subtensor keeps no per-epoch history of weights, so this is the
 * current state whatever epoch is asked for. Rows of uids nobody holds, and rows with no
 * positive weight, are left out; weights are normalized to sum 1.
 *
 * @returns One entry per validator uid, ascending.
 * @throws NonRetryableChainError `bad-response` when a row is not a list of u16 pairs.
 * @example
 * const rows = await readWeights({ view: api, netuid: 3, hotkeyOf });
 */
export async function readWeights(parameters: ReadWeightsParameters): Promise<RevealedWeights[]> {
  const { view, netuid, hotkeyOf } = parameters;
  const entries = (await view.query.subtensorModule!.weights!.entries(netuid)) as StorageEntry[];
  const rows: RevealedWeights[] = [];
  for (const [key, value] of entries) {
    const validatorUid = readCodec.number(key.args[1], 'SubtensorModule.Weights key');
    const validator = hotkeyOf.get(validatorUid);
    if (validator === undefined) continue;
    const pairs = u16Pairs(value)
      .filter(([, w]) => w > 0)
      .sort((a, b) => a[0] - b[0]);
    const sum = pairs.reduce((total, [, w]) => total + w, 0);
    if (sum === 0) continue;
    rows.push({
      validatorUid,
      validator,
      uids: pairs.map(([uid]) => uid),
      weights: pairs.map(([, w]) => w / sum),
    });
  }
  return rows.sort((a, b) => a.validatorUid - b.validatorUid);
}

function u16Pairs(value: Codec): Array<[number, number]> {
  const json = value.toJSON();
  const u16 = (x: unknown) => Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 0xffff;
  if (
    !Array.isArray(json) ||
    !json.every((p) => Array.isArray(p) && p.length === 2 && u16(p[0]) && u16(p[1]))
  ) {
    throw new NonRetryableChainError(
      'bad-response',
      'The chain returned an unexpected value for SubtensorModule.Weights.',
      {
        details: (JSON.stringify(json) ?? String(json)).slice(0, 120),
        hint: 'The runtime changed this storage item; this version of Tessera does not know it.',
      },
    );
  }
  return json as Array<[number, number]>;
}
