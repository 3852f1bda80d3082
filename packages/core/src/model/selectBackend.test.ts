import { createLogger } from '../common/logger.js';
import { rejectionOf } from '../_test/rejectionOf.js';
import { selectBackend } from './selectBackend.js';
import { tf } from './tfjs.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: 'debug',
    format: 'json',
    write: (line) => lines.push(JSON.parse(line)),
  });
  return { lines, logger };
}

describe('selectBackend', () => {
  it('skips the missing libtensorflow packages with a logged reason and lands on wasm', async () => {
    const { lines, logger } = capture();
    const selected = await selectBackend({ logger, env: {} });
    expect(selected).toMatchObject({ name: 'wasm', tfName: 'wasm', threads: 1 });
    expect(selected.skipped).toEqual([
      { name: 'node-gpu', reason: 'package not installed' },
      { name: 'node', reason: 'package not installed' },
    ]);
    expect(tf.getBackend()).toBe('wasm');
    expect(lines.filter((l) => l.msg === 'tensorflow.js backend skipped').map((l) => l.backend)).toEqual([
      'node-gpu',
      'node',
    ]);
    expect(lines.at(-1)).toMatchObject({
      level: 'info',
      msg: 'tensorflow.js backend selected',
      backend: 'wasm',
      threads: 1,
    });
  });

  it('lets TESSERA_BACKEND override the preferred backend', async () => {
    const { logger } = capture();
    const selected = await selectBackend({ preferred: 'wasm', logger, env: { TESSERA_BACKEND: 'cpu' } });
    expect(selected.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('fails on a named backend that does not load, naming it and why, instead of falling back', async () => {
    const { lines, logger } = capture();
    const before = tf.getBackend();
    const error = await rejectionOf(selectBackend({ preferred: 'node-gpu', logger, env: {} }));
    expect(error).toMatchObject({ name: 'ModelError', reason: 'backend-unavailable' });
    expect((error as Error).message).toContain(
      'Backend "node-gpu" (@tensorflow/tfjs-node-gpu) did not load: package not installed.',
    );
    // The load error itself, as Node gave it.
    expect((error as Error).message).toMatch(
      /Details: .*Cannot find (package|module) '@tensorflow\/tfjs-node-gpu'/,
    );
    expect(tf.getBackend()).toBe(before);
    expect(lines.some((l) => l.msg === 'tensorflow.js backend selected')).toBe(false);

    const fromEnv = await rejectionOf(
      selectBackend({ preferred: 'auto', logger, env: { TESSERA_BACKEND: 'node' } }),
    );
    expect((fromEnv as Error).message).toContain('Backend "node" (@tensorflow/tfjs-node) did not load');
  });

  it('falls back from a named backend only when told it may, with a warning', async () => {
    const { lines, logger } = capture();
    const selected = await selectBackend({ preferred: 'node', strict: false, logger, env: {} });
    expect(selected.name).toBe('wasm');
    expect(lines.find((l) => l.level === 'warn')).toMatchObject({
      backend: 'node',
      reason: 'package not installed',
    });
  });

  it('logs the choice auto made and why it passed the others over', async () => {
    const { lines, logger } = capture();
    const selected = await selectBackend({ preferred: 'auto', logger, env: {} });
    expect(selected.name).toBe('wasm');
    expect(lines.filter((l) => l.level === 'warn')).toEqual([]);
    expect(lines.at(-1)).toMatchObject({
      level: 'info',
      msg: 'tensorflow.js backend selected',
      backend: 'wasm',
      reasons: ['node-gpu: package not installed', 'node: package not installed'],
    });
  });

  it('rejects an unknown TESSERA_BACKEND', async () => {
    const error = await rejectionOf(
      selectBackend({ logger: capture().logger, env: { TESSERA_BACKEND: 'tpu' } }),
    );
    expect(error).toMatchObject({ name: 'ModelError', reason: 'invalid-parameter' });
  });
});
