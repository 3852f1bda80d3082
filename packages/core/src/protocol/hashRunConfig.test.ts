import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { RunConfigMismatchError } from '../errors/protocol.js';
import { checkRunConfigHash } from './checkRunConfigHash.js';
import { canonicalRunConfig, hashRunConfig } from './hashRunConfig.js';
import { hyperparameterPresets } from './hyperparameterPresets.js';
import { parseHyperparameters } from './parseHyperparameters.js';

const tiny = hyperparameterPresets.tiny;
const keccak = (text: string) => `0x${bytesToHex(keccak_256(new TextEncoder().encode(text)))}`;

describe('hashRunConfig', () => {
  it('is keccak256 of the config as sorted, compact JSON', () => {
    const config = parseHyperparameters({
      dataset: { manifest: `0x${'ab'.repeat(32)}`, mirrors: ['b', 'a'] },
    });
    const sorted = Object.fromEntries(Object.entries(config).sort(([a], [b]) => (a < b ? -1 : 1)));
    const expected = JSON.stringify({
      ...sorted,
      dataset: { manifest: `0x${'ab'.repeat(32)}`, mirrors: ['b', 'a'] },
    });
    expect(canonicalRunConfig({ hyperparameters: config })).toBe(expected);
    expect(hashRunConfig({ hyperparameters: config })).toBe(keccak(expected));
  });

  it('does not depend on key order or on defaults being written out', () => {
    const reversed = Object.fromEntries(Object.entries(tiny).reverse());
    expect(hashRunConfig({ hyperparameters: parseHyperparameters(reversed) })).toBe(
      hashRunConfig({ hyperparameters: tiny }),
    );
    expect(hashRunConfig({ hyperparameters: parseHyperparameters({}) })).toBe(
      hashRunConfig({ hyperparameters: tiny }),
    );
  });

  it('changes when any field changes', () => {
    const base = hashRunConfig({ hyperparameters: tiny });
    const changed = {
      runSeed: `0x${'11'.repeat(32)}`,
      modelPreset: 'small',
      blocksPerWindow: 11,
      windowsPerEpoch: 7,
      deadlineGraceBlocks: 3,
      innerSteps: 9,
      innerLearningRate: 0.004,
      weightDecay: 0.02,
      outerLearningRate: 0.5,
      scoreStepScale: 0.25,
      batchSize: 4,
      pagesPerWindow: 5,
      pageTokens: 32,
      shards: 2,
      chunkSize: 512,
      topK: 32,
      quantBits: 2,
      maxUpdateBytes: 1 << 20,
      aggregationSize: 4,
      checkpointEveryWindows: 5,
      scoreEmaAlpha: 0.5,
      weightPower: 2,
      proofMargin: 2,
      copyCosine: 0.5,
      scoreNormFraction: 0.8,
      normTolerance: 2,
      maxRelativeScore: 4,
      heldOutPages: 2,
      evalPages: 4,
      dataset: { manifest: `0x${'cd'.repeat(32)}` },
    } satisfies Record<string, unknown>;
    // Every field of the schema is covered.
    expect(Object.keys(changed).sort()).toEqual([...Object.keys(tiny), 'dataset'].sort());
    const hashes = new Set([base]);
    for (const [field, value] of Object.entries(changed)) {
      hashes.add(hashRunConfig({ hyperparameters: parseHyperparameters({ ...tiny, [field]: value }) }));
    }
    expect(hashes.size).toBe(Object.keys(changed).length + 1);
  });
});

describe('checkRunConfigHash', () => {
  const recorded = hashRunConfig({ hyperparameters: tiny });

  it('passes the recorded config, and anything when the chain records none', () => {
    expect(checkRunConfigHash({ hyperparameters: tiny, recorded })).toBe(recorded);
    const other = parseHyperparameters({ innerSteps: 3 });
    expect(checkRunConfigHash({ hyperparameters: other, recorded: undefined })).toBe(
      hashRunConfig({ hyperparameters: other }),
    );
    expect(
      checkRunConfigHash({
        hyperparameters: tiny,
        recorded: recorded.toUpperCase().replace('0X', '0x') as `0x${string}`,
      }),
    ).toBe(recorded);
  });

  it('refuses another config with both hashes, naming the fields when the reference matches', () => {
    const local = parseHyperparameters({ runSeed: `0x${'22'.repeat(32)}`, innerSteps: 3 });
    let error: unknown;
    try {
      checkRunConfigHash({ hyperparameters: local, recorded, reference: tiny, source: 'deployment.json' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RunConfigMismatchError);
    const mismatch = error as RunConfigMismatchError;
    expect(mismatch.run).toBe(hashRunConfig({ hyperparameters: local }));
    expect(mismatch.chain).toBe(recorded);
    expect(mismatch.differences.map((d) => d.field)).toEqual(['innerSteps', 'runSeed']);
    expect(mismatch.message).toContain(recorded);
    expect(mismatch.message).toContain('innerSteps: 3 in the run config, 8');

    // A reference whose hash is not the recorded one names no field: it is not the subnet's.
    expect(() =>
      checkRunConfigHash({
        hyperparameters: local,
        recorded,
        reference: parseHyperparameters({ innerSteps: 4 }),
      }),
    ).toThrow(expect.objectContaining({ differences: [] }));
  });
});
