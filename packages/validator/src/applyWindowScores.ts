import type { Redis } from 'ioredis';
import type { EvaluationResult } from './evaluateUpdate.js';
import { ValidatorError } from './errors/validator.js';
import type { ValidatorKeys } from './validatorKeys.js';

/** One miner's outcome for a window. */
export type WindowScore = {
  uid: number;
  /** The miner's hotkey now; a changed hotkey on a uid restarts its average from 0. */
  hotkey: string;
  /** The verdict; its `score` feeds the average (0 for rejected and missing updates). */
  result: EvaluationResult;
};

/** Parameters of {@link applyWindowScores}. */
export type ApplyWindowScoresParameters = {
  redis: Redis;
  keys: ValidatorKeys;
  window: number;
  /**
   * Every miner of the metagraph, each with its verdict (missing ones included, score 0).
   * Uids not listed drop out of the averages.
   */
  scores: readonly WindowScore[];
  /** α of `s ← (1−α)·s + α·score`. */
  alpha: number;
};

// Atomic: the guard, the averages, the verdicts and the mark are one Redis script, so a
// window is applied exactly once however often (or however concurrently) this runs.
// KEYS: applied, scores, hotkeys, results. ARGV: window, alpha, then uid/hotkey/score/verdict.
const applyScript = `
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 0 end
local alpha = tonumber(ARGV[2])
local keep = {}
for i = 3, #ARGV, 4 do
  local uid, hotkey, score = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
  local previous = 0
  if redis.call('HGET', KEYS[3], uid) == hotkey then
    previous = tonumber(redis.call('HGET', KEYS[2], uid) or '0') or 0
  end
  redis.call('HSET', KEYS[2], uid, string.format('%.17g', (1 - alpha) * previous + alpha * score))
  redis.call('HSET', KEYS[3], uid, hotkey)
  redis.call('HSET', KEYS[4], uid, ARGV[i + 3])
  keep[uid] = true
end
for _, uid in ipairs(redis.call('HKEYS', KEYS[2])) do
  if not keep[uid] then
    redis.call('HDEL', KEYS[2], uid)
    redis.call('HDEL', KEYS[3], uid)
  end
end
redis.call('SADD', KEYS[1], ARGV[1])
return 1
`;

/**
 * Folds one window's scores into every uid's moving average, `s ← (1−α)·s + α·score`,
 * records each verdict under `window:<w>:results`, and marks the window applied, all in
 * one atomic Redis script guarded by the `applied` set: running it again for the same
 * window (after a restart, or twice at once) changes nothing.
 *
 * @returns True when this call applied the window, false when it was applied already.
 * @throws ValidatorError `invalid-parameter` for a bad window, α, uid or score.
 * @example
 * await applyWindowScores({ redis, keys, window: 12, scores, alpha: hyperparameters.scoreEmaAlpha });
 */
export async function applyWindowScores(parameters: ApplyWindowScoresParameters): Promise<boolean> {
  const { redis, keys, window, scores, alpha } = parameters;
  if (!Number.isSafeInteger(window) || window < 0) {
    throw new ValidatorError('invalid-parameter', 'window must be a non-negative integer.', {
      details: String(window),
    });
  }
  if (!(alpha > 0 && alpha <= 1)) {
    throw new ValidatorError('invalid-parameter', 'alpha must be in (0, 1].', { details: String(alpha) });
  }
  const argv: string[] = [String(window), String(alpha)];
  const seen = new Set<number>();
  for (const { uid, hotkey, result } of scores) {
    if (!Number.isSafeInteger(uid) || uid < 0 || seen.has(uid)) {
      throw new ValidatorError('invalid-parameter', 'Uids must be distinct non-negative integers.', {
        details: String(uid),
      });
    }
    if (!Number.isFinite(result.score) || result.score < 0) {
      throw new ValidatorError('invalid-parameter', 'Scores must be finite and non-negative.', {
        details: `uid ${uid}: ${result.score}`,
      });
    }
    seen.add(uid);
    argv.push(String(uid), hotkey.toLowerCase(), String(result.score), JSON.stringify(result));
  }
  const applied = await redis.eval(
    applyScript,
    4,
    keys.applied,
    keys.scores,
    keys.hotkeys,
    keys.results(window),
    ...argv,
  );
  return applied === 1;
}
