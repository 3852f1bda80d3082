import { runCli } from '../runCli.js';
import type { Command } from '../commands/command.js';

/**
 * Runs `tessera …` in-process with an empty environment, capturing what runCli and the
 * command print (commands write their results to process.stdout, and what is for a person,
 * such as a new key's mnemonic, to process.stderr).
 *
 * @returns The exit code, stdout and stderr.
 * @example
 * const { code, out } = await runTessera(commands, ['export', '--model', path, '--out', dir]);
 */
export async function runTessera(
  commands: readonly Command[],
  argv: string[],
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const text = (chunk: string | Uint8Array) =>
    typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  const [stdout, stderr] = [process.stdout.write, process.stderr.write];
  process.stdout.write = ((chunk: string | Uint8Array) => ((out += text(chunk)), true)) as typeof stdout;
  process.stderr.write = ((chunk: string | Uint8Array) => ((err += text(chunk)), true)) as typeof stderr;
  try {
    const code = await runCli({ argv, commands, env: {}, out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
  } finally {
    [process.stdout.write, process.stderr.write] = [stdout, stderr];
  }
}
