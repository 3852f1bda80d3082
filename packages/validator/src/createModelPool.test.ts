import type { Model } from '@tessera/core';
import { createModelPool } from './createModelPool.js';

/** Stands in for a tfjs model: the pool only lends and disposes it. */
const fakeModel = (id: number, disposed: number[]) =>
  ({ id, dispose: () => disposed.push(id) }) as unknown as Model;

describe('createModelPool', () => {
  it('lends at most `size` models at once, first come first served, and makes them only as needed', async () => {
    const disposed: number[] = [];
    let made = 0;
    const pool = createModelPool({
      modelConfig: {} as never,
      size: 2,
      create: () => fakeModel(++made, disposed),
    });
    const order: string[] = [];
    const gates = new Map<string, () => void>();
    const job = (name: string) =>
      pool.use(async (model) => {
        order.push(`${name}:${(model as unknown as { id: number }).id}`);
        await new Promise<void>((resolve) => gates.set(name, resolve));
        return name;
      });
    const a = job('a');
    const b = job('b');
    const c = job('c');
    const d = job('d');
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['a:1', 'b:2']);
    expect({ busy: pool.busy, waiting: pool.waiting, made }).toEqual({ busy: 2, waiting: 2, made: 2 });
    gates.get('b')!();
    await b;
    await new Promise((resolve) => setImmediate(resolve));
    // c waited longest: it takes the model b gave back.
    expect(order).toEqual(['a:1', 'b:2', 'c:2']);
    gates.get('a')!();
    gates.get('c')!();
    await Promise.all([a, c]);
    await new Promise((resolve) => setImmediate(resolve));
    gates.get('d')!();
    expect(await d).toBe('d');
    expect(made).toBe(2);
    expect(pool.busy).toBe(0);
    pool.dispose();
    expect(disposed.sort()).toEqual([1, 2]);
  });

  it('takes a model back when the job using it throws', async () => {
    const pool = createModelPool({ modelConfig: {} as never, size: 1, create: () => fakeModel(1, []) });
    await expect(pool.use(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await pool.use(async () => 'next')).toBe('next');
  });

  it('refuses a pool without models', () => {
    expect(() => createModelPool({ modelConfig: {} as never, size: 0 })).toThrow('at least one');
  });
});
