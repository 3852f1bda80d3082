import { prompt } from './readPassword.js';
import type { PasswordTerminal } from './readPassword.js';
import { readSmallFile } from './readSmallFile.js';
import { WalletError } from './walletError.js';

/** Longest secret file read: a 24-word mnemonic with a derivation path fits many times. */
const maxSecretBytes = 4096;

/**
 * The secret a key is imported from (a mnemonic, a 0x seed or private key, a secret URI):
 * the text of `secretFile`, or of stdin when it is `-`, asked for at a no-echo prompt when
 * stdin is a terminal. Never a flag's value, which `ps` would show. Whitespace is squeezed to
 * single spaces, so a mnemonic may span lines.
 *
 * @throws WalletError `not-found` when the file cannot be read; `bad-secret` when it is empty
 *   or too long.
 * @example
 * const secret = await readSecret({ secretFile: '-' });
 */
export async function readSecret(parameters: {
  secretFile: string;
  /** @default process.stdin */
  stdin?: NodeJS.ReadStream | undefined;
  terminal?: PasswordTerminal | undefined;
}): Promise<string> {
  const { secretFile } = parameters;
  const stdin = parameters.stdin ?? process.stdin;
  let text: string;
  if (secretFile === '-' && stdin.isTTY) {
    text = await prompt({
      terminal: parameters.terminal ?? { input: stdin, output: process.stderr },
      question: 'Mnemonic, seed or private key: ',
    });
  } else if (secretFile === '-') {
    text = await readStream(stdin);
  } else {
    text = await readSmallFile({
      path: secretFile,
      what: 'secret',
      maxBytes: maxSecretBytes,
      hint: 'Give a file holding the mnemonic, seed or private key with --secret-file, or pass it on stdin (--secret-file -).',
    });
  }
  const secret = text.trim().split(/\s+/).join(' ');
  if (secret === '' || secret.length > maxSecretBytes) {
    throw new WalletError(
      'bad-secret',
      `No secret was read from ${secretFile === '-' ? 'stdin' : secretFile}.`,
      {
        hint: 'Give the mnemonic, seed or private key in a file with --secret-file, or on stdin.',
      },
    );
  }
  return secret;
}

async function readStream(stream: NodeJS.ReadStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    if (text.length > maxSecretBytes) break;
  }
  return text;
}
