import { UpdateDecodeError, createRandom, decodeWindowUpdate, digestUpdate, modelHash } from '@tessera/core';
import type { Commitment, Hex32 } from '@tessera/core';
import { fakeStrategyContext } from '../_test/fakeStrategyContext.js';
import type { FakeStrategyContext } from '../_test/fakeStrategyContext.js';
import { copycat } from './copycat.js';
import { digestMismatch } from './digestMismatch.js';
import { MinerError, honest } from '@tessera/miner';
import { late } from './late.js';
import { lazy } from './lazy.js';
import { lazyPages } from './lazyPages.js';
import { malformed } from './malformed.js';
import { blendUnder, blendWith, partialCopy } from './blend.js';
import { fewerPages, fewerSteps } from './effort.js';
import { heldOutMix } from './heldOut.js';
import { getStrategy, minerStrategies, strategyNames, strategyWork } from './minerStrategies.js';
import { noise } from './noise.js';
import { noiseDelta } from './noiseDelta.js';
import { outOfSync } from './outOfSync.js';
import { perturbCopy } from './perturbCopy.js';
import { replay } from './replay.js';
import { scaled, scaledBy } from './scaled.js';
import { staleBase } from './staleBase.js';
import { sybil } from './sybil.js';
import { tamperBytes } from './tamperBytes.js';
import { copyMarginBlocks } from './waitForOtherCommitment.js';

/** Decodes bytes as a validator would for the context's window and shard. */
function decodeFor(context: FakeStrategyContext, bytes: Uint8Array) {
  return decodeWindowUpdate({
    bytes,
    window: context.window,
    shard: context.assignment.shard,
    parameterCount: context.parameterCount,
    hyperparameters: context.hyperparameters,
  });
}

const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as Hex32;
const commitment = (fields: Partial<Commitment> & Pick<Commitment, 'uid' | 'block'>): Commitment => ({
  hotkey: '0x0000000000000000000000000000000000000001',
  window: 5,
  digest: hash(fields.uid + 1000),
  uri: `file:///updates/uid-${fields.uid}`,
  modelHash: hash(1),
  ...fields,
});

describe('honest', () => {
  it('sends the trained update with its error feedback, decodable for its window and shard', async () => {
    const context = fakeStrategyContext({ shards: 3, shard: 1, window: 9 });
    const submission = await honest(context);
    expect(context.trainCalls).toEqual([{ pages: undefined, base: undefined }]);
    expect(submission?.bytes).toEqual(context.honestUpdate().bytes);
    expect(submission?.digest).toBe(digestUpdate(submission!.bytes!));
    expect(submission?.errorFeedback).toHaveLength(context.shardRange.length);
    expect(submission?.modelHash).toBeUndefined(); // the miner commits modelHash(θ_w)
    expect(decodeFor(context, submission!.bytes!).header).toMatchObject({ window: 9, shard: 1 });
  });
});

describe('copycat', () => {
  it('waits for another miner and commits its digest and URI without uploading', async () => {
    const context = fakeStrategyContext({
      uid: 2,
      head: 100,
      commitments: [
        commitment({ uid: 2, block: 101 }),
        commitment({ uid: 7, block: 104 }),
        commitment({ uid: 4, block: 104 }),
      ],
    });
    const submission = await copycat(context);
    expect(submission).toMatchObject({ digest: hash(1004), uri: 'file:///updates/uid-4' });
    expect(submission?.bytes).toBeUndefined();
    expect(context.head()).toBe(104);
    expect(context.trainCalls).toEqual([]);
  });

  it('gives up before the deadline when no one else commits', async () => {
    const context = fakeStrategyContext({
      uid: 2,
      head: 100,
      deadline: 112,
      commitments: [commitment({ uid: 2, block: 100 })],
    });
    expect(await copycat(context)).toBeUndefined();
    expect(context.head()).toBe(112 - copyMarginBlocks);
  });
});

describe('noise', () => {
  it('sends a well-formed update of the honest size without training', async () => {
    const context = fakeStrategyContext({ shards: 2, shard: 1 });
    const first = await noise(context);
    const second = await noise(context);
    expect(context.trainCalls).toEqual([]);
    expect(first?.bytes).toHaveLength(context.honestUpdate().bytes.length);
    const decoded = decodeFor(context, first!.bytes!);
    expect(decoded.values.every(Number.isFinite)).toBe(true);
    expect(first?.bytes).not.toEqual(second?.bytes);
    expect(first?.errorFeedback).toBeUndefined();
  });
});

