/**
 * Measures the proof-of-assignment statistic `(own − random) / max(|random|, |heldOut|, ε)`
 * (and, for comparison, `(own − random) / max(|own|, ε)`) for honest updates and for updates
 * trained on pages other than the ones assigned, at several stages of a run, so
 * `proofMargin` can sit between the two populations.
 *
 *   npx tsx --conditions=source scripts/measure-proof-margin.ts [--windows 0,5,20] [--miners 4] [--preset tiny]
 *
 * A simulated run: every window each miner trains honestly on its assignment and the
 * aggregate of all of them gives the next θ; each miner keeps its error-feedback buffer
 * across windows. At each reported window, every miner's honest update and an update
 * trained on another miner's pages (from a copy of the same buffer) are evaluated against
 * the miner's own assignment with `evaluateUpdate`, which reports the losses.
 */
import { parseArgs } from 'node:util';
import {
  aggregateUpdates,
  assignWork,
  createCorpus,
  createModel,
  decodeUpdate,
  digestUpdate,
  getModelPreset,
  hyperparameterPresets,
  initParameters,
  modelHash,
  parseHyperparameters,
  selectBackend,
  shardRange,
  silentLogger,
} from '@tessera/core';
import { evaluateUpdate, proofEpsilon } from '@tessera/validator';
import { trainUpdate } from '../packages/validator/src/_test/trainUpdate.js';

const { values } = parseArgs({
  options: {
    windows: { type: 'string', default: '0,5,20,40' },
    miners: { type: 'string', default: '4' },
    preset: { type: 'string', default: 'tiny' },
    // Scales η_outer for the evaluation only (θ_w − scale·η·Δ̂), to compare step sizes.
    'eval-step': { type: 'string', default: '1' },
  },
});
const report = new Set(values.windows.split(',').map(Number));
const miners = Number(values.miners);
const last = Math.max(...report);

await selectBackend({ logger: silentLogger });
const hyperparameters = parseHyperparameters({
  ...hyperparameterPresets[values.preset as 'tiny' | 'gpu'],
  proofMargin: 0,
});
const evaluationHyperparameters = parseHyperparameters({
  ...hyperparameters,
  outerLearningRate: hyperparameters.outerLearningRate * Number(values['eval-step']),
});
const buffers: Float32Array[] = [];
const config = getModelPreset({ name: hyperparameters.modelPreset });
const corpus = await createCorpus({ vocabSize: config.vocabSize, pageTokens: hyperparameters.pageTokens });
const model = createModel({ config, seed: 1n });
let theta = initParameters({ config, seed: BigInt(hyperparameters.runSeed) });
const f = (x: number) => x.toFixed(4);
const blockHashOf = (w: number) => `0x${w.toString(16).padStart(64, '0')}` as const;

type Row = {
  window: number;
  kind: 'honest' | 'foreign';
  own: number;
  random: number;
  heldOut: number;
  stat: number;
  ofOwn: number;
};
const rows: Row[] = [];
for (let w = 0; w <= last; w++) {
  const thetaHash = modelHash({ parameters: theta });
  const assignments = Array.from({ length: miners }, (_, uid) =>
    assignWork({
      runSeed: hyperparameters.runSeed as `0x${string}`,
      window: w,
      uid,
      blockHash: blockHashOf(w),
      trainPageCount: corpus.trainPageCount,
      pagesPerWindow: hyperparameters.pagesPerWindow,
      shards: hyperparameters.shards,
    }),
  );
  const updates: Uint8Array[] = [];
  const previous: Float32Array[] = [];
  for (let uid = 0; uid < miners; uid++) {
    const a = assignments[uid]!;
    const range = shardRange({
      parameterCount: model.parameterCount,
      shards: hyperparameters.shards,
      shard: a.shard,
    });
    // One buffer per miner; with several shards a real miner keeps one per shard.
    if (buffers[uid]?.length !== range.length) buffers[uid] = new Float32Array(range.length);
    previous[uid] = Float32Array.from(buffers[uid]!);
    updates.push(
      await trainUpdate({
        model,
        theta,
        corpus,
        hyperparameters,
        pages: a.pages,
        window: w,
        shard: a.shard,
        errorFeedback: buffers[uid]!,
      }),
    );
  }
  if (report.has(w)) {
    const lossCache = new Map<string, number>();
    let heldOutBefore = 0;
    const evaluate = async (uid: number, bytes: Uint8Array) =>
      evaluateUpdate({
        model,
        theta,
        thetaHash,
        corpus,
        hyperparameters: evaluationHyperparameters,
        commitment: { uid, window: w, digest: digestUpdate(bytes), modelHash: thetaHash },
        bytes,
        assignment: assignments[uid]!,
        evalSeed: blockHashOf(1_000_000 + w),
        lossCache,
      });
    for (let uid = 0; uid < miners; uid++) {
      const other = assignments[(uid + 1) % miners]!;
      // A foreign update: trained on another miner's pages, committed under this uid's shard.
      const foreign = await trainUpdate({
        model,
        theta,
        corpus,
        hyperparameters,
        pages: other.pages,
        window: w,
        shard: assignments[uid]!.shard,
        errorFeedback: previous[uid]!,
      });
      for (const [kind, bytes] of [
        ['honest', updates[uid]!],
        ['foreign', foreign],
      ] as const) {
        const result = await evaluate(uid, bytes);
        const l = result.losses!;
        heldOutBefore = l.heldOut.before;
        const own = l.own.before - l.own.after;
        const random = l.random.before - l.random.after;
        const heldOut = l.heldOut.before - l.heldOut.after;
        rows.push({
          window: w,
          kind,
          own,
          random,
          heldOut,
          stat: (own - random) / Math.max(Math.abs(random), Math.abs(heldOut), proofEpsilon),
          ofOwn: (own - random) / Math.max(Math.abs(own), proofEpsilon),
        });
      }
    }
    console.log(`window ${w}: held-out loss of θ_w ${f(heldOutBefore)}`);
  }
  theta = aggregateUpdates({
    base: theta,
    updates: updates.map((bytes, uid) => ({ uid, ...decodeUpdate({ bytes }) })),
    learningRate: hyperparameters.outerLearningRate,
  });
}

console.log('window kind    own     random  heldOut (own−random)/max(|random|,|heldOut|) (own−random)/|own|');
for (const r of rows) {
  console.log(
    `${String(r.window).padStart(6)} ${r.kind.padEnd(7)} ${f(r.own)} ${f(r.random)} ${f(r.heldOut)} ${f(r.stat)} ${f(r.ofOwn)}`,
  );
}
for (const key of ['stat', 'ofOwn'] as const) {
  for (const kind of ['honest', 'foreign'] as const) {
    const stats = rows
      .filter((r) => r.kind === kind)
      .map((r) => r[key])
      .sort((a, b) => a - b);
    const at = (q: number) => f(stats[Math.min(stats.length - 1, Math.floor(q * stats.length))]!);
    console.log(
      `${key} ${kind}: n=${stats.length} min=${at(0)} p10=${at(0.1)} median=${at(0.5)} p90=${at(0.9)} max=${at(1)}`,
    );
  }
}
model.dispose();
