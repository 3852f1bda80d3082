/**
 * Names the Redis hash of a window's measurements: `tessera:<subnet>:metrics:window:<w>`.
 * Validators write it (`heldOutLoss`, and any other numeric field); the REST API reads it
 * and never writes it (docs/api.md, "Held-out loss: what the validator writes").
 *
 * @param parameters.subnet The Subnet contract's address (any case) or another subnet id.
 * @example
 * await redis.hset(windowMetricsKey({ subnet, window: 42 }), 'heldOutLoss', '3.4187');
 */
export function windowMetricsKey(parameters: { subnet: string; window: number }): string {
  return `tessera:${parameters.subnet.toLowerCase()}:metrics:window:${parameters.window}`;
}
