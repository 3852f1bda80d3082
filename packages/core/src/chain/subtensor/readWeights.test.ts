import { TypeRegistry } from '@polkadot/types';
import { isChainError } from '../../errors/chain.js';
import type { Address } from '../types.js';
import type { ChainView } from './readMetagraph.js';
import { readWeights } from './readWeights.js';

const registry = new TypeRegistry();
const A = '0x0000000000000000000000000000000000000000000000000000000000000aaa' as Address;
const B = '0x0000000000000000000000000000000000000000000000000000000000000bbb' as Address;

function view(rows: Array<[number, unknown]>, netuid = 3): ChainView {
  const subtensorModule = {
    weights: {
      entries: async (asked: number) => {
        expect(asked).toBe(netuid);
        return rows.map(([uid, pairs]) => [
          { args: [registry.createType('u16', netuid), registry.createType('u16', uid)] },
          Array.isArray(pairs) ? registry.createType('Vec<(u16,u16)>', pairs) : registry.createType('u32', 7),
        ]);
      },
    },
  };
  return { query: { subtensorModule } } as unknown as ChainView;
}

describe('readWeights', () => {
  it('normalizes each validator row to sum 1, uids ascending, and leaves out empty rows and unknown uids', async () => {
    const rows = await readWeights({
      view: view([
        [
          4,
          [
            [9, 1],
            [2, 3],
            [5, 0],
          ],
        ],
        [1, [[3, 65535]]],
        [6, []],
        [8, [[1, 1]]],
      ]),
      netuid: 3,
      hotkeyOf: new Map([
        [1, A],
        [4, B],
        [6, A],
      ]),
    });
    expect(rows).toEqual([
      { validatorUid: 1, validator: A, uids: [3], weights: [1] },
      { validatorUid: 4, validator: B, uids: [2, 9], weights: [0.75, 0.25] },
    ]);
  });

  it('refuses a row that is not a list of u16 pairs', async () => {
    const error = await readWeights({ view: view([[1, 'x']]), netuid: 3, hotkeyOf: new Map([[1, A]]) }).catch(
      (e: unknown) => e,
    );
    expect(isChainError(error) && error.reason).toBe('bad-response');
  });
});
