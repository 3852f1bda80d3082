import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { MetricsError } from '../errors/metrics.js';

/** Parameters of {@link createMetrics}. */
export type CreateMetricsParameters = {
  /** Start of every metric name, e.g. `tessera_miner`; an underscore joins it to each name. */
  prefix: string;
  /** Labels on every series, e.g. `{ role: 'miner', uid: '7' }`. @default {} */
  labels?: Record<string, string> | undefined;
  /** Also export Node's process metrics (CPU, memory, event loop lag, GC), unprefixed. @default true */
  defaultMetrics?: boolean | undefined;
};

/** What every metric declaration takes. */
export type MetricParameters<L extends string> = {
  /** Name after the prefix, snake case: `updates_total`, `window_seconds`. */
  name: string;
  /** One line on what it counts or measures, with its unit. */
  help: string;
  /** Names of the labels its series vary by. @default [] */
  labelNames?: readonly L[] | undefined;
};

/** A process's metrics: declare them once, update them anywhere, serve them with {@link createMetricsServer}. */
export type Metrics = {
  /** The prom-client registry behind it (its own, never the global one). */
  readonly registry: Registry;
  readonly prefix: string;
  /** The Content-Type of {@link Metrics.render}'s text. */
  readonly contentType: string;
  /** A value that only goes up (`_total` names). Declaring the same counter again returns it. */
  counter<L extends string = never>(parameters: MetricParameters<L>): Counter<L>;
  /** A value that goes up and down. */
  gauge<L extends string = never>(parameters: MetricParameters<L>): Gauge<L>;
  /** A distribution in buckets (`_seconds`, `_bytes` names). */
  histogram<L extends string = never>(
    parameters: MetricParameters<L> & { buckets?: readonly number[] | undefined },
  ): Histogram<L>;
  /** Every metric in the Prometheus text format. */
  render(): Promise<string>;
};

const namePattern = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelPattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Creates a registry of Prometheus metrics for one role (miner, validator, worker).
 *
 * @example
 * const metrics = createMetrics({ prefix: 'tessera_validator', labels: { hotkey } });
 * const scored = metrics.counter({ name: 'updates_scored_total', help: 'Updates scored, by result.', labelNames: ['result'] });
 * scored.inc({ result: 'rejected' });
 */
export function createMetrics(parameters: CreateMetricsParameters): Metrics {
  const { prefix } = parameters;
  if (typeof prefix !== 'string' || !namePattern.test(prefix) || prefix.endsWith('_')) {
    throw new MetricsError('Invalid metric prefix.', {
      details: JSON.stringify(prefix),
      hint: 'Use letters, digits and underscores, e.g. tessera_miner, without a trailing underscore.',
    });
  }
  const labels = parameters.labels ?? {};
  for (const [name, value] of Object.entries(labels)) {
    checkLabel(name);
    if (typeof value !== 'string')
      throw new MetricsError('Default label values must be strings.', { details: name });
  }
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  if (parameters.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const declare = <M>(
    kind: new (...args: never[]) => M,
    declaration: MetricParameters<string>,
    create: (config: { name: string; help: string; labelNames: string[]; registers: Registry[] }) => M,
  ): M => {
    const { name, help } = declaration;
    if (typeof name !== 'string' || !namePattern.test(name)) {
      throw new MetricsError('Invalid metric name.', {
        details: JSON.stringify(name),
        hint: 'Use snake case: updates_total.',
      });
    }
    if (typeof help !== 'string' || help.trim() === '')
      throw new MetricsError('Every metric needs help text.', { details: name });
    const labelNames = [...(declaration.labelNames ?? [])];
    for (const label of labelNames) {
      checkLabel(label);
      if (label in labels)
        throw new MetricsError('Label is already a default label.', { details: `${name}: ${label}` });
    }
    const fullName = `${prefix}_${name}`;
    const existing = registry.getSingleMetric(fullName);
    if (existing !== undefined) {
      if (existing instanceof kind) return existing;
      throw new MetricsError('Metric name is taken by another kind of metric.', { details: fullName });
    }
    return create({ name: fullName, help, labelNames, registers: [registry] });
  };

  return {
    registry,
    prefix,
    contentType: registry.contentType,
    counter: <L extends string = never>(declaration: MetricParameters<L>) =>
      declare(Counter, declaration, (config) => new Counter(config)) as Counter<L>,
    gauge: <L extends string = never>(declaration: MetricParameters<L>) =>
      declare(Gauge, declaration, (config) => new Gauge(config)) as Gauge<L>,
    histogram: <L extends string = never>(
      declaration: MetricParameters<L> & { buckets?: readonly number[] | undefined },
    ) =>
      declare(
        Histogram,
        declaration,
        (config) =>
          new Histogram({ ...config, ...(declaration.buckets ? { buckets: [...declaration.buckets] } : {}) }),
      ) as Histogram<L>,
    render: () => registry.metrics(),
  };
}

function checkLabel(name: string): void {
  if (typeof name !== 'string' || !labelPattern.test(name) || name.startsWith('__')) {
    throw new MetricsError('Invalid label name.', {
      details: JSON.stringify(name),
      hint: 'Use snake case: result, window.',
    });
  }
}
