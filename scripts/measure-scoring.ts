/**
 * Measures what the scoring rules rest on, on a simulated run of honest miners, so the
 * protocol's constants can sit between honest work and cheating:
 *
 * - proof of assignment, `(own − unseen) / max(|unseen|, ε)`, for honest updates and for
 *   updates trained on another miner's pages (`proofMargin`); with `--per-page`, also Welch's
 *   t over the pages' single gains, raw and with the reference update's gains taken out;
 * - the cosine between two honest updates of one window (`copyCosine`);
 * - each honest update's norm over the window's norm bound ρ (the reference update's norm);
 * - scores in units of the reference update, for honest work and for low-effort work (a
 *   fraction of the inner steps, or of the pages).
 *
 *   npx tsx --conditions=source scripts/measure-scoring.ts [--windows 0,5,20] [--miners 6] [--seed 1] [--json]
 *     [--hyperparameters '{"pagesPerWindow":32}'] [--per-page]
 *
 * Every window each miner trains honestly on its assignment with its own error-feedback
 * buffer, the validator's reference update gives ρ and the score unit, and the aggregate of
 * all honest updates at ρ gives the next θ, as the validator computes it. Evaluations use
 * the validator's own functions (`evaluateUpdate`, `trainReferenceUpdate`,
 * `measureImprovements`, `drawEvaluationPages`).
 */
import { parseArgs } from 'node:util';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import {
  aggregateUpdates,
  createCorpus,
  createModel,
  decodeUpdate,
  digestUpdate,
  getModelPreset,
  heldOutBatches,
  hyperparameterPresets,
  initParameters,
  l2Norm,
  meanLoss,
  modelHash,
  parseHyperparameters,
  selectBackend,
  setParameters,
  shardRange,
  silentLogger,
} from '@tessera/core';
import {
  drawEvaluationPages,
  evaluateUpdate,
  measureImprovements,
  proofEpsilon,
  relativeScore,
  windowScore,
  sparseDot,
  trainReferenceUpdate,
  windowAssignments,
} from '@tessera/validator';
import { trainUpdate } from '../packages/validator/src/_test/trainUpdate.js';