describe('replay', () => {
  it('trains honestly the first time, then re-sends that update re-encoded for the new window', async () => {
    const first = fakeStrategyContext({ window: 4 });
    const original = await replay(first);
    expect(first.trainCalls).toHaveLength(1);
    expect(original?.compressed).toBeDefined();

    const later = fakeStrategyContext({
      window: 5,
      previous: { window: 4, shard: 0, compressed: original!.compressed! },
    });
    const submission = await replay(later);
    expect(later.trainCalls).toEqual([]);
    const decoded = decodeFor(later, submission!.bytes!);
    const before = decodeFor(first, original!.bytes!);
    expect(decoded.header.window).toBe(5);
    expect(decoded.indices).toEqual(before.indices);
    expect(decoded.values).toEqual(before.values);
  });
});

describe('scaled', () => {
  it('sends the honest pseudo-gradient times the factor', async () => {
    const context = fakeStrategyContext();
    const submission = await scaled(context);
    const honestDecoded = decodeFor(context, context.honestUpdate().bytes);
    const decoded = decodeFor(context, submission!.bytes!);
    expect(decoded.indices).toEqual(honestDecoded.indices);
    decoded.values.forEach((value, t) => {
      expect(value).toBeCloseTo(honestDecoded.values[t]! * 8, 6);
    });
  });
});

describe('lazy', () => {
  it('trains on pages it was not assigned', async () => {
    const context = fakeStrategyContext();
    const submission = await lazy(context);
    const pages = context.trainCalls[0]?.pages ?? [];
    expect(pages).toHaveLength(context.assignment.pages.length);
    expect(pages.some((page) => context.assignment.pages.includes(page))).toBe(false);
    expect(decodeFor(context, submission!.bytes!).header.window).toBe(context.window);
  });

  it('picks the lowest unassigned pages', () => {
    expect(lazyPages({ assigned: [0, 2], count: 3, trainPageCount: 100 })).toEqual([1, 3, 4]);
    expect(lazyPages({ assigned: [0, 1], count: 5, trainPageCount: 4 })).toEqual([2, 3]);
  });
});

describe('late', () => {
  it('sends the honest update but commits at the deadline', async () => {
    const context = fakeStrategyContext({ deadline: 130 });
    const submission = await late(context);
    expect(submission).toMatchObject({ commitAtBlock: 130, bytes: context.honestUpdate().bytes });
  });
});

describe('digest-mismatch', () => {
  it('commits the honest digest but uploads other bytes of the same length', async () => {
    const context = fakeStrategyContext();
    const submission = await digestMismatch(context);
    const update = context.honestUpdate();
    expect(submission?.digest).toBe(update.digest);
    expect(digestUpdate(submission!.bytes!)).not.toBe(update.digest);
    expect(submission?.bytes).toHaveLength(update.bytes.length);
  });

  it('flips one bit of the last byte', () => {
    const bytes = Uint8Array.of(1, 2, 3);
    expect(tamperBytes(bytes)).toEqual(Uint8Array.of(1, 2, 2));
    expect(bytes).toEqual(Uint8Array.of(1, 2, 3));
  });
});

describe('malformed', () => {
  it('uploads random bytes of the honest length, which the decoder rejects', async () => {
    const context = fakeStrategyContext();
    const submission = await malformed(context);
    expect(context.trainCalls).toEqual([]);
    expect(submission?.bytes).toHaveLength(context.honestUpdate().bytes.length);
    expect(submission?.digest).toBeUndefined(); // the miner commits the digest of what it uploads
    expect(() => decodeFor(context, submission!.bytes!)).toThrow(UpdateDecodeError);
  });
});

describe('out-of-sync', () => {
  it('trains from the previous model and commits its hash', async () => {
    const old = Float32Array.from({ length: 2000 }, () => 0.5);
    const staleModel = { window: 4, parameters: old, hash: modelHash({ parameters: old }) };
    const context = fakeStrategyContext({ staleModel });
    const submission = await outOfSync(context);
    expect(context.trainCalls[0]?.base).toBe(old);
    expect(submission?.modelHash).toBe(staleModel.hash);
    expect(submission?.modelHash).not.toBe(context.modelHash);
  });

  it('forks θ_w when there is no older model', () => {
    const theta = Float32Array.of(1, 2, 3);
    const hashOf = modelHash({ parameters: theta });
    const base = staleBase({ parameters: theta, stale: undefined, hash: hashOf });
    expect(base.hash).not.toBe(hashOf);
    expect(base.hash).toBe(modelHash({ parameters: base.parameters }));
    expect(theta).toEqual(Float32Array.of(1, 2, 3));
    expect(
      staleBase({ parameters: theta, stale: { parameters: theta, hash: hashOf }, hash: hashOf }).hash,
    ).not.toBe(hashOf);
  });
});

