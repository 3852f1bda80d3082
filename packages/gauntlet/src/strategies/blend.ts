import { fewerSteps } from './effort.js';
import { waitForSameShardUpdate } from './sameShardUpdate.js';
import { submitDelta } from './submitDelta.js';
import type { Strategy } from '@tessera/miner';

/** The cosine of two equal-length vectors (0 when either is zero). */
function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return aa > 0 && bb > 0 ? dot / Math.sqrt(aa * bb) : 0;
}

/**
 * `own + share · victim`, with the largest share (found by bisection) whose cosine with the
 * victim stays at `targetCosine`: a copier that has read the copy rule and stays under it.
 * Returns `own` when even a zero share is at or above the target.
 *
 * @example
 * const delta = blendUnder({ own, victim, targetCosine: 0.27 });
 */
export function blendUnder(parameters: { own: Float32Array; victim: Float32Array; targetCosine: number }): {
  delta: Float32Array;
  share: number;
} {
  const { own, victim, targetCosine } = parameters;
  const mix = (share: number) => Float32Array.from(own, (value, i) => value + share * victim[i]!);
  if (!(cosine(own, victim) < targetCosine)) return { delta: own, share: 0 };
  let low = 0;
  let high = 64;
  for (let step = 0; step < 40; step++) {
    const middle = (low + high) / 2;
    if (cosine(mix(middle), victim) < targetCosine) low = middle;
    else high = middle;
  }
  return { delta: mix(low), share: low };
}

/**
 * The part the blending strategies share: waits for a same-shard victim, trains
 * `ownFraction` of the inner steps, and sends `mix(own, victim)`; without a victim it sends
 * its own light training alone.
 */
function copyOver(
  ownFraction: number,
  mix: (
    own: Float32Array,
    victim: Float32Array,
    context: Parameters<Strategy>[0],
  ) => { delta: Float32Array; copied: string },
): Strategy {
  const own = fewerSteps(ownFraction);
  return async (context) => {
    const victim = await waitForSameShardUpdate(context);
    if (victim === undefined) return own(context);
    const steps = Math.max(1, Math.round(context.hyperparameters.innerSteps * ownFraction));
    const trained = await context.train({ steps });
    const { delta, copied } = mix(trained.delta, victim.delta, context);
    return submitDelta({
      context,
      delta,
      trained,
      note: `${steps} steps + ${copied} of uid ${victim.commitment.uid}`,
    });
  };
}

/**
 * Trains `ownFraction` of the inner steps on its own pages, then adds as much of another
 * miner's same-window, same-shard update as keeps the cosine with it at
 * `coverFraction · copyCosine`, just under the copy rule. What it copies must earn it
 * nothing beyond its own light work.
 *
 * @example
 * const miner = createMiner({ ...parameters, strategy: blendWith({ ownFraction: 1 / 4, coverFraction: 0.9 }) });
 */
export function blendWith(parameters: { ownFraction: number; coverFraction: number }): Strategy {
  return copyOver(parameters.ownFraction, (own, victim, context) => {
    const targetCosine = parameters.coverFraction * context.hyperparameters.copyCosine;
    const { delta, share } = blendUnder({ own, victim, targetCosine });
    return { delta, copied: `${share.toFixed(3)} ×` };
  });
}

/**
 * Trains `ownFraction` of the inner steps, then lays over it the largest `copyFraction` of
 * another miner's same-shard entries (by magnitude): a partial copy. The copied part must
 * earn nothing.
 *
 * @example
 * const miner = createMiner({ ...parameters, strategy: partialCopy({ ownFraction: 1 / 4, copyFraction: 1 / 2 }) });
 */
export function partialCopy(parameters: { ownFraction: number; copyFraction: number }): Strategy {
  return copyOver(parameters.ownFraction, (own, victim) => {
    const positions = [...victim.keys()]
      .filter((i) => victim[i] !== 0)
      .sort((a, b) => Math.abs(victim[b]!) - Math.abs(victim[a]!));
    const delta = Float32Array.from(own);
    const copied = positions.slice(0, Math.round(positions.length * parameters.copyFraction));
    for (const i of copied) delta[i] = victim[i]!;
    return { delta, copied: `${copied.length} entries` };
  });
}
