import { readFileSync } from 'node:fs';
import type { TObject } from '@sinclair/typebox';
import { BaseError, ConfigError, buildOptions, helpRequested, renderHelp, suggestName } from '@tessera/core';
import type { Command } from './commands/command.js';
import { problemsToConfigError } from './connect/problemsToConfigError.js';
import { exitCodeOf, exitCodes } from './exitCodes.js';

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
 * Runs `tessera <command> [flags]` (or `tessera <group> <action> [flags]`, as `tessera wallet
 * create`): finds the command (suggesting the closest name for a typo), prints help or the version when asked, builds its options (flags, then environment,
 * then `--config` file, then defaults) and runs it. A config file may hold keys of other
 * commands, so one file can serve several; keys no command takes are refused.
 *
 * @returns The exit code, one of {@link exitCodes}: `usage` (2) for a bad command line,
 *   environment or config file, otherwise what the command returned or {@link exitCodeOf}
 *   its error.
 * @example
 * process.exitCode = await runCli({ argv: process.argv.slice(2), commands });
 */
export async function runCli(parameters: RunCliParameters): Promise<number> {
  const out = parameters.out ?? ((text: string) => void process.stdout.write(text));
  const err = parameters.err ?? ((text: string) => void process.stderr.write(text));
  const [name] = parameters.argv;
  const width = Math.max(10, ...parameters.commands.map((c) => c.name.length));
  const listed = (commands: readonly Command[]) =>
    commands.map((c) => `  ${c.name.padEnd(width)} ${c.summary}`);
  const usage = () =>
    [
      'Usage: tessera <command> [flags]',
      '',
      'Commands:',
      ...listed(parameters.commands),
      '',
      'Every command takes --help, and --config <file.json> for its options; flags beat TESSERA_* environment variables, which beat the file. One file may hold the options of several commands.',
      'tessera --version (-V) prints the version.',
      '',
    ].join('\n');

  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    out(usage());
    return name === undefined ? exitCodes.usage : exitCodes.ok;
  }
  if (name === '--version' || name === '-V') {
    out(`tessera ${cliVersion()}\n`);
    return exitCodes.ok;
  }
  const command = findCommand({ argv: parameters.argv, commands: parameters.commands });
  const group = parameters.commands.filter((c) => c.name.startsWith(`${name} `));
  if (!command && group.length > 0) {
    // `tessera wallet`, `tessera wallet --help`, `tessera wallet typo`: the group's actions.
    const action = parameters.argv[1];
    const groupUsage = [`Usage: tessera ${name} <action> [flags]`, '', 'Actions:', ...listed(group), ''].join(
      '\n',
    );
    if (action === undefined || action === '--help' || action === '-h') {
      out(groupUsage);
      return action === undefined ? exitCodes.usage : exitCodes.ok;
    }
    const suggestion = suggestName({ name: `${name} ${action}`, candidates: group.map((c) => c.name) });
    err(
      `Unknown command "${name} ${action}".${suggestion === undefined ? '' : ` Did you mean "${suggestion}"?`}\n\n${groupUsage}`,
    );
    return exitCodes.usage;
  }
  if (!command) {
    const suggestion = suggestName({ name, candidates: parameters.commands.map((c) => c.name) });
    err(
      `Unknown command "${name}".${suggestion === undefined ? '' : ` Did you mean "${suggestion}"?`}\n\n${usage()}`,
    );
    return exitCodes.usage;
  }
  const rest = parameters.argv.slice(command.name.split(' ').length);
  if (helpRequested({ argv: rest })) {
    out(
      `${renderHelp({ schema: command.schema, command: `tessera ${command.name}`, description: command.description })}\n`,
    );
    return exitCodes.ok;
  }
  const env = parameters.env ?? process.env;
  const knownElsewhere = new Set(
    parameters.commands.filter((c) => c !== command).flatMap((c) => optionKeysOf(c.schema)),
  );
  let options;
  try {
    options = buildOptions({ schema: command.schema, argv: rest, env, knownElsewhere });
    const problems = command.check?.(options) ?? [];
    if (problems.length > 0) throw problemsToConfigError({ problems, argv: rest, env });
  } catch (error) {
    if (error instanceof ConfigError) {
      err(`${error.message}\n\nRun "tessera ${command.name} --help" for its flags.\n`);
      return exitCodes.usage;
    }
    throw error;
  }
  try {
    return await command.run(options);
  } catch (error) {
    err(
      `tessera ${command.name}: ${error instanceof BaseError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    if (error instanceof ConfigError) err(`\nRun "tessera ${command.name} --help" for its flags.\n`);
    return exitCodeOf(error);
  }
}

/** The command `argv` starts with: one word (`register`), or two for a group's action (`wallet create`). */
function findCommand(parameters: {
  argv: readonly string[];
  commands: readonly Command[];
}): Command | undefined {
  return parameters.commands.find((c) => c.name.split(' ').every((word, i) => parameters.argv[i] === word));
}

/** The version in the CLI's package.json, read when asked so it cannot go stale. */
function cliVersion(): string {
  // src/runCli.ts and dist/runCli.js both sit one folder below the package root.
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}

/** The dotted keys (`rpcUrl`, `storage.root`) a command's config file may hold. */
function optionKeysOf(schema: TObject, at: readonly string[] = []): string[] {
  return Object.entries(schema.properties).flatMap(([name, property]) => {
    const here = [...at, name];
    return (property as { type?: unknown }).type === 'object' && 'properties' in property
      ? optionKeysOf(property as TObject, here)
      : [here.join('.')];
  });
}
