import { runCli } from '../runCli.js';
import type { Command } from '../commands/command.js';

/**
 * Runs `tessera …` in-process with an empty environment, capturing what runCli and the
 * command print (commands write their results to process.stdout).
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
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  try {
    const code = await runCli({ argv, commands, env: {}, out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
  } finally {
    process.stdout.write = write;
  }
}
