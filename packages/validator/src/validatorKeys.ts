/** The Redis keys of one validator's state; see {@link validatorKeys}. */
export type ValidatorKeys = {
  /** The prefix every key starts with, without the trailing colon. */
  readonly prefix: string;
  /** Hash uid → moving average of scores. */
  readonly scores: string;
  /** Hash uid → hotkey the average belongs to (a new hotkey on a uid starts from 0). */
  readonly hotkeys: string;
  /** Set of windows whose scores are in the averages. */
  readonly applied: string;
  /** Set of epochs whose weights were set (or claimed for setting). */
  readonly weightsEpochs: string;
  /** Set of windows whose checkpoint was published. */
  readonly checkpoints: string;
  /** The last window fully processed. */
  readonly lastWindow: string;
  /** The highest epoch known settled on chain. */
  readonly settledEpoch: string;
  /** Hash uid → JSON verdict of window `window`. */
  results(window: number): string;
  /** The reference update's error-feedback buffer of `shard`, little-endian float32. */
  referenceFeedback(shard: number): string;
  /**
   * The bytes of `uid`'s update for `window`, as a worker downloaded them (expire on their own);
   * whoever reads them checks them against the digest.
   */
  updateBytes(window: number, uid: number): string;
};

/**
 * Where a worker leaves the downloaded bytes of an update for its evaluation and the window
 * loop (copy checks, the aggregate), under a validator's prefix:
 * `<prefix>:window:<w>:update:<uid>`. Readers check them against the committed digest.
 *
 * @example
 * await redis.set(updateBytesKey({ prefix, window: 3, uid: 7 }), Buffer.from(bytes), 'EX', 3600);
 */
export function updateBytesKey(parameters: { prefix: string; window: number; uid: number }): string {
  return `${parameters.prefix}:window:${parameters.window}:update:${parameters.uid}`;
}

/**
 * Names the Redis keys of one validator: `tessera:<subnet>:<hotkey>:` followed by the
 * key's name, so several validators can share one Redis.
 *
 * @example
 * const keys = validatorKeys({ subnet: '0x5FbD…', hotkey: '0x7099…' });
 * await redis.hget(keys.scores, '3');
 */
export function validatorKeys(parameters: { subnet: string; hotkey: string }): ValidatorKeys {
  const prefix = `tessera:${parameters.subnet.toLowerCase()}:${parameters.hotkey.toLowerCase()}`;
  return Object.freeze({
    prefix,
    scores: `${prefix}:scores`,
    hotkeys: `${prefix}:score-hotkeys`,
    applied: `${prefix}:applied`,
    weightsEpochs: `${prefix}:weights-epochs`,
    checkpoints: `${prefix}:checkpoints`,
    lastWindow: `${prefix}:last-window`,
    settledEpoch: `${prefix}:settled-epoch`,
    results: (window: number) => `${prefix}:window:${window}:results`,
    referenceFeedback: (shard: number) => `${prefix}:reference-feedback:${shard}`,
    updateBytes: (window: number, uid: number) => updateBytesKey({ prefix, window, uid }),
  });
}
