import { readFile } from 'node:fs/promises';
import { Type } from '@sinclair/typebox';
import { walletFields, walletNamePattern } from '@tessera/core';
import { mnemonicGenerate } from '@polkadot/util-crypto';
import { Wallet } from 'ethers';
import { formatTable } from '../format/table.js';
import { decryptEvmKey } from '../wallet/evmKeystore.js';
import { listWallets, readKey } from '../wallet/listWallets.js';
import { readPassword } from '../wallet/readPassword.js';
import { readSecret } from '../wallet/readSecret.js';
import { storeKey } from '../wallet/storeKey.js';
import type { StoredKey } from '../wallet/storeKey.js';
import { decryptSubstrateKey } from '../wallet/substrateKeystore.js';
import { WalletError } from '../wallet/walletError.js';
import { walletLayout } from '../wallet/walletLayout.js';
import type { WalletKey } from '../wallet/walletLayout.js';
import { defineCommand } from './command.js';

const { hotkeyName, walletPath, passwordFile } = walletFields;

const wallet = Type.String({
  description: 'Wallet: a folder under --wallet-path.',
  default: 'default',
  pattern: walletNamePattern,
  placeholder: 'name',
});
const key = Type.Union([Type.Literal('coldkey'), Type.Literal('hotkey'), Type.Literal('evm')], {
  description:
    'Which key: the wallet’s Bittensor coldkey (coldkey), a Bittensor hotkey (hotkeys/<--hotkey-name>), or an EVM key (evm/<--hotkey-name>.json).',
});
/** Which key of which wallet, and the password that opens it: what create, import and show take. */
const keyFields = { wallet, key, hotkeyName, walletPath, passwordFile };
const force = Type.Boolean({
  description: 'Replace a key that is there already; the old key is lost unless you have a copy.',
  default: false,
});

const createSchema = Type.Object({
  ...keyFields,
  force,
  showSecret: Type.Boolean({
    description: 'Print the new key’s mnemonic (or EVM private key) once on stderr, to write down.',
    default: false,
  }),
});

/** `tessera wallet create`: a new key, encrypted. */
export const walletCreateCommand = defineCommand({
  name: 'wallet create',
  summary: 'Create an encrypted coldkey, hotkey or EVM key in a wallet.',
  description:
    'Creates a new key and writes it encrypted with the wallet password (--password-file, else TESSERA_WALLET_PASSWORD, else asked twice on the terminal) into the wallet, laid out as btcli lays out its wallets: coldkey and coldkeypub.txt, hotkeys/<name>, and evm/<name>.json (a Web3 secret-storage keystore). Bittensor keys are sr25519 from a new 12-word mnemonic. Prints the key’s address as JSON; the mnemonic or private key is printed only with --show-secret (on stderr), and `tessera wallet show --show-secret` prints it later. Files are readable by you only (0600).',
  schema: createSchema,
  async run(options) {
    const secret = options.key === 'evm' ? Wallet.createRandom().privateKey : mnemonicGenerate(12);
    const stored = await storeWith({ options, secret });
    if (options.showSecret) {
      const what = options.key === 'evm' ? 'private key' : 'mnemonic';
      process.stderr.write(`The ${what} of the new key, shown this once (keep it offline):\n${secret}\n`);
    }
    printStored(stored);
    return 0;
  },
});

const importSchema = Type.Object({
  ...keyFields,
  force,
  secretFile: Type.String({
    description:
      'File holding the mnemonic, 0x seed or secret URI (coldkey, hotkey) or 0x private key (EVM); - reads stdin, asking on the terminal when stdin is one.',
    default: '-',
    minLength: 1,
    placeholder: 'path',
  }),
});

/** `tessera wallet import`: an existing key, encrypted. */
export const walletImportCommand = defineCommand({
  name: 'wallet import',
  summary: 'Import a key from its mnemonic, seed or private key into a wallet.',
  description:
    'Reads a secret from --secret-file (or stdin; never from a flag, which other users could read with ps): a BIP-39 mnemonic, a 0x seed or a secret URI for a Bittensor coldkey or hotkey (as btcli regen_coldkey and regen_hotkey take), or a 0x private key for an EVM key. Writes it encrypted with the wallet password into the wallet and prints its address as JSON.',
  schema: importSchema,
  async run(options) {
    const secret = await readSecret({ secretFile: options.secretFile });
    printStored(await storeWith({ options, secret }));
    return 0;
  },
});