describe('sybil', () => {
  it('sends a near copy of another miner’s update under a new digest, for its own window and shard', async () => {
    const victim = fakeStrategyContext({ uid: 7, window: 5, shards: 2, shard: 0 });
    const bytes = victim.honestUpdate().bytes;
    const context = fakeStrategyContext({
      uid: 2,
      window: 5,
      shards: 2,
      shard: 1,
      commitments: [commitment({ uid: 7, block: 100, digest: digestUpdate(bytes), uri: 'file:///v' })],
      files: new Map([['file:///v', bytes]]),
    });
    const submission = await sybil(context);
    expect(context.trainCalls).toEqual([]);
    expect(digestUpdate(submission!.bytes!)).not.toBe(digestUpdate(bytes));
    const copy = decodeFor(context, submission!.bytes!);
    const original = decodeFor(victim, bytes);
    const offset = context.shardRange.offset;
    const originalAt = new Map(Array.from(original.indices, (index, t) => [index, original.values[t]!]));
    let matched = 0;
    copy.indices.forEach((index, t) => {
      const source = originalAt.get(index - offset);
      if (source === undefined || source === 0) return;
      matched++;
      expect(Math.abs(copy.values[t]! - source)).toBeLessThanOrEqual(Math.abs(source) * 0.02);
    });
    expect(matched).toBeGreaterThan(copy.indices.length / 2);
  });

  it('sends nothing when the copied bytes do not match their digest', async () => {
    const context = fakeStrategyContext({
      commitments: [commitment({ uid: 7, block: 100, uri: 'file:///v' })],
      files: new Map([['file:///v', Uint8Array.of(1, 2, 3)]]),
    });
    expect(await sybil(context)).toBeUndefined();
  });

  it('lays values at the same positions within the target shard', () => {
    const delta = perturbCopy({
      update: { indices: Uint32Array.of(10, 12, 19), values: Float32Array.of(1, -2, 3) },
      sourceOffset: 10,
      length: 5,
      jitter: 0,
      random: () => 0.5,
    });
    expect(delta).toEqual(Float32Array.of(1, 0, -2, 0, 0));
  });
});

describe('noiseDelta', () => {
  it('draws finite normal values of the requested spread', () => {
    const random = createRandom({ seed: Uint8Array.of(1, 2, 3, 4) });
    const delta = noiseDelta({ length: 20_001, std: 0.01, random: () => random.next() });
    expect(delta).toHaveLength(20_001);
    expect(delta.every(Number.isFinite)).toBe(true);
    const mean = delta.reduce((a, b) => a + b, 0) / delta.length;
    const std = Math.sqrt(delta.reduce((a, b) => a + (b - mean) ** 2, 0) / delta.length);
    expect(Math.abs(mean)).toBeLessThan(0.001);
    expect(std).toBeGreaterThan(0.0095);
    expect(std).toBeLessThan(0.0105);
  });
});

describe('getStrategy', () => {
  it('finds every strategy by name and rejects unknown ones', () => {
    for (const name of strategyNames) expect(getStrategy({ name })).toBe(minerStrategies[name]);
    expect(strategyNames[0]).toBe('honest');
    expect(() => getStrategy({ name: 'greedy' })).toThrow(MinerError);
    expect(() => getStrategy({ name: 'toString' })).toThrow(MinerError);
  });
});

describe('low-effort strategies', () => {
  it('fewerSteps trains its assigned pages for a fraction of the inner steps, at least one', async () => {
    const context = fakeStrategyContext({ hyperparameters: { innerSteps: 12 } });
    const submission = await fewerSteps(1 / 4)(context);
    expect(context.trainCalls).toEqual([{ steps: 3 }]);
    expect(submission?.errorFeedback).toHaveLength(context.shardRange.length);
    const tiny = fakeStrategyContext({ hyperparameters: { innerSteps: 4 } });
    await fewerSteps(1 / 8)(tiny);
    expect(tiny.trainCalls).toEqual([{ steps: 1 }]);
  });

  it('fewerPages trains only the first fraction of its assigned pages', async () => {
    const context = fakeStrategyContext();
    await fewerPages(1 / 4)(context);
    expect(context.trainCalls).toEqual([{ pages: [3] }]);
    await fewerPages(1 / 2)(context);
    expect(context.trainCalls[1]).toEqual({ pages: [3, 0] });
  });

  it('scaledBy below 1 sends the honest update scaled down (tiny-norm)', async () => {
    const context = fakeStrategyContext();
    const submission = await scaledBy(1e-3)(context);
    const sent = decodeFor(context, submission!.bytes!);
    const honestly = decodeFor(context, context.honestUpdate().bytes);
    const norm = (v: Float32Array) => Math.hypot(...v);
    expect(norm(sent.values) / norm(honestly.values)).toBeCloseTo(1e-3, 4);
  });
});

