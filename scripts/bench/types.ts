/** One benchmark result: one JSON object on one line of `npm run bench -- --json`. */
export type BenchResult = { bench: string } & Record<string, unknown>;

/** A benchmark module under scripts/bench/: yields its results as it measures them. */
export type Bench = {
  /** Short name used by `--only`. */
  name: string;
  /** What it measures, one line, for BENCHMARKS.md. */
  description: string;
  run(options: { quick: boolean }): AsyncIterable<BenchResult>;
};