/** Reads the new password (asked twice on a terminal) and writes the key. */
async function storeWith(parameters: {
  options: {
    wallet: string;
    key: WalletKey;
    hotkeyName: string;
    walletPath?: string | undefined;
    passwordFile?: string | undefined;
    force: boolean;
  };
  secret: string;
}): Promise<StoredKey> {
  const { options, secret } = parameters;
  const password = await readPassword({
    passwordFile: options.passwordFile,
    env: process.env,
    purpose: `wallet "${options.wallet}"`,
    confirm: true,
  });
  return storeKey({
    root: options.walletPath,
    wallet: options.wallet,
    key: options.key,
    name: options.hotkeyName,
    secret,
    password,
    force: options.force,
  });
}

function printStored(stored: StoredKey): void {
  process.stdout.write(`${JSON.stringify(stored)}\n`);
}

const listSchema = Type.Object({
  wallet: Type.Optional(
    Type.String({ description: 'List only this wallet.', pattern: walletNamePattern, placeholder: 'name' }),
  ),
  walletPath,
  json: Type.Boolean({ description: 'Print JSON instead of a table.', default: false }),
});

/** `tessera wallet list`: the wallets and their keys' addresses. */
export const walletListCommand = defineCommand({
  name: 'wallet list',
  summary: 'List wallets and their keys’ addresses.',
  description:
    'Lists the wallets under --wallet-path and each key in them (coldkey, hotkeys, EVM keys) with the address its file names, read without a password: nothing is decrypted and no secret is printed. Works on btcli’s wallets too (--wallet-path ~/.bittensor/wallets).',
  schema: listSchema,
  async run(options) {
    const wallets = await listWallets({ root: options.walletPath, wallet: options.wallet });
    if (options.json) {
      process.stdout.write(`${JSON.stringify(wallets)}\n`);
      return 0;
    }
    const rows = wallets.flatMap(({ wallet, keys }) =>
      keys.length === 0
        ? [[wallet, '-', '-', '-', '-']]
        : keys.map((k) => [wallet, k.key, k.name, k.address ?? '?', k.encrypted ? 'yes' : 'no']),
    );
    process.stdout.write(
      formatTable({
        columns: [
          { header: 'WALLET' },
          { header: 'KEY' },
          { header: 'NAME' },
          { header: 'ADDRESS' },
          { header: 'ENCRYPTED' },
        ],
        rows,
      }),
    );
    return 0;
  },
});

const showSchema = Type.Object({
  ...keyFields,
  showSecret: Type.Boolean({
    description:
      'Decrypt the key (asking for the password) and print its secret too: the mnemonic, seed or secret URI, or the EVM private key.',
    default: false,
  }),
});

/** `tessera wallet show`: one key's address, and its secret only when asked. */
export const walletShowCommand = defineCommand({
  name: 'wallet show',
  summary: 'Print one key’s address (its secret only with --show-secret).',
  description:
    'Prints the address of one key of a wallet as JSON, read without a password. With --show-secret the key is decrypted with the wallet password, its address checked against its secret, and the secret printed on stdout as `secret`: for a backup, never for a log.',
  schema: showSchema,
  async run(options) {
    const layout = walletLayout({ root: options.walletPath, wallet: options.wallet });
    const coldkey = options.key === 'coldkey';
    const name = coldkey ? 'coldkey' : options.hotkeyName;
    const path = coldkey ? layout.coldkey : options.key === 'hotkey' ? layout.hotkey(name) : layout.evm(name);
    const listed = await readKey({
      key: options.key,
      name,
      path,
      ...(coldkey ? { publicPath: layout.coldkeyPub } : {}),
    });
    if (listed === undefined) {
      throw new WalletError(
        'not-found',
        `Wallet "${options.wallet}" has no ${options.key} "${name}" (${path}).`,
        {
          hint: 'List its keys with `tessera wallet list`, or check --wallet-path.',
        },
      );
    }
    if (!options.showSecret) {
      process.stdout.write(`${JSON.stringify({ wallet: options.wallet, ...listed })}\n`);
      return 0;
    }
    const text = await readFile(path, 'utf8');
    const password = () =>
      readPassword({
        passwordFile: options.passwordFile,
        env: process.env,
        purpose: `wallet "${options.wallet}"`,
      });
    const opened =
      options.key === 'evm'
        ? await decryptEvmKey({ json: text, password: await password(), path }).then((k) => ({
            secret: k.privateKey,
            address: k.address,
          }))
        : await decryptSubstrateKey({ text, path, password }).then((k) => ({
            secret: k.suri,
            address: k.address,
          }));
    process.stdout.write(
      `${JSON.stringify({ wallet: options.wallet, ...listed, address: opened.address, secret: opened.secret })}\n`,
    );
    return 0;
  },
});

/** The `tessera wallet …` actions, in the order help lists them. */
export const walletCommands = [
  walletCreateCommand,
  walletImportCommand,
  walletListCommand,
  walletShowCommand,
];
