import {
  deadlineOfWindow,
  epochOfWindow,
  parseWindowSample,
  startBlockOfWindow,
  windowSampleField,
} from '@tessera/core';
import type {
  AggregateRecord,
  CheckpointRecord,
  CommitmentRecord,
  NeuronRecord,
  WindowSummary,
} from '../store/records.js';
import type { Window, WindowList } from '../schemas/responses.js';
import type { ReaderContext } from './readerContext.js';
import { commitmentToResponse } from './toResponse.js';

/** Numeric fields of a window's metrics hash (the validator writes it); other fields are left out. */
function parseMetrics(stored: Record<string, string>): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const [field, value] of Object.entries(stored)) {
    const number = Number(value);
    if (value.trim() !== '' && Number.isFinite(number)) metrics[field] = number;
  }
  return metrics;
}

/**
 * One window: its commitments, the aggregates validators published (the one to follow
 * marked, as the contract's getAggregate picks it), checkpoints, and the held-out loss the
 * validator reported, if any.
 *
 * @param parameters.indexedBlock The index's cursor, to say whether the window is complete.
 * @example
 * const window = await readWindow({ context, window: 42, indexedBlock });
 */
export async function readWindow(parameters: {
  context: ReaderContext;
  window: number;
  indexedBlock: number | null;
}): Promise<Window> {
  const { context, window } = parameters;
  const { redis, keys, deployment } = context;
  const clock = deployment.params;
  const [fields, metricsHash] = await Promise.all([
    redis.hgetall(keys.window(window)),
    redis.hgetall(keys.windowMetrics(window)),
  ]);
  const commitments: CommitmentRecord[] = [];
  const aggregates: AggregateRecord[] = [];
  const checkpoints: CheckpointRecord[] = [];
  for (const [field, json] of Object.entries(fields)) {
    if (field.startsWith('commit:')) commitments.push(JSON.parse(json) as CommitmentRecord);
    else if (field.startsWith('aggregate:')) aggregates.push(JSON.parse(json) as AggregateRecord);
    else if (field.startsWith('checkpoint:')) checkpoints.push(JSON.parse(json) as CheckpointRecord);
  }
  const chainOrder = (a: { block: number; tx: string }, b: { block: number; tx: string }) =>
    a.block - b.block;
  commitments.sort((a, b) => a.block - b.block || a.uid - b.uid);
  aggregates.sort(chainOrder);
  checkpoints.sort(chainOrder);

  // The aggregate to follow: its publisher's stake now, as a registered validator (else 0).
  let selected = -1;
  if (aggregates.length > 0) {
    const uids = await redis.hmget(keys.hotkeys, ...aggregates.map((a) => a.validator.toLowerCase()));
    const neurons = await Promise.all(
      uids.map((uid) => (uid === null ? Promise.resolve(null) : redis.hget(keys.neurons, uid))),
    );
    let best = -1n;
    neurons.forEach((json, i) => {
      const neuron = json === null ? undefined : (JSON.parse(json) as NeuronRecord);
      const stake =
        neuron?.role === 'validator' && neuron.hotkey === aggregates[i]!.validator
          ? BigInt(neuron.stake)
          : 0n;
      if (stake > best) {
        best = stake;
        selected = i;
      }
    });
  }

  const start = startBlockOfWindow({ window, ...clock });
  const deadlineBlock = deadlineOfWindow({ window, ...clock });
  const metrics = parseMetrics(metricsHash);
  const chosen = aggregates[selected];
  return {
    window,
    epoch: epochOfWindow({ window, ...clock }),
    startBlock: start,
    deadlineBlock,
    complete: parameters.indexedBlock !== null && parameters.indexedBlock >= deadlineBlock - 1,
    commitments: commitments.map(commitmentToResponse),
    aggregates: aggregates.map((a, i) => ({
      validatorUid: a.validatorUid,
      validator: a.validator,
      aggregateHash: a.aggregateHash,
      uids: a.uids,
      uri: a.uri,
      block: a.block,
      tx: a.tx,
      selected: i === selected,
    })),
    aggregationSet: chosen
      ? {
          validatorUid: chosen.validatorUid,
          uids: chosen.uids,
          aggregateHash: chosen.aggregateHash,
          uri: chosen.uri,
        }
      : null,
    checkpoints: checkpoints.map((c) => ({
      validatorUid: c.validatorUid,
      validator: c.validator,
      modelHash: c.modelHash,
      uri: c.uri,
      block: c.block,
      tx: c.tx,
    })),
    heldOutLoss: metrics.heldOutLoss ?? null,
    metrics,
    sample: parseWindowSample(metricsHash[windowSampleField]),
  };
}

/**
 * A page of windows that saw commitments, aggregates or checkpoints, newest first, with
 * their counts, held-out loss and the validator's sample of the model.
 *
 * @example
 * const { windows } = await readWindows({ context, limit: 100 });
 */
export async function readWindows(parameters: {
  context: ReaderContext;
  limit: number;
  before?: number | undefined;
}): Promise<WindowList> {
  const { context, limit } = parameters;
  const { redis, keys } = context;
  const max = parameters.before === undefined ? '+inf' : `(${parameters.before}`;
  const windows = await redis.zrevrangebyscore(keys.windows, max, '-inf', 'LIMIT', 0, limit + 1);
  const page = windows.slice(0, limit);
  if (page.length === 0) return { windows: [], nextBefore: null };
  const pipeline = redis.pipeline();
  pipeline.hmget(keys.windowSummaries, ...page);
  for (const w of page) pipeline.hmget(keys.windowMetrics(Number(w)), 'heldOutLoss', windowSampleField);
  const results = (await pipeline.exec()) ?? [];
  const values = results.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
  const summaries = values[0] as (string | null)[];
  return {
    windows: page.map((w, i) => {
      const summary = summaries[i] ? (JSON.parse(summaries[i]) as WindowSummary) : undefined;
      const [loss, sample] = values[i + 1] as [string | null, string | null];
      const heldOutLoss = loss === null || loss.trim() === '' ? NaN : Number(loss);
      return {
        window: Number(w),
        commitments: summary?.commitments ?? 0,
        aggregates: summary?.aggregates ?? 0,
        heldOutLoss: Number.isFinite(heldOutLoss) ? heldOutLoss : null,
        sample: parseWindowSample(sample),
      };
    }),
    nextBefore: windows.length > limit ? Number(page[page.length - 1]) : null,
  };
}
