import { ConfigError, optionNamesOf } from '@tessera/core';
import type { ConfigSource, OptionProblem } from '@tessera/core';

/**
 * Turns a command's `check` problems into the ConfigError buildOptions would have thrown: each
 * named by the flag, environment variable or config file the value came from (read back from
 * `argv` and `env`), or by its flag when it was not given at all.
 *
 * @example
 * throw problemsToConfigError({ problems: [{ field: 'netuid', problem: 'required' }], argv, env });
 */
export function problemsToConfigError(parameters: {
  problems: readonly OptionProblem[];
  argv: readonly string[];
  env: Record<string, string | undefined>;
}): ConfigError {
  const { argv, env } = parameters;
  const configFile = argv.some((a) => a === '--config' || a.startsWith('--config=')) || !!env.TESSERA_CONFIG;
  return new ConfigError(
    parameters.problems.map(({ field, problem }) => {
      const { flag, env: variable } = optionNamesOf({ path: field.split('.'), envPrefix: 'TESSERA_' });
      const onFlag = argv.some(
        (a) => a === flag || a.startsWith(`${flag}=`) || a === `--no-${flag.slice(2)}`,
      );
      const source: ConfigSource = onFlag
        ? 'flag'
        : env[variable]
          ? 'env'
          : configFile && !/^required/.test(problem)
            ? 'file'
            : /^required/.test(problem)
              ? 'missing'
              : 'default';
      const name = source === 'env' ? variable : source === 'file' ? `config file: ${field}` : flag;
      return { field, source, name, problem };
    }),
  );
}
