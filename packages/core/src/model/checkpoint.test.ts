import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rejectionOf } from '../_test/rejectionOf.js';
import { tempDir } from '../_test/tempDir.js';
import { CheckpointError } from '../errors/model.js';
import { decodeCheckpoint } from './decodeCheckpoint.js';
import { encodeCheckpoint } from './encodeCheckpoint.js';
import { initParameters } from './initParameters.js';
import { loadCheckpoint } from './loadCheckpoint.js';
import { modelHash } from './modelHash.js';
import { modelPresets } from './modelPresets.js';
import { saveCheckpoint } from './saveCheckpoint.js';

const config = modelPresets.tiny;
const parameters = initParameters({ config, seed: 5n });

function reasonOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CheckpointError);
    return (error as CheckpointError).reason;
  }
  return undefined;
}

describe('checkpoints', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => dir.cleanup());

  it('saves and loads the same config, window and parameter bits, leaving no temporary file', async () => {
    const path = join(dir.path, 'nested', 'w7.ckpt');
    const saved = await saveCheckpoint({ path, config, window: 7, parameters });
    expect(saved.modelHash).toBe(modelHash({ parameters }));
    expect(await readdir(join(dir.path, 'nested'))).toEqual(['w7.ckpt']);

    const loaded = await loadCheckpoint({
      path,
      expected: { config, window: 7, modelHash: saved.modelHash },
    });
    expect(loaded.config).toEqual(config);
    expect(loaded.window).toBe(7);
    expect(loaded.parameterCount).toBe(parameters.length);
    expect(Buffer.from(loaded.parameters.buffer).equals(Buffer.from(parameters.buffer))).toBe(true);
    expect((await loadCheckpoint({ bytes: await readFile(path) })).modelHash).toBe(saved.modelHash);
  });

  it('writes the same bytes for the same model whatever the key order of the config', () => {
    const reordered = Object.fromEntries(Object.entries(config).reverse()) as typeof config;
    const a = encodeCheckpoint({ config, window: 1, parameters }).bytes;
    const b = encodeCheckpoint({ config: reordered, window: 1, parameters }).bytes;
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a.subarray(0, 8)).toString('latin1')).toBe('TSRACKPT');
    expect(a.length % 4).toBe(0);
  });

  it('rejects corrupt bytes with a reason for each kind of damage', () => {
    const good = encodeCheckpoint({ config, window: 3, parameters }).bytes;
    const headerLength = new DataView(good.buffer).getUint32(12, true);
    const edit = (change: (bytes: Uint8Array) => void) => {
      const bytes = good.slice();
      change(bytes);
      return bytes;
    };
    const decode = (bytes: Uint8Array) => () => decodeCheckpoint({ bytes });

    expect(reasonOf(decode(edit((b) => (b[0] = 0x58))))).toBe('bad-magic');
    expect(reasonOf(decode(edit((b) => (b[8] = 2))))).toBe('bad-version');
    expect(reasonOf(decode(good.subarray(0, 10)))).toBe('truncated');
    expect(reasonOf(decode(good.subarray(0, 20)))).toBe('truncated');
    expect(reasonOf(decode(good.subarray(0, good.length - 4)))).toBe('truncated');
    expect(reasonOf(decode(Uint8Array.from([...good, 0, 0, 0, 0])))).toBe('length-mismatch');
    expect(reasonOf(decode(edit((b) => (b[16] = 0x20))))).toBe('bad-header'); // '{' -> ' ' breaks the JSON
    expect(reasonOf(decode(edit((b) => (b[b.length - 1] = b[b.length - 1]! ^ 0x01))))).toBe('hash-mismatch');
    // A header edited to claim another window no longer matches what the caller expects.
    const header = new TextDecoder().decode(good.subarray(16, 16 + headerLength));
    const otherWindow = edit((b) =>
      b.set(new TextEncoder().encode(header.replace('"window":3', '"window":4')), 16),
    );
    expect(decodeCheckpoint({ bytes: otherWindow }).window).toBe(4);
    expect(reasonOf(() => decodeCheckpoint({ bytes: otherWindow, expected: { window: 3 } }))).toBe(
      'unexpected',
    );
  });

  it('rejects a well-formed checkpoint for another config or model hash', () => {
    const bytes = encodeCheckpoint({ config, window: 3, parameters }).bytes;
    expect(
      reasonOf(() =>
        decodeCheckpoint({ bytes, expected: { config: { ...config, layerNormEpsilon: 1e-6 } } }),
      ),
    ).toBe('unexpected');
    expect(reasonOf(() => decodeCheckpoint({ bytes, expected: { modelHash: `0x${'00'.repeat(32)}` } }))).toBe(
      'unexpected',
    );
  });

  it('refuses to save a vector of the wrong length and reports a missing file as io', async () => {
    const error = await rejectionOf(
      saveCheckpoint({
        path: join(dir.path, 'x.ckpt'),
        config,
        window: 0,
        parameters: parameters.subarray(1),
      }),
    );
    expect(error).toMatchObject({ name: 'CheckpointError', reason: 'invalid-parameter' });
    expect(await readdir(dir.path)).toEqual([]);
    expect(await rejectionOf(loadCheckpoint({ path: join(dir.path, 'missing.ckpt') }))).toMatchObject({
      reason: 'io',
    });
  });

  it('replaces an existing checkpoint whole', async () => {
    const path = join(dir.path, 'latest.ckpt');
    await writeFile(path, 'old');
    await saveCheckpoint({ path, config, window: 9, parameters });
    expect((await loadCheckpoint({ path })).window).toBe(9);
  });
});
