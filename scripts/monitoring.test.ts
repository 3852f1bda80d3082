import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  createCorpus,
  createFileStore,
  createMetrics,
  createShutdown,
  createStoreRouter,
  getModelPreset,
  parseHyperparameters,
  silentLogger,
} from '@tessera/core';
import type { Corpus, Metrics } from '@tessera/core';
import { createMemoryChain } from '@tessera/core/testing';
import { createMiner, honest } from '@tessera/miner';
import { createValidator } from '@tessera/validator';

const root = fileURLToPath(new URL('../', import.meta.url));
const alerts = parse(readFileSync(join(root, 'ops/prometheus/alerts.yml'), 'utf8')) as unknown;
const dashboard = JSON.parse(readFileSync(join(root, 'ops/grafana/tessera.json'), 'utf8')) as unknown;

/** Series Prometheus itself makes for every target. */
const prometheusSeries = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped']);
const keywords = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring']);

/**
 * The metric names a PromQL expression selects: what is left once strings, label matchers,
 * ranges, grouping clauses, function calls, keywords and numbers are taken out.
 */
function metricNamesOf(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names: string[] = [];
  for (const match of bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*(\s*\()?/g)) {
    const [token, call] = [match[0].replace(/\s*\($/, ''), match[1]];
    if (call !== undefined || keywords.has(token)) continue;
    const before = bare[match.index - 1];
    // Digits of a number (1e3) or a duration (5m) are no names.
    if (before !== undefined && /[0-9.]/.test(before)) continue;
    names.push(token);
  }
  return names;
}

/** Every series name a registry exports: a histogram's `_bucket`, `_sum` and `_count`. */
async function seriesNamesOf(metrics: Metrics): Promise<string[]> {
  const names: string[] = [];
  for (const metric of await metrics.registry.getMetricsAsJSON()) {
    if (String(metric.type) === 'histogram')
      names.push(`${metric.name}_bucket`, `${metric.name}_sum`, `${metric.name}_count`);
    else names.push(metric.name);
  }
  return names;
}

type Rule = { alert?: unknown; expr?: unknown; for?: unknown; labels?: unknown; annotations?: unknown };

function rulesOf(document: unknown): Rule[] {
  const groups = (document as { groups?: { name?: unknown; rules?: Rule[] }[] }).groups;
  if (!Array.isArray(groups)) throw new Error('alerts.yml has no groups');
  return groups.flatMap((group) => group.rules ?? []);
}

function dashboardExprs(document: unknown): string[] {
  const exprs: string[] = [];
  const visit = (panels: unknown) => {
    for (const panel of (panels ?? []) as { targets?: { expr?: unknown }[]; panels?: unknown }[]) {
      for (const target of panel.targets ?? []) exprs.push(String(target.expr));
      visit(panel.panels);
    }
  };
  visit((document as { panels?: unknown }).panels);
  return exprs;
}

describe('monitoring config (ops/)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-monitoring-'));
  let exported: Set<string>;
  let corpus: Corpus;

  beforeAll(async () => {
    const h = parseHyperparameters({});
    const modelConfig = getModelPreset({ name: h.modelPreset });
    corpus = await createCorpus({
      vocabSize: modelConfig.vocabSize,
      pageTokens: h.pageTokens,
      cacheDir: join(tmpdir(), 'tessera-test-cache'),
    });
    const shutdown = createShutdown();
    const timing = {
      startBlock: 0,
      blocksPerWindow: h.blocksPerWindow,
      windowsPerEpoch: h.windowsPerEpoch,
      deadlineGraceBlocks: h.deadlineGraceBlocks,
    };
    // Each role's registry as its command makes it (node's metrics included), with what the
    // role declares on it when it is created.
    const validatorMetrics = createMetrics({ prefix: 'tessera_validator' });
    createValidator({
      common: { options: {}, logger: silentLogger, metrics: validatorMetrics, shutdown },
      chain: createMemoryChain({ timing, validators: 1 }),
      redis: 'redis://127.0.0.1:1',
      store: createFileStore({ root: join(dir, 'validator') }),
      router: createStoreRouter(),
      corpus,
      hyperparameters: h,
      modelConfig,
      stateDir: join(dir, 'validator'),
    });
    const minerMetrics = createMetrics({ prefix: 'tessera_miner' });
    createMiner({
      common: { options: {}, logger: silentLogger, metrics: minerMetrics, shutdown },
      chain: createMemoryChain({ timing, miners: 1 }),
      store: createFileStore({ root: join(dir, 'miner') }),
      router: createStoreRouter(),
      corpus,
      hyperparameters: h,
      modelConfig,
      strategy: honest,
      strategyName: 'honest',
      stateDir: join(dir, 'miner'),
    });
    exported = new Set([...(await seriesNamesOf(validatorMetrics)), ...(await seriesNamesOf(minerMetrics))]);
    await shutdown.kill();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads metric names out of PromQL', () => {
    expect(
      metricNamesOf(
        'sum by (job, instance) (increase(tessera_miner_windows_total{result=~"failed|rejected"}[30m])) > 2e3 and on(instance) up',
      ),
    ).toEqual(['tessera_miner_windows_total', 'up']);
    expect(
      metricNamesOf('histogram_quantile(0.9, rate(a_bucket[$__rate_interval])) / ignoring(le) b offset 5m'),
    ).toEqual(['a_bucket', 'b']);
  });

  it('alert rules name only metrics the roles export', () => {
    const rules = rulesOf(alerts);
    expect(rules.length).toBeGreaterThanOrEqual(5);
    for (const rule of rules) {
      for (const name of metricNamesOf(String(rule.expr))) {
        expect({ alert: rule.alert, name, known: exported.has(name) || prometheusSeries.has(name) }).toEqual({
          alert: rule.alert,
          name,
          known: true,
        });
      }
    }
  });

  it('alert rules have what Prometheus needs', () => {
    const names = new Set<string>();
    for (const rule of rulesOf(alerts)) {
      expect(typeof rule.alert).toBe('string');
      expect(String(rule.alert)).toMatch(/^[a-zA-Z_][a-zA-Z0-9_]*$/);
      expect(names.has(String(rule.alert))).toBe(false);
      names.add(String(rule.alert));
      expect(typeof rule.expr).toBe('string');
      expect(metricNamesOf(String(rule.expr)).length).toBeGreaterThan(0);
      if (rule.for !== undefined) expect(String(rule.for)).toMatch(/^(\d+(ms|s|m|h|d|w|y))+$/);
      const labels = rule.labels as Record<string, unknown>;
      expect(['critical', 'warning', 'info']).toContain(labels?.['severity']);
      const annotations = rule.annotations as Record<string, unknown>;
      expect(typeof annotations?.['summary']).toBe('string');
    }
    // The alerts the runbook promises.
    for (const alert of [
      'TesseraValidatorNotSettingWeights',
      'TesseraMinerWindowsFailing',
      'TesseraEvaluationQueueBackingUp',
      'TesseraLowBalance',
      'TesseraOutOfSync',
    ])
      expect(names).toContain(alert);
  });

  it('the dashboard names only metrics the roles export', () => {
    const exprs = dashboardExprs(dashboard);
    expect(exprs.length).toBeGreaterThan(10);
    const used = new Set(exprs.flatMap(metricNamesOf));
    expect([...used].filter((name) => !exported.has(name) && !prometheusSeries.has(name))).toEqual([]);
    // Queue depth, per-uid scores, verdicts, balance and stake are on it.
    for (const name of [
      'tessera_validator_evaluation_jobs',
      'tessera_validator_miner_score',
      'tessera_validator_rejections_total',
      'tessera_validator_account_balance',
      'tessera_miner_account_stake',
    ])
      expect(used).toContain(name);
  });
});
