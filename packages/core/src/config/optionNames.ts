/** The flag and environment names of one options field; see {@link optionNamesOf}. */
export type OptionNames = {
  /** `--rpc-url`; nested fields join with a dot: `--storage.root`. */
  flag: string;
  /** `TESSERA_RPC_URL`; nested fields join with two underscores: `TESSERA_STORAGE__ROOT`. */
  env: string;
};

/**
 * Derives a field's command-line flag and environment variable from its path.
 *
 * Words split where case changes (`rpcUrl`, `rpcURL` → `rpc-url`; `http2Port` → `http2-port`).
 *
 * @example
 * optionNamesOf({ path: ['rpcUrl'], envPrefix: 'TESSERA_' }); // { flag: '--rpc-url', env: 'TESSERA_RPC_URL' }
 */
export function optionNamesOf(parameters: { path: readonly string[]; envPrefix: string }): OptionNames {
  const words = parameters.path.map(kebabCase);
  return {
    flag: `--${words.join('.')}`,
    env: `${parameters.envPrefix}${words.map((word) => word.toUpperCase().replace(/-/g, '_')).join('__')}`,
  };
}

function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
}