const { values } = parseArgs({
  options: {
    windows: { type: 'string', default: '0,2,5,10,20' },
    miners: { type: 'string', default: '6' },
    preset: { type: 'string', default: 'tiny' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    // Overrides of the preset, as run.json spells them, e.g. '{"pagesPerWindow":32}'.
    hyperparameters: { type: 'string', default: '{}' },
    // Also the per-page statistics of proof of assignment (slower: one evaluation per page).
    'per-page': { type: 'boolean', default: false },
  },
});
const report = new Set(values.windows.split(',').map(Number));
const miners = Number(values.miners);
const last = Math.max(...report);
const seedTag =
  `0x${bytesToHex(keccak_256(new TextEncoder().encode(`measure-scoring ${values.seed}`)))}` as const;

await selectBackend({ logger: silentLogger });
const hyperparameters = parseHyperparameters({
  ...hyperparameterPresets[values.preset as 'tiny' | 'gpu'],
  runSeed: seedTag,
  proofMargin: 0,
  ...(JSON.parse(values.hyperparameters) as Record<string, unknown>),
});
const h = hyperparameters;
const config = getModelPreset({ name: h.modelPreset });
const corpus = await createCorpus({ vocabSize: config.vocabSize, pageTokens: h.pageTokens });
const model = createModel({ config, seed: 1n });
const heldOut = heldOutBatches({ corpus, pages: h.heldOutPages, batchSize: h.batchSize });
let theta = initParameters({ config, seed: BigInt(h.runSeed) });
const buffers: Float32Array[] = [];
const lowBuffers = new Map<string, Float32Array>();
const referenceFeedback = [
  new Float32Array(shardRange({ parameterCount: model.parameterCount, shards: h.shards, shard: 0 }).length),
];
const hashOf = (label: string) =>
  `0x${bytesToHex(keccak_256(new TextEncoder().encode(`${seedTag} ${label}`)))}` as const;

type Sample = { window: number; kind: string; value: number };
const samples: Sample[] = [];
const add = (window: number, kind: string, value: number) => samples.push({ window, kind, value });
const decode = (bytes: Uint8Array) => decodeUpdate({ bytes });

for (let w = 0; w <= last; w++) {
  const thetaHash = modelHash({ parameters: theta });
  const assignments = windowAssignments({
    window: w,
    uids: Array.from({ length: miners }, (_, uid) => uid),
    hyperparameters: h,
    trainPageCount: corpus.trainPageCount,
    startBlockHash: hashOf(`block ${w}`),
  });
  const pages = drawEvaluationPages({
    evalSeed: hashOf(`eval ${w}`),
    trainPageCount: corpus.trainPageCount,
    unseenCount: h.evalPages,
    referenceCount: h.pagesPerWindow,
    assignedPages: [...assignments.values()].flatMap((a) => a.pages),
  });
  const reference = await trainReferenceUpdate({
    model,
    theta,
    corpus,
    hyperparameters: h,
    pages: pages.reference,
    errorFeedback: referenceFeedback,
  });
  const rho = Math.fround(reference.shards[0]!.norm);
  const previous: Float32Array[] = [];
  const updates: Uint8Array[] = [];
  for (let uid = 0; uid < miners; uid++) {
    const a = assignments.get(uid)!;
    const range = shardRange({ parameterCount: model.parameterCount, shards: h.shards, shard: a.shard });
    if (buffers[uid]?.length !== range.length) buffers[uid] = new Float32Array(range.length);
    previous[uid] = Float32Array.from(buffers[uid]!);
    updates.push(
      await trainUpdate({
        model,
        theta,
        corpus,
        hyperparameters: h,
        pages: a.pages,
        window: w,
        shard: a.shard,
        errorFeedback: buffers[uid]!,
      }),
    );
  }
  // Low-effort miners run all along with buffers of their own, so their error feedback holds
  // only their own (smaller) work, as it would in a real run.
  const lowEffort = new Map<string, Uint8Array>();
  for (const d of [8, 4, 2]) {
    for (let uid = 0; uid < miners; uid++) {
      const a = assignments.get(uid)!;
      const key = `${d}:${uid}`;
      const range = shardRange({ parameterCount: model.parameterCount, shards: h.shards, shard: a.shard });
      if (lowBuffers.get(key)?.length !== range.length) lowBuffers.set(key, new Float32Array(range.length));
      lowEffort.set(
        key,
        await trainUpdate({
          model,
          theta,
          corpus,
          hyperparameters: parseHyperparameters({
            ...h,
            innerSteps: Math.max(1, Math.round(h.innerSteps / d)),
          }),
          pages: a.pages,
          window: w,
          shard: a.shard,
          errorFeedback: lowBuffers.get(key)!,
        }),
      );
    }
  }
  if (report.has(w)) {
    const lossCache = new Map<string, number>();
    /** Each named page list's loss before and after `update`, against θ_w of this window. */
    const improvements = (
      update: Parameters<typeof measureImprovements>[0]['update'],
      named: Record<string, readonly number[]>,
    ) =>
      measureImprovements({
        model,
        theta,
        thetaHash,
        corpus,
        hyperparameters: h,
        update,
        normBound: rho,
        pages: named,
        lossCache,
      });
    const referenceGains = await (async () => {
      const measured = await improvements(reference.shards[0]!, {
        unseen: pages.unseen,
        own: pages.reference,
      });
      const gain = (p: { before: number; after: number }) => p.before - p.after;
      return measured
        ? { own: gain(measured.losses.own!), unseen: gain(measured.losses.unseen!) }
        : { own: 0, unseen: 0 };
    })();
    const referenceGain = referenceGains.unseen;
    const evaluate = async (uid: number, bytes: Uint8Array) => {
      const result = await evaluateUpdate({
        model,
        theta,
        thetaHash,
        corpus,
        hyperparameters: h,
        commitment: { uid, window: w, digest: digestUpdate(bytes), modelHash: thetaHash },
        bytes,
        assignment: assignments.get(uid)!,
        unseenPages: pages.unseen,
        normBound: rho,
        lossCache,
      });
      const l = result.losses!;
      const own = l.own.before - l.own.after;
      const unseen = l.unseen.before - l.unseen.after;
      return {
        proof: (own - unseen) / Math.max(Math.abs(unseen), proofEpsilon),
        score: relativeScore({ improvement: unseen, reference: referenceGain, maxRelativeScore: Infinity }),
        ownScore: relativeScore({
          improvement: own,
          reference: referenceGains.own,
          maxRelativeScore: Infinity,
        }),
        windowScore: windowScore({
          gains: { own, unseen },
          reference: referenceGains,
          maxRelativeScore: h.maxRelativeScore,
        }),
        norm: result.norm!,
      };
    };
    /** `uid`'s update trained on `pages` instead of its own, with its own shard and error feedback. */
    const trainedOn = (uid: number, pages: number[]) =>
      trainUpdate({
        model,
        theta,
        corpus,
        hyperparameters: h,
        pages,
        window: w,
        shard: assignments.get(uid)!.shard,
        errorFeedback: Float32Array.from(previous[uid]!),
      });
    const variants: [string, (uid: number) => Promise<Uint8Array>][] = [
      ['honest', async (uid) => updates[uid]!],
      ['foreign', (uid) => trainedOn(uid, assignments.get((uid + 1) % miners)!.pages)],
      ...[8, 4, 2].map((d): [string, (uid: number) => Promise<Uint8Array>] => [
        `steps-1/${d}`,
        async (uid) => lowEffort.get(`${d}:${uid}`)!,
      ]),
      [
        'pages-1/4',
        (uid) =>
          trainedOn(uid, assignments.get(uid)!.pages.slice(0, Math.max(1, Math.floor(h.pagesPerWindow / 4)))),
      ],
    ];
    /** Each page's loss gain under `update`: the samples a per-page test of assignment reads. */
    const pageGains = async (
      update: Parameters<typeof measureImprovements>[0]['update'],
      list: readonly number[],
    ) => {
      const named = Object.fromEntries(list.map((page, i) => [`p${i}`, [page]]));
      const m = await improvements(update, named);
      return list.map((_, i) => (m ? m.losses[`p${i}`]!.before - m.losses[`p${i}`]!.after : 0));
    };
    const mean = (x: readonly number[]) => x.reduce((a, b) => a + b, 0) / x.length;
    const variance = (x: readonly number[]) => {
      const m = mean(x);
      return x.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, x.length - 1);
    };
    const welch = (a: readonly number[], b: readonly number[]) =>
      (mean(a) - mean(b)) / Math.sqrt(variance(a) / a.length + variance(b) / b.length || 1e-18);
    /**
     * Welch's t of own-page gains over unseen-page gains, raw and with the reference update's
     * per-page gains (scaled to the update's unseen gain) taken out of both, which removes
     * how much each page would have gained from any good update.
     */
    const perPage = async (uid: number, bytes: Uint8Array) => {
      const own = assignments.get(uid)!.pages;
      const update = decode(bytes);
      // One after another: the measurements share the model and its loss cache.
      const g = await pageGains(update, own);
      const u = await pageGains(update, pages.unseen);
      const rg = await pageGains(reference.shards[0]!, own);
      const ru = await pageGains(reference.shards[0]!, pages.unseen);
      const k = mean(u) / Math.max(mean(ru), 1e-9);
      return {
        welch: welch(g, u),
        referenceWelch: welch(
          g.map((x, i) => x - k * rg[i]!),
          u.map((x, i) => x - k * ru[i]!),
        ),
      };
    };
    for (let uid = 0; uid < miners; uid++) {
      for (const [kind, make] of variants) {
        const bytes = await make(uid);
        const r = await evaluate(uid, bytes);
        if (values['per-page']) {
          const t = await perPage(uid, bytes);
          add(w, `per-page welch t ${kind}`, t.welch);
          add(w, `reference-corrected t ${kind}`, t.referenceWelch);
        }
        add(w, `proof ${kind}`, r.proof);
        add(w, `unseen score ${kind}`, r.score);
        add(w, `own score ${kind}`, r.ownScore);
        add(w, `window score ${kind}`, r.windowScore);
        add(w, `norm/rho ${kind}`, r.norm / rho);
      }
    }
    const decoded = updates.map(decode);
    for (let i = 0; i < miners; i++)
      for (let j = i + 1; j < miners; j++) {
        const a = decoded[i]!;
        const b = decoded[j]!;
        add(w, 'cosine honest pair', sparseDot(a, b) / (l2Norm(a.values) * l2Norm(b.values)));
        const set = new Set(a.indices);
        add(w, 'index overlap honest pair', b.indices.filter((x) => set.has(x)).length / b.indices.length);
      }
    add(w, 'reference gain (nats)', referenceGain);
  }
  theta = aggregateUpdates({
    base: theta,
    updates: updates.map((bytes, uid) => ({ uid, ...decode(bytes) })),
    learningRate: h.outerLearningRate,
    normBound: rho,
  });
  if (report.has(w)) {
    setParameters({ model, parameters: theta });
    add(w, 'held-out loss after', await meanLoss({ model, batches: heldOut }));
  }
}

const kinds = [...new Set(samples.map((s) => s.kind))];
const f = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(3));
const rows = kinds.map((kind) => {
  const xs = samples
    .filter((s) => s.kind === kind)
    .map((s) => s.value)
    .sort((a, b) => a - b);
  const at = (q: number) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
  return { kind, n: xs.length, min: at(0), p10: at(0.1), median: at(0.5), p90: at(0.9), max: at(1) };
});
if (values.json) {
  for (const row of rows)
    process.stdout.write(`${JSON.stringify({ measure: 'scoring', seed: values.seed, ...row })}\n`);
} else {
  process.stdout.write(
    `| quantity | n | min | p10 | median | p90 | max |\n| --- | --- | --- | --- | --- | --- | --- |\n`,
  );
  for (const r of rows)
    process.stdout.write(
      `| ${r.kind} | ${r.n} | ${f(r.min)} | ${f(r.p10)} | ${f(r.median)} | ${f(r.p90)} | ${f(r.max)} |\n`,
    );
}
model.dispose();
