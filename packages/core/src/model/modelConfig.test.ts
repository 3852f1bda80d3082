import { ModelError } from '../errors/model.js';
import { parseModelConfig } from './modelConfig.js';
import { getModelPreset, modelPresets } from './modelPresets.js';
import { parameterCount, parameterLayout } from './parameterLayout.js';

describe('model configs', () => {
  it('sizes every preset as its table says', () => {
    expect(parameterCount({ config: modelPresets.tiny })).toBe(136_448);
    expect(parameterCount({ config: modelPresets.small })).toBe(1_069_824);
    expect(parameterCount({ config: modelPresets['gpu-50m'] })).toBe(52_852_608);
    expect(parameterCount({ config: modelPresets['gpu-150m'] })).toBe(148_775_424);
  });

  it('lays parameters out in the documented order, contiguous, with lm_head only when untied', () => {
    const specs = parameterLayout({ config: modelPresets.tiny });
    expect(specs.slice(0, 8).map((s) => s.name)).toEqual([
      'tok_emb',
      'pos_emb',
      'h.0.ln1.g',
      'h.0.ln1.b',
      'h.0.attn.wq',
      'h.0.attn.wk',
      'h.0.attn.wv',
      'h.0.attn.wo',
    ]);
    expect(specs.at(-1)?.name).toBe('ln_f.b');
    specs.forEach((spec, i) =>
      expect(spec.offset).toBe(i === 0 ? 0 : specs[i - 1]!.offset + specs[i - 1]!.size),
    );
    const untied = parameterLayout({ config: { ...modelPresets.tiny, tieEmbeddings: false } });
    expect(untied.at(-1)).toMatchObject({ name: 'lm_head', shape: [64, 512] });
  });

  it('rejects a config that breaks the schema or the heads rule, listing the problems', () => {
    const error = (() => {
      try {
        parseModelConfig({ config: { ...modelPresets.tiny, heads: 3, layers: 0, extra: 1 } });
        return undefined;
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).reason).toBe('invalid-config');
    expect((error as ModelError).message).toMatch(/layers/);
    expect(() => parseModelConfig({ config: { ...modelPresets.tiny, heads: 3 } })).toThrow(
      /does not divide dModel/,
    );
  });

  it('finds presets by name and names the known ones for an unknown name', () => {
    expect(getModelPreset({ name: 'tiny' })).toBe(modelPresets.tiny);
    expect(() => getModelPreset({ name: 'huge' })).toThrow(/tiny, small, gpu-50m, gpu-150m/);
    expect(() => getModelPreset({ name: 'toString' })).toThrow(ModelError);
  });
});
