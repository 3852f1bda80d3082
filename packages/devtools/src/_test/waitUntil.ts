/**
 * Polls `condition` until it holds or `timeoutMs` passes; resolves with whether it held.
 * The test asserts on the result, so a condition never met fails where it is checked.
 *
 * @example
 * expect(await waitUntil(() => tcpRefused(port))).toBe(true);
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  options: { timeoutMs?: number; everyMs?: number } = {},
): Promise<boolean> {
  const deadline = Date.now() + (options.timeoutMs ?? 5_000);
  for (;;) {
    if (await condition()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 10));
  }
}
