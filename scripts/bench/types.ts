import type { ParseArgsConfig } from 'node:util';

/** One benchmark result: one JSON object on one line of `npm run bench -- --json`. */
export type BenchResult = { bench: string } & Record<string, unknown>;

/** Flags a benchmark adds to `npm run bench`, in `util.parseArgs` form. */
export type BenchFlags = NonNullable<ParseArgsConfig['options']>;

/** The values of every flag, as `util.parseArgs` read them (undefined when not given and no default). */
export type BenchFlagValues = Readonly<Record<string, string | boolean | undefined>>;

/** A benchmark module under scripts/bench/: yields its results as it measures them. */
export type Bench = {
  /** Short name used by `--only`. */
  name: string;
  /** What it measures, one line, for BENCHMARKS.md. */
  description: string;
  /** Flags of its own (`npm run bench -- --only parity --windows 5`); names must not clash. */
  flags?: BenchFlags;
  run(options: { quick: boolean; flags: BenchFlagValues }): AsyncIterable<BenchResult>;
  /**
   * The body of its BENCHMARKS.md section, in place of the one table of every result, and
   * files to write beside BENCHMARKS.md (a plot), by file name.
   */
  render?(results: readonly BenchResult[]): { body: string; files?: Record<string, string> };
};
