import { Type } from '@sinclair/typebox';

/**
 * The run a role takes part in and where it keeps and finds the run's training data, to spread
 * into its option schema; read by the CLI's `loadRunContext` and `openRunCorpus`. Miners,
 * validators and workers take the same three.
 *
 * @example
 * const schema = Type.Object({ ...runFields(), ...readerFields() });
 */
export function runFields() {
  return {
    /** Run config file (hyperparameters and model preset) every participant shares. @default '.devnet/run.json' */
    run: Type.String({
      description: 'Run config file: the hyperparameters and model preset every miner and validator shares.',
      default: '.devnet/run.json',
      placeholder: 'path',
    }),
    /** Folder for the tokenized corpus and the run dataset's verified files. @default '.tessera/cache' */
    cacheDir: Type.String({
      description: 'Folder for the tokenized corpus and the run dataset’s verified files.',
      default: '.tessera/cache',
      placeholder: 'path',
    }),
    /**
     * Mirrors of the run dataset (docs/datasets.md) tried before the run config's: a local copy,
     * a nearby bucket. Every file is still checked against the manifest digest, so a mirror
     * can make a role slower but never make it train on other data. @default []
     */
    datasetMirrors: Type.Array(Type.String({ minLength: 1, maxLength: 2048 }), {
      description:
        'Mirrors of the run dataset to try before the run config’s (a folder, http(s)://, s3://); every file is checked against its digest.',
      default: [],
      maxItems: 64,
      placeholder: 'uri,…',
    }),
  };
}
