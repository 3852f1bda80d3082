import { NonRetryableError } from '@tessera/errors';

/** Where a configuration value came from. `missing`: nowhere, and the field has no default. */
export type ConfigSource = 'flag' | 'env' | 'file' | 'default' | 'missing';

/** One thing wrong with a configuration. */
export type ConfigIssue = {
  /** The field's path in the options object, e.g. `storage.root`; empty for a stray argument. */
  field: string;
  source: ConfigSource;
  /** What the user wrote it as: `--rpc-url`, `TESSERA_RPC_URL`, `tessera.json: rpcUrl`. */
  name: string;
  /** What was wrong: what was expected and what was received (secrets are never echoed). */
  problem: string;
};

/**
 * The configuration is invalid; `issues` lists every bad field at once, each with where its
 * value came from and what was expected.
 *
 * @example
 * try { buildOptions({ schema, argv }) } catch (error) {
 *   if (error instanceof ConfigError) { console.error(error.message); process.exit(2); }
 * }
 */
export class ConfigError extends NonRetryableError {
  override name = 'ConfigError';
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], parameters: { hint?: string | undefined } = {}) {
    super(`Invalid configuration: ${issues.length} ${issues.length === 1 ? 'problem' : 'problems'}.`, {
      metaMessages: issues.map((issue) => `  ${issue.name} (${issue.source}): ${issue.problem}`),
      hint: parameters.hint ?? 'Run the command with --help to list every option.',
    });
    this.issues = Object.freeze([...issues]);
  }
}
