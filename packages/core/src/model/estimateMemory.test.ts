import { silentLogger } from '../common/logger.js';
import { ModelError } from '../errors/model.js';
import { createModel } from './createModel.js';
import { estimateMemory } from './estimateMemory.js';
import { modelPresets } from './modelPresets.js';
import { nextTokenLoss } from './nextTokenLoss.js';
import { registerGradients, tf } from './tfjs.js';
import { selectBackend } from './selectBackend.js';

describe('estimateMemory', () => {
  beforeAll(async () => {
    await selectBackend({ preferred: 'cpu', logger: silentLogger });
    await registerGradients();
  });

  it('counts the parameters createModel builds for the tiny preset', () => {
    const model = createModel({ config: modelPresets.tiny, seed: 1n });
    try {
      const sizes = model.variables.reduce((sum, variable) => sum + variable.size, 0);
      const estimate = estimateMemory({ config: modelPresets.tiny, batchSize: 8, sequenceLength: 64 });
      expect(estimate.parameterCount).toBe(sizes);
      expect(estimate.parameterCount).toBe(136_448); // modelPresets' table
      expect(estimate.parameterBytes).toBe(sizes * 4);
      expect(estimate.gradientBytes).toBe(sizes * 4);
      expect(estimate.optimizerBytes).toBe(sizes * 8);
    } finally {
      model.dispose();
    }
  });

  it('counts the activations by hand for the tiny preset, and they grow with the batch', () => {
    // D 64, F 256, H 4, V 512, 2 blocks, T 64: per token 2·(23·64 + 11·256 + 4·4·64 + 8) + 7·64 + 6·512 + 4.
    const perToken = 2 * (1472 + 2816 + 1024 + 8) + 448 + 3072 + 4;
    const estimate = estimateMemory({ config: modelPresets.tiny, batchSize: 8, sequenceLength: 64 });
    expect(estimate.activationBytes).toBe((8 * 64 * perToken + 64 * 64 + 64 * 64) * 4);
    const double = estimateMemory({ config: modelPresets.tiny, batchSize: 16, sequenceLength: 64 });
    expect(double.activationBytes).toBeGreaterThan(1.9 * estimate.activationBytes);
    expect(estimate.peakActivationBytes).toBe(Math.ceil(2.5 * estimate.activationBytes));
    expect(estimate.totalBytes).toBe(
      estimate.parameterBytes +
        estimate.gradientBytes +
        estimate.optimizerBytes +
        estimate.peakActivationBytes,
    );
  });

  it.each([
    ['tiny', 4, 64],
    ['tiny', 8, 32],
  ] as const)(
    'comes within 15 %% of what a %s training step at %i × %i holds on the cpu backend',
    async (name, batchSize, T) => {
      const config = modelPresets[name];
      const model = createModel({ config, seed: 2n });
      const rows = tf.tensor2d(
        Int32Array.from({ length: batchSize * (T + 1) }, (_, i) => (i * 7) % config.vocabSize),
        [batchSize, T + 1],
        'int32',
      );
      try {
        const before = tf.memory().numBytes;
        let forward = 0;
        tf.tidy(() => {
          nextTokenLoss(model, rows);
          forward = tf.memory().numBytes - before;
        });
        const profile = await tf.profile(() => {
          const { value, grads } = tf.variableGrads(
            () => nextTokenLoss(model, rows),
            model.variables as tf.Variable[],
          );
          value.dispose();
          for (const gradient of Object.values(grads)) gradient.dispose();
        });
        const peak = profile.peakBytes - before;
        const estimate = estimateMemory({ config, batchSize, sequenceLength: T });
        expect(Math.abs(estimate.activationBytes - forward) / forward).toBeLessThan(0.15);
        expect(Math.abs(estimate.peakActivationBytes - peak) / peak).toBeLessThan(0.15);
      } finally {
        rows.dispose();
        model.dispose();
      }
    },
  );

  it('refuses a sequence longer than the context and a batch that is not a positive integer', () => {
    expect(() => estimateMemory({ config: modelPresets.tiny, batchSize: 8, sequenceLength: 65 })).toThrow(
      ModelError,
    );
    expect(() => estimateMemory({ config: modelPresets.tiny, batchSize: 0, sequenceLength: 64 })).toThrow(
      ModelError,
    );
  });
});
