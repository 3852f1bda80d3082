/**
 * Names the Redis hash of a window's measurements: `tessera:<subnet>:metrics:window:<w>`.
 * Validators write it (`heldOutLoss` and any other numeric field, and `sample`); the REST API reads it
 * and never writes it (docs/api.md, "Held-out loss: what the validator writes").
 *
 * @param parameters.subnet The Subnet contract's address (any case) or another subnet id.
 * @example
 * await redis.hset(windowMetricsKey({ subnet, window: 42 }), 'heldOutLoss', '3.4187');
 */
export function windowMetricsKey(parameters: { subnet: string; window: number }): string {
  return `tessera:${parameters.subnet.toLowerCase()}:metrics:window:${parameters.window}`;
}

/** The field of a window's metrics hash that holds the validator's sample of its model. */
export const windowSampleField = 'sample';

/** Longest sample text a reader accepts, in UTF-16 code units; longer ones read as none. */
export const maxWindowSampleChars = 4000;

/** A validator's short greedy sample of a window's model: the prompt and its continuation. */
export type WindowSample = { prompt: string; text: string };

/**
 * Reads the `sample` field of a window's metrics hash, as the validator wrote it (JSON of a
 * {@link WindowSample}). Anything else — missing, not JSON, other fields, strings too long —
 * reads as null, so a reader never serves what a validator did not mean to write.
 *
 * @example
 * const sample = parseWindowSample(await redis.hget(windowMetricsKey({ subnet, window }), windowSampleField));
 */
export function parseWindowSample(stored: string | null | undefined): WindowSample | null {
  if (typeof stored !== 'string' || stored.length > 2 * maxWindowSampleChars) return null;
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { prompt, text, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || typeof prompt !== 'string' || typeof text !== 'string') return null;
  if (prompt.length > maxWindowSampleChars || text.length > maxWindowSampleChars) return null;
  return { prompt, text };
}
