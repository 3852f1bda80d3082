import { readSmallFile } from './readSmallFile.js';
import { WalletError } from './walletError.js';

/** The environment variable a wallet password may come from. */
export const walletPasswordEnv = 'TESSERA_WALLET_PASSWORD';

/** Where a terminal prompt reads and writes; the process's own stdin and stderr by default. */
export type PasswordTerminal = {
  input: NodeJS.ReadStream;
  output: NodeJS.WritableStream;
};

/** Longest password file read. */
const maxPasswordFileBytes = 4096;

/**
 * The wallet password: the first line of `--password-file`, else `TESSERA_WALLET_PASSWORD`,
 * else typed at a no-echo prompt when stdin is a terminal. Never from a flag's value, which
 * `ps` would show.
 *
 * @param parameters.confirm - ask twice at the prompt (a new keystore).
 * @throws WalletError `no-password` when none is available (no file, no variable, no
 *   terminal) or it is empty; `not-found` when the password file cannot be read.
 * @example
 * const password = await readPassword({ passwordFile: options.passwordFile, env: process.env, purpose: 'evm/default.json' });
 */
export async function readPassword(parameters: {
  passwordFile?: string | undefined;
  env: Record<string, string | undefined>;
  /** What the password opens, for the prompt and errors. */
  purpose: string;
  confirm?: boolean | undefined;
  terminal?: PasswordTerminal | undefined;
}): Promise<string> {
  const { passwordFile, purpose } = parameters;
  const hint = `Put it in a file readable only by you and pass --password-file, or set ${walletPasswordEnv}, or run on a terminal to be asked.`;
  let password: string | undefined;
  if (passwordFile !== undefined) {
    const text = await readSmallFile({
      path: passwordFile,
      what: 'password',
      maxBytes: maxPasswordFileBytes,
      hint,
    });
    password = text.split(/\r?\n/)[0];
  } else if (parameters.env[walletPasswordEnv] !== undefined && parameters.env[walletPasswordEnv] !== '') {
    password = parameters.env[walletPasswordEnv];
  } else {
    const terminal = parameters.terminal ?? { input: process.stdin, output: process.stderr };
    if (!terminal.input.isTTY) {
      throw new WalletError(
        'no-password',
        `A password is needed for ${purpose}, and there is no terminal to ask on.`,
        {
          hint,
        },
      );
    }
    password = await prompt({ terminal, question: `Password for ${purpose}: ` });
    if (parameters.confirm && (await prompt({ terminal, question: 'Again: ' })) !== password) {
      throw new WalletError('no-password', 'The two passwords differ.', { hint: 'Run the command again.' });
    }
  }
  if (password === undefined || password === '') {
    throw new WalletError('no-password', `The password for ${purpose} is empty.`, { hint });
  }
  return password;
}

/**
 * Asks a question on a terminal and reads one line in raw mode, echoing nothing.
 *
 * @throws WalletError `no-password` when cancelled with Ctrl-C.
 * @example
 * const line = await prompt({ terminal: { input: process.stdin, output: process.stderr }, question: 'Mnemonic: ' });
 */
export function prompt(parameters: { terminal: PasswordTerminal; question: string }): Promise<string> {
  const { input, output } = parameters.terminal;
  output.write(parameters.question);
  return new Promise((resolve, reject) => {
    let line = '';
    const wasRaw = input.isRaw;
    input.setRawMode(true);
    input.resume();
    input.setEncoding('utf8');
    const done = (error?: Error) => {
      input.setRawMode(wasRaw);
      input.pause();
      input.off('data', onData);
      output.write('\n');
      if (error) reject(error);
      else resolve(line);
    };
    const onData = (chunk: string) => {
      const chars = [...chunk];
      for (const [i, c] of chars.entries()) {
        if (c === '\u0003') return done(new WalletError('no-password', 'Cancelled at the prompt.'));
        if (c === '\r' || c === '\n' || c === '\u0004') {
          // Keys typed (or pasted) past the end of the line are the next prompt's.
          const rest = chars.slice(c === '\r' && chars[i + 1] === '\n' ? i + 2 : i + 1).join('');
          done();
          if (rest !== '') input.unshift(rest);
          return;
        }
        if (c === '\u007f' || c === '\b') line = line.slice(0, -1);
        else line += c;
      }
    };
    input.on('data', onData);
  });
}
