import { getEventListeners } from 'node:events';
import { startDeadline } from './startDeadline.js';

describe('startDeadline', () => {
  it('aborts with a timeout error once the time limit passes', async () => {
    const deadline = startDeadline({ timeoutMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(deadline.signal.aborted).toBe(true);
    expect(() => deadline.check('s3://bucket/key')).toThrow(expect.objectContaining({ reason: 'timeout' }));
    deadline.clear();
  });

  it("follows the caller's signal, and says aborted rather than timed out", () => {
    const caller = new AbortController();
    const deadline = startDeadline({ timeoutMs: 60_000, signal: caller.signal });
    expect(() => deadline.check('file:///x')).not.toThrow();
    caller.abort(new Error('shutting down'));
    expect(deadline.signal.aborted).toBe(true);
    expect(() => deadline.check('file:///x')).toThrow(expect.objectContaining({ reason: 'aborted' }));
    deadline.clear();
  });

  it('starts aborted when the caller already was', () => {
    const caller = new AbortController();
    caller.abort();
    const deadline = startDeadline({ timeoutMs: 60_000, signal: caller.signal });
    expect(deadline.signal.aborted).toBe(true);
    deadline.clear();
  });

  it("hangs no listener on the caller's signal, however many deadlines are in flight", () => {
    const caller = new AbortController();
    const deadlines = Array.from({ length: 50 }, () =>
      startDeadline({ timeoutMs: 60_000, signal: caller.signal }),
    );
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
    for (const deadline of deadlines) deadline.clear();
  });
});
