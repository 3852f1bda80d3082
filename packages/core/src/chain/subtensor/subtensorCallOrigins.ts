import { NonRetryableChainError } from '../../errors/chain.js';

/** The SubtensorModule and Commitments calls Tessera sends. */
export type SubtensorCallName =
  | 'burned_register'
  | 'add_stake'
  | 'remove_stake'
  | 'set_weights'
  | 'commit_weights'
  | 'reveal_weights'
  | 'set_commitment';

/** Which key a call's origin must be. */
export type SubtensorOrigin = 'hotkey' | 'coldkey';

/**
 * The origin each call must be signed by, as subtensor's pallets check it:
 *
 * - `burned_register(netuid, hotkey)`: the coldkey, which pays the burn and becomes the hotkey's owner;
 * - `add_stake(hotkey, netuid, amount)`, `remove_stake(hotkey, netuid, amount)`: the coldkey whose
 *   stake moves (stake is held per coldkey and hotkey);
 * - `set_weights`, `commit_weights`, `reveal_weights`: the registered hotkey, the neuron itself;
 * - `commitments.set_commitment(netuid, info)`: the registered hotkey, whose commitment it is.
 */
export const subtensorCallOrigins: Readonly<Record<SubtensorCallName, SubtensorOrigin>> = Object.freeze({
  burned_register: 'coldkey',
  add_stake: 'coldkey',
  remove_stake: 'coldkey',
  set_weights: 'hotkey',
  commit_weights: 'hotkey',
  reveal_weights: 'hotkey',
  set_commitment: 'hotkey',
});

/**
 * The key that signs `call`, from the keys this chain holds.
 *
 * @throws NonRetryableChainError `bad-signer` when the key the call needs was not given (a
 *   coldkey-only machine asked to set weights, a hotkey-only one asked to stake).
 * @example
 * const pair = signerOfCall({ call: 'add_stake', keys: { hotkey, coldkey } }); // coldkey
 */
export function signerOfCall<K>(parameters: {
  call: SubtensorCallName;
  keys: { hotkey?: K | undefined; coldkey?: K | undefined };
}): K {
  const origin = subtensorCallOrigins[parameters.call];
  const key = parameters.keys[origin];
  if (key === undefined) {
    throw new NonRetryableChainError(
      'bad-signer',
      `${parameters.call} is signed by the ${origin}, and none was given.`,
      {
        hint:
          origin === 'hotkey'
            ? 'Give the hotkey’s secret (--hotkey, TESSERA_HOTKEY): a mnemonic, 0x seed or secret URI.'
            : 'Give the coldkey (--coldkey, TESSERA_COLDKEY): a mnemonic, 0x seed or secret URI.',
      },
    );
  }
  return key;
}
