import type { TObject } from '@sinclair/typebox';
import type { OptionProblem, OptionsOf } from '@tessera/core';

/** One `tessera <name>` command: its options schema and what it does with them. */
export type Command<S extends TObject = TObject> = {
  name: string;
  /** One line for `tessera --help`. */
  summary: string;
  /** A paragraph for `tessera <name> --help`. */
  description: string;
  schema: S;
  /**
   * The rules between options a schema cannot say (`--netuid` on subtensor, the keys the chain
   * needs, amounts in the chain's unit), checked before `run`; each problem becomes a usage
   * error (exit code 2) naming the flag.
   */
  check?(options: OptionsOf<S>): readonly OptionProblem[];
  /** Runs the command; resolves with the process exit code. */
  run(options: OptionsOf<S>): Promise<number>;
};

/** Helps TypeScript keep each command's options typed from its own schema. */
export function defineCommand<S extends TObject>(command: Command<S>): Command {
  return command as unknown as Command;
}
