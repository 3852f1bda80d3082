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

  it('falls back from a preferred backend that fails, with a warning, unless strict', async () => {
    const { lines, logger } = capture();
    const selected = await selectBackend({ preferred: 'node', logger, env: {} });
    expect(selected.name).toBe('wasm');
    expect(lines.find((l) => l.level === 'warn')).toMatchObject({
      backend: 'node',
      reason: 'package not installed',
    });
    const error = await rejectionOf(selectBackend({ preferred: 'node-gpu', strict: true, logger, env: {} }));
    expect(error).toMatchObject({ name: 'ModelError', reason: 'backend-unavailable' });
  });

  it('rejects an unknown TESSERA_BACKEND', async () => {
    const error = await rejectionOf(
      selectBackend({ logger: capture().logger, env: { TESSERA_BACKEND: 'tpu' } }),
    );
    expect(error).toMatchObject({ name: 'ModelError', reason: 'invalid-parameter' });
  });
});