describe('heldOutMix', () => {
  it('trains the public held-out pages along with its assigned ones, then scales', async () => {
    const context = fakeStrategyContext();
    const submission = await heldOutMix(2.9)(context);
    expect(context.trainCalls).toEqual([{ heldOutPages: [0, 1, 2, 3] }]);
    const sent = decodeFor(context, submission!.bytes!);
    const honestly = decodeFor(context, context.honestUpdate().bytes);
    const norm = (v: Float32Array) => Math.hypot(...v);
    expect(norm(sent.values) / norm(honestly.values)).toBeCloseTo(2.9, 1);
  });
});

describe('blend and partial copy', () => {
  const cosine = (a: Float32Array, b: Float32Array) => {
    let dot = 0;
    for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
    return dot / (Math.hypot(...a) * Math.hypot(...b));
  };

  it('blendUnder adds the largest share of the victim that keeps the cosine at the target', () => {
    const own = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i * 1.7));
    const victim = Float32Array.from({ length: 64 }, (_, i) => Math.cos(i * 0.9));
    const { delta, share } = blendUnder({ own, victim, targetCosine: 0.27 });
    expect(share).toBeGreaterThan(0);
    expect(cosine(delta, victim)).toBeCloseTo(0.27, 3);
    expect(blendUnder({ own: victim, victim, targetCosine: 0.27 })).toEqual({ delta: victim, share: 0 });
  });

  const victimContext = () => {
    const victim = fakeStrategyContext({ uid: 7, shards: 2, shard: 1 });
    const bytes = victim.honestUpdate().bytes;
    return { victim, bytes };
  };
  /** Uid 2 on `shard` of 2, 8 inner steps, seeing uid 7's update (shard 1) committed at block 100. */
  const copierContext = (bytes: Uint8Array, options: { shard: number; deadline?: number }) =>
    fakeStrategyContext({
      uid: 2,
      shards: 2,
      shard: options.shard,
      hyperparameters: { innerSteps: 8 },
      ...(options.deadline === undefined ? {} : { deadline: options.deadline }),
      commitments: [commitment({ uid: 7, block: 100, digest: digestUpdate(bytes), uri: 'file:///v' })],
      files: new Map([['file:///v', bytes]]),
    });

  it('blendWith mixes a same-shard victim into its light training, under the copy rule', async () => {
    const { bytes } = victimContext();
    const context = copierContext(bytes, { shard: 1 });
    const submission = await blendWith({ ownFraction: 1 / 4, coverFraction: 0.9 })(context);
    expect(context.trainCalls).toEqual([{ steps: 2 }]);
    expect(submission?.note).toMatch(/uid 7/);
    expect(decodeFor(context, submission!.bytes!).header.shard).toBe(1);
  });

  it('blendWith trains alone when the only other update is on another shard', async () => {
    const { bytes } = victimContext();
    const context = copierContext(bytes, { shard: 0, deadline: 106 });
    const submission = await blendWith({ ownFraction: 1 / 4, coverFraction: 0.9 })(context);
    expect(context.trainCalls).toEqual([{ steps: 2 }]);
    expect(submission?.note).not.toMatch(/uid 7/);
  });

  it('partialCopy lays the victim’s largest entries over its own light training', async () => {
    const { victim, bytes } = victimContext();
    const context = copierContext(bytes, { shard: 1 });
    const submission = await partialCopy({ ownFraction: 1 / 4, copyFraction: 1 / 2 })(context);
    const original = decodeFor(victim, bytes);
    const sent = decodeFor(context, submission!.bytes!);
    const sentAt = new Map(Array.from(sent.indices, (index, t) => [index, sent.values[t]!]));
    const largest = Array.from(original.indices.keys())
      .sort((a, b) => Math.abs(original.values[b]!) - Math.abs(original.values[a]!))
      .slice(0, Math.round(original.indices.length / 4));
    for (const t of largest) expect(sentAt.get(original.indices[t]!)).toBeCloseTo(original.values[t]!, 3);
  });
});

describe('strategyWork', () => {
  it('gives every strategy a share of the honest work in [0, 1], honest 1', () => {
    expect(Object.keys(strategyWork).sort()).toEqual([...strategyNames].sort());
    for (const name of strategyNames) {
      expect(strategyWork[name]).toBeGreaterThanOrEqual(0);
      expect(strategyWork[name]).toBeLessThanOrEqual(1);
    }
    expect(strategyWork.honest).toBe(1);
  });
});
