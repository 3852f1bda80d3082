/** Parameters of {@link learningRateSchedule}. */
export type LearningRateScheduleParameters = {
  /** Windows of linear warm-up: window `w < warmup` trains at `(w + 1) / warmup` of the rate. @default 0 */
  warmupWindows?: number | undefined;
  /** After warm-up: `none` keeps the rate, `cosine` and `linear` bring it to `minFactor` by the last window. @default 'none' */
  decay?: 'none' | 'cosine' | 'linear' | undefined;
  /** The factor the decay ends at, in [0, 1]. @default 0.1 */
  minFactor?: number | undefined;
  /** Windows in the run: the decay's horizon. */
  windows: number;
};

/**
 * A learning-rate schedule every party can derive from the window alone: the factor window
 * `w` multiplies the inner learning rate by (linear warm-up, then constant, cosine or linear
 * decay to `minFactor` at window `windows − 1`).
 *
 * @returns `w ↦ factor`, 1 everywhere for the defaults.
 * @example
 * const factor = learningRateSchedule({ warmupWindows: 2, decay: 'cosine', windows: 20 });
 * factor(0); // 0.5
 * factor(19); // 0.1
 */
export function learningRateSchedule(parameters: LearningRateScheduleParameters): (window: number) => number {
  const warmup = parameters.warmupWindows ?? 0;
  const decay = parameters.decay ?? 'none';
  const minFactor = parameters.minFactor ?? 0.1;
  const { windows } = parameters;
  if (!Number.isSafeInteger(warmup) || warmup < 0)
    throw new Error('warm-up windows must be a non-negative integer.');
  if (!(minFactor >= 0 && minFactor <= 1)) throw new Error('the decay’s final factor must be in [0, 1].');
  const span = windows - 1 - warmup;
  return (window) => {
    if (window < warmup) return (window + 1) / warmup;
    if (decay === 'none' || span <= 0) return 1;
    const t = Math.min(1, (window - warmup) / span);
    const shape = decay === 'cosine' ? 0.5 * (1 + Math.cos(Math.PI * t)) : 1 - t;
    return minFactor + (1 - minFactor) * shape;
  };
}
