import { HyperparametersError } from '../errors/protocol.js';
import { hyperparameterPresets } from './hyperparameterPresets.js';
import { parseHyperparameters } from './parseHyperparameters.js';

function issuesOf(input: unknown) {
  try {
    parseHyperparameters(input);
  } catch (error) {
    if (error instanceof HyperparametersError) return error.issues;
    throw error;
  }
  throw new Error('expected a HyperparametersError');
}

describe('parseHyperparameters', () => {
  it('fills every default and freezes the result', () => {
    const parsed = parseHyperparameters({});
    expect(parsed).toEqual(hyperparameterPresets.tiny);
    expect(Object.isFrozen(parsed)).toBe(true);
    expect(parsed).toMatchObject({ modelPreset: 'tiny', quantBits: 8, chunkSize: 1024, topK: 64, shards: 1 });
    expect(parseHyperparameters()).toEqual(parsed);
  });

  it('keeps given values and does not touch its input', () => {
    const input = { innerSteps: 3, quantBits: 2 };
    const parsed = parseHyperparameters(input);
    expect(parsed.innerSteps).toBe(3);
    expect(parsed.quantBits).toBe(2);
    expect(input).toEqual({ innerSteps: 3, quantBits: 2 });
  });

  it('parses the presets', () => {
    expect(parseHyperparameters({ ...hyperparameterPresets.gpu })).toEqual(hyperparameterPresets.gpu);
    expect(hyperparameterPresets.gpu).toMatchObject({
      modelPreset: 'gpu-50m',
      quantBits: 2,
      chunkSize: 4096,
      topK: 128,
    });
    expect(Object.isFrozen(hyperparameterPresets.gpu)).toBe(true);
  });

  it('lists every bad field with its path', () => {
    const issues = issuesOf({
      runSeed: '0x1234',
      blocksPerWindow: 0,
      innerLearningRate: -1,
      quantBits: 4,
      scoreEmaAlpha: 1.5,
      topK: 2.5,
      shards: 'four',
      surprise: true,
    });
    expect(issues.map((issue) => issue.path).sort()).toEqual(
      [
        '/blocksPerWindow',
        '/innerLearningRate',
        '/quantBits',
        '/runSeed',
        '/scoreEmaAlpha',
        '/shards',
        '/surprise',
        '/topK',
      ].sort(),
    );
    expect(issues.find((issue) => issue.path === '/quantBits')).toEqual({
      path: '/quantBits',
      message: 'Expected one of 2, 8, 32',
      value: 4,
    });
  });

  it('checks fields against each other', () => {
    expect(issuesOf({ chunkSize: 32, topK: 64 })).toEqual([
      { path: '/topK', message: 'Expected at most chunkSize (32)', value: 64 },
    ]);
    expect(issuesOf({ blocksPerWindow: 5, deadlineGraceBlocks: 5 }).map((issue) => issue.path)).toEqual([
      '/deadlineGraceBlocks',
    ]);
  });

  it('rejects what is not an object', () => {
    for (const input of [null, 3, 'tiny', [1]])
      expect(issuesOf(input)).toEqual([{ path: '', message: 'Expected an object', value: input }]);
  });

  it('names every problem in the message', () => {
    const error = (() => {
      try {
        parseHyperparameters({ topK: 0, weightPower: 0 });
      } catch (caught) {
        return caught as HyperparametersError;
      }
      throw new Error('expected a throw');
    })();
    expect(error.message).toContain('2 problems');
    expect(error.message).toContain('/topK');
    expect(error.message).toContain('/weightPower');
    expect(error.retryable).toBe(false);
  });
});
