import { BaseError, ConfigError, buildOptions, helpRequested, renderHelp } from '@tessera/core';
import type { Command } from './commands/command.js';
import { problemsToConfigError } from './connect/problemsToConfigError.js';

/** Parameters of {@link runCli}. */
export type RunCliParameters = {
  /** Arguments after the program name. */
  argv: readonly string[];
  commands: readonly Command[];
  env?: Record<string, string | undefined> | undefined;
  /** @default process.stdout.write */
  out?: ((text: string) => void) | undefined;
  /** @default process.stderr.write */
  err?: ((text: string) => void) | undefined;
};

/**
 * Runs `tessera <command> [flags]`: finds the command, prints help when asked, builds its
 * options (flags, then environment, then `--config` file, then defaults) and runs it.
 *
 * @returns The exit code: 0 on success, 2 for usage and config errors, 1 for failures.
 * @example
 * process.exitCode = await runCli({ argv: process.argv.slice(2), commands });
 */
export async function runCli(parameters: RunCliParameters): Promise<number> {
  const out = parameters.out ?? ((text: string) => void process.stdout.write(text));
  const err = parameters.err ?? ((text: string) => void process.stderr.write(text));
  const [name, ...rest] = parameters.argv;
  const usage = () =>
    [
      'Usage: tessera <command> [flags]',
      '',
      'Commands:',
      ...parameters.commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`),
      '',
      'Every command takes --help, and --config <file.json> for its options; flags beat TESSERA_* environment variables, which beat the file.',
      '',
    ].join('\n');

  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    out(usage());
    return name === undefined ? 2 : 0;
  }
  const command = parameters.commands.find((c) => c.name === name);
  if (!command) {
    err(`Unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  if (helpRequested({ argv: rest })) {
    out(
      `${renderHelp({ schema: command.schema, command: `tessera ${command.name}`, description: command.description })}\n`,
    );
    return 0;
  }
  const env = parameters.env ?? process.env;
  let options;
  try {
    options = buildOptions({ schema: command.schema, argv: rest, env });
    const problems = command.check?.(options) ?? [];
    if (problems.length > 0) throw problemsToConfigError({ problems, argv: rest, env });
  } catch (error) {
    if (error instanceof ConfigError) {
      err(`${error.message}\n\nRun "tessera ${command.name} --help" for its flags.\n`);
      return 2;
    }
    throw error;
  }
  try {
    return await command.run(options);
  } catch (error) {
    err(
      `tessera ${command.name}: ${error instanceof BaseError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}
