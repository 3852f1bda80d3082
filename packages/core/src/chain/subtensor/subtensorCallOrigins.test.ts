import { isChainError } from '../../errors/chain.js';
import { signerOfCall, subtensorCallOrigins } from './subtensorCallOrigins.js';

describe('subtensorCallOrigins', () => {
  // From subtensor's pallets: ensure_signed(origin) is the coldkey in do_burned_registration,
  // do_add_stake and do_remove_stake; the hotkey in do_set_weights, do_commit_weights,
  // do_reveal_weights and pallet-commitments' set_commitment.
  it('names the coldkey for registration and stake, the hotkey for everything else', () => {
    expect(subtensorCallOrigins).toEqual({
      burned_register: 'coldkey',
      add_stake: 'coldkey',
      remove_stake: 'coldkey',
      set_weights: 'hotkey',
      commit_weights: 'hotkey',
      reveal_weights: 'hotkey',
      set_commitment: 'hotkey',
    });
  });

  it('picks the key the call needs', () => {
    const keys = { hotkey: 'hot', coldkey: 'cold' };
    expect(signerOfCall({ call: 'burned_register', keys })).toBe('cold');
    expect(signerOfCall({ call: 'add_stake', keys })).toBe('cold');
    expect(signerOfCall({ call: 'commit_weights', keys })).toBe('hot');
    expect(signerOfCall({ call: 'set_commitment', keys })).toBe('hot');
  });

  it('refuses with bad-signer when that key is missing', () => {
    const fail = (
      call: Parameters<typeof signerOfCall>[0]['call'],
      keys: { hotkey?: string; coldkey?: string },
    ) => {
      try {
        signerOfCall({ call, keys });
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const noHotkey = fail('set_weights', { coldkey: 'cold' });
    expect(isChainError(noHotkey) && noHotkey.reason).toBe('bad-signer');
    expect((noHotkey as Error).message).toContain('signed by the hotkey');
    const noColdkey = fail('remove_stake', { hotkey: 'hot' });
    expect(isChainError(noColdkey) && noColdkey.reason).toBe('bad-signer');
  });
});
