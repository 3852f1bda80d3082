import type { ChainName } from './chainAmount.js';

/** Something wrong with one option that only shows once every option is known. */
export type OptionProblem = {
  /** The options field, e.g. `netuid`. */
  field: string;
  /** What is wrong and what to do, never the value of a secret. */
  problem: string;
};

/** The connection and key options {@link checkChainOptions} looks at. */
export type ChainOptions = {
  readonly chain: ChainName;
  readonly netuid?: number | undefined;
  readonly privateKey?: string | undefined;
  readonly hotkey?: string | undefined;
  readonly coldkey?: string | undefined;
};

/** Which keys a command needs. */
export type ChainKeyNeeds = {
  /** EVM: the command signs with `--private-key`. */
  evmKey: boolean;
  /**
   * Subtensor: `sign` when the hotkey signs (miner, validator), `account` when only its address
   * is needed (register and stake name the hotkey in a call the coldkey signs), `none`.
   */
  hotkey: 'sign' | 'account' | 'none';
  /** Subtensor: the coldkey signs (register, stake, delegate). */
  coldkey: boolean;
};

const SS58 = /^[1-9A-HJ-NP-Za-km-z]{46,48}$/;

/**
 * The rules between connection options that a schema alone cannot say: `--netuid` is required
 * on subtensor; each chain takes its own hotkey flag (`--private-key` on EVM, `--hotkey` on
 * subtensor) and refuses the other's; the coldkey exists on subtensor only (the Tessera
 * contracts have no owner/hotkey split); and the keys a command needs are there.
 *
 * @returns Every problem found, empty when the options are usable.
 * @example
 * const problems = checkChainOptions({ options, needs: { evmKey: true, hotkey: 'sign', coldkey: false } });
 */
export function checkChainOptions(parameters: {
  options: ChainOptions;
  needs: ChainKeyNeeds;
}): OptionProblem[] {
  const { options, needs } = parameters;
  const problems: OptionProblem[] = [];
  const add = (field: string, problem: string) => problems.push({ field, problem });
  if (options.chain === 'evm') {
    if (options.hotkey !== undefined)
      add('hotkey', 'is the subtensor hotkey; on --chain evm the hotkey is --private-key (0x + 64 hex)');
    if (options.coldkey !== undefined)
      add(
        'coldkey',
        'the Tessera contracts have no coldkey: they register and stake the account that signs, --private-key; to stake from another account run `tessera delegate` with its --private-key',
      );
    if (needs.evmKey && options.privateKey === undefined)
      add(
        'privateKey',
        'required with --chain evm: the hotkey private key, 0x + 64 hex (TESSERA_PRIVATE_KEY)',
      );
    return problems;
  }
  if (options.netuid === undefined)
    add(
      'netuid',
      'required with --chain subtensor: the Bittensor subnet id, e.g. --netuid 2 (TESSERA_NETUID)',
    );
  if (options.privateKey !== undefined)
    add('privateKey', 'is the EVM hotkey; on --chain subtensor pass the hotkey as --hotkey (TESSERA_HOTKEY)');
  if (needs.hotkey !== 'none') {
    if (options.hotkey === undefined) {
      add(
        'hotkey',
        needs.hotkey === 'sign'
          ? 'required with --chain subtensor: the hotkey that signs, a mnemonic, 0x seed or secret URI (TESSERA_HOTKEY)'
          : 'required with --chain subtensor: the hotkey, as its SS58 address or its secret (TESSERA_HOTKEY)',
      );
    } else if (needs.hotkey === 'sign' && SS58.test(options.hotkey)) {
      add(
        'hotkey',
        'is an SS58 address, which cannot sign: pass the hotkey’s mnemonic, 0x seed or secret URI',
      );
    }
  }
  if (needs.coldkey && options.coldkey === undefined)
    add(
      'coldkey',
      'required with --chain subtensor: the coldkey that pays and owns the stake, a mnemonic, 0x seed or secret URI (TESSERA_COLDKEY)',
    );
  return problems;
}
