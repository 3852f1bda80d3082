/**
 * Runs every benchmark under scripts/bench/ and prints one JSON object per result.
 *
 *   npm run bench                    # all benchmarks, human lines, updates BENCHMARKS.md
 *   npm run bench -- --json          # one JSON object per line on stdout
 *   npm run bench -- --only codec    # a subset (comma-separated names)
 *   npm run bench -- --quick         # smaller sizes, for a smoke run
 *   npm run bench -- --no-write      # leave BENCHMARKS.md alone
 *   npm run bench -- --only parity --windows 5   # a benchmark's own flags (see --help)
 *
 * Results are written to BENCHMARKS.md in a section per benchmark, with the command that
 * made them, the date and the machine, so a reader can run it again.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import type { Bench, BenchFlagValues, BenchFlags, BenchResult } from './bench/types.js';
import { benches } from './bench/index.js';

const harnessFlags = {
  json: { type: 'boolean', default: false },
  only: { type: 'string' },
  quick: { type: 'boolean', default: false },
  'no-write': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies BenchFlags;
// Each benchmark's own flags (`--only parity --windows 5`) are parsed with the harness's.
const benchFlags: BenchFlags = Object.assign({}, ...benches.map((b) => b.flags ?? {}));
const parsed = parseArgs({ options: { ...benchFlags, ...harnessFlags }, strict: true });
const flags = parsed.values as BenchFlagValues;
const values = parsed.values as {
  json: boolean;
  only?: string;
  quick: boolean;
  'no-write': boolean;
  help: boolean;
};

if (values.help) {
  const own = benches
    .filter((b) => b.flags)
    .map(
      (b) =>
        `  ${b.name}: ${Object.entries(b.flags!)
          .map(([name, f]) => `--${name}${f.type === 'string' ? ' <value>' : ''}`)
          .join(' ')}`,
    );
  process.stdout.write(
    `Usage: npm run bench -- [--json] [--only a,b] [--quick] [--no-write] [benchmark flags]\n\nBenchmarks: ${benches.map((b) => b.name).join(', ')}\n${own.length > 0 ? `\nBenchmark flags:\n${own.join('\n')}\n` : ''}`,
  );
  process.exit(0);
}

const wanted = values.only
  ?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const unknown = wanted?.filter((name) => !benches.some((b) => b.name === name)) ?? [];
if (unknown.length > 0) {
  process.stderr.write(
    `Unknown benchmark(s): ${unknown.join(', ')}. Known: ${benches.map((b) => b.name).join(', ')}\n`,
  );
  process.exit(2);
}
const selected: Bench[] = wanted ? benches.filter((b) => wanted.includes(b.name)) : benches;
const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;

const sections = new Map<string, string>();
const files = new Map<string, string>();
for (const bench of selected) {
  const results: BenchResult[] = [];
  for await (const result of bench.run({ quick: values.quick, flags })) {
    results.push(result);
    process.stdout.write(
      values.json ? `${JSON.stringify(result)}\n` : `${bench.name}: ${JSON.stringify(result)}\n`,
    );
  }
  sections.set(bench.name, renderSection(bench, results));
}

if (!values['no-write'] && !values.quick) writeBenchmarks(sections);

function renderSection(bench: Bench, results: BenchResult[]): string {
  const rendered = bench.render?.(results);
  for (const [name, text] of Object.entries(rendered?.files ?? {})) files.set(name, text);
  const body = rendered?.body ?? renderTable(results);
  return [
    `<!-- bench:${bench.name}:start -->`,
    `## ${bench.name}`,
    '',
    bench.description,
    '',
    `Command: \`${command}\` · ${new Date().toISOString().slice(0, 10)} · ${machine}`,
    '',
    body,
    `<!-- bench:${bench.name}:end -->`,
  ].join('\n');
}

function renderTable(results: BenchResult[]): string {
  const keys = [...new Set(results.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) =>
    typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : String(v ?? '');
  return [
    `| ${keys.join(' | ')} |`,
    `| ${keys.map(() => '---').join(' | ')} |`,
    ...results.map((r) => `| ${keys.map((k) => cell(r[k])).join(' | ')} |`),
  ].join('\n');
}

function writeBenchmarks(fresh: Map<string, string>): void {
  const path = new URL('../BENCHMARKS.md', import.meta.url);
  let text = existsSync(path)
    ? readFileSync(path, 'utf8')
    : '# Benchmarks\n\nMade by `npm run bench` (see CONTRIBUTING.md). Each section says the command, date and machine that produced it. The machines are shared and noisy: compare ratios within one run, not absolute numbers across runs.\n';
  for (const [name, section] of fresh) {
    const re = new RegExp(`<!-- bench:${name}:start -->[\\s\\S]*?<!-- bench:${name}:end -->`);
    text = re.test(text) ? text.replace(re, section) : `${text.trimEnd()}\n\n${section}\n`;
  }
  writeFileSync(path, text);
  // Files a section links to (plots) go beside BENCHMARKS.md.
  for (const [name, content] of files) writeFileSync(new URL(`../${name}`, import.meta.url), content);
}
