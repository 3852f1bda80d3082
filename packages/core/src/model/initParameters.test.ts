import { initParameters } from './initParameters.js';
import { modelHash } from './modelHash.js';
import { modelPresets } from './modelPresets.js';
import { parameterLayout } from './parameterLayout.js';
import { ModelError } from '../errors/model.js';

const config = modelPresets.tiny;

describe('initParameters', () => {
  it('gives the same θ_0 bits on every machine: a fixed hash for tiny, seed 1', () => {
    const theta = initParameters({ config, seed: 1n });
    expect(theta.length).toBe(136_448);
    expect(modelHash({ parameters: theta })).toBe(
      '0xb62ff956d4f6fea9a79d1fc4e64a7659a1481254bb18d05c354349d5ea9222d7',
    );
    expect(Array.from(theta.subarray(0, 2))).toEqual([-0.028114762157201767, -0.025077596306800842]);
  });

  it('treats a number seed like the same bigint, and other seeds give other parameters', () => {
    const a = modelHash({ parameters: initParameters({ config, seed: 7 }) });
    expect(modelHash({ parameters: initParameters({ config, seed: 7n }) })).toBe(a);
    expect(modelHash({ parameters: initParameters({ config, seed: 8n }) })).not.toBe(a);
  });

  it('starts gains at one, biases at zero, and weights near the configured scale', () => {
    const theta = initParameters({ config, seed: 3n });
    const spec = (name: string) => parameterLayout({ config }).find((s) => s.name === name)!;
    const values = (name: string) => theta.subarray(spec(name).offset, spec(name).offset + spec(name).size);
    expect(values('h.0.ln1.g').every((v) => v === 1)).toBe(true);
    expect(values('h.1.mlp.b1').every((v) => v === 0)).toBe(true);
    const emb = values('tok_emb');
    const std = Math.sqrt(emb.reduce((sum, v) => sum + v * v, 0) / emb.length);
    expect(std).toBeGreaterThan(0.019);
    expect(std).toBeLessThan(0.021);
    // Output projections are scaled down by sqrt(2 * layers) = 2.
    const wo = values('h.0.attn.wo');
    const stdWo = Math.sqrt(wo.reduce((sum, v) => sum + v * v, 0) / wo.length);
    expect(stdWo).toBeGreaterThan(0.009);
    expect(stdWo).toBeLessThan(0.011);
  });

  it('rejects negative, fractional and oversized seeds', () => {
    for (const seed of [-1, 1.5, -1n, 1n << 256n]) {
      expect(() => initParameters({ config, seed })).toThrow(ModelError);
    }
  });
});
