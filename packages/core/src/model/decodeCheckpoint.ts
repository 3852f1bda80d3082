import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { CheckpointError } from '../errors/model.js';
import { checkpointMagic, checkpointVersion, maxCheckpointHeaderBytes, align4 } from './encodeCheckpoint.js';
import type { CheckpointHeader } from './encodeCheckpoint.js';
import type { ModelConfig } from './modelConfig.js';
import { ModelConfigSchema, parseModelConfig } from './modelConfig.js';
import { float32FromLittleEndianBytes, modelHash } from './modelHash.js';
import { parameterCount } from './parameterLayout.js';

/** A decoded, verified checkpoint. */
export type LoadedCheckpoint = CheckpointHeader & {
  /** The flat parameter vector (a fresh copy, safe to keep). */
  parameters: Float32Array;
};

/** What the caller expects a checkpoint to be; any field left out is not checked. */
export type CheckpointExpectation = {
  /** Every field must match. */
  config?: ModelConfig | undefined;
  window?: number | undefined;
  /** The hash committed on chain for this checkpoint's model. */
  modelHash?: string | undefined;
};

/** Parameters of {@link decodeCheckpoint}. */
export type DecodeCheckpointParameters = {
  bytes: Uint8Array;
  expected?: CheckpointExpectation | undefined;
  /** Named in errors. */
  path?: string | undefined;
};

const HeaderSchema = Type.Object(
  {
    config: ModelConfigSchema,
    window: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    parameterCount: Type.Integer({ minimum: 0 }),
    modelHash: Type.String({ pattern: '^0x[0-9a-f]{64}$' }),
  },
  { additionalProperties: false },
);

/**
 * Decodes and verifies checkpoint bytes (layout in `encodeCheckpoint`): magic, version,
 * header schema and config, parameter count against the config, exact length, zero padding,
 * the parameters' hash against the header, then the caller's expectations.
 *
 * @returns The header fields and the parameters.
 * @throws CheckpointError `bad-magic`, `bad-version`, `truncated`, `bad-header`,
 *   `length-mismatch`, `hash-mismatch` or `unexpected`.
 * @example
 * const checkpoint = decodeCheckpoint({ bytes, expected: { modelHash: committedHash } });
 */
export function decodeCheckpoint(parameters: DecodeCheckpointParameters): LoadedCheckpoint {
  const { bytes, expected, path } = parameters;
  const fail = (
    reason: ConstructorParameters<typeof CheckpointError>[0],
    message: string,
    details?: string,
  ) => {
    throw new CheckpointError(reason, message, { details, path });
  };
  if (!(bytes instanceof Uint8Array))
    return fail('invalid-parameter', 'Checkpoint bytes must be a Uint8Array.');
  if (bytes.length < 16)
    fail('truncated', 'Checkpoint is shorter than its fixed prefix.', `${bytes.length} bytes`);
  if (!checkpointMagic.every((byte, i) => bytes[i] === byte)) fail('bad-magic', 'Not a Tessera checkpoint.');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== checkpointVersion) {
    fail(
      'bad-version',
      'Unsupported checkpoint version.',
      `version ${version}, this code reads ${checkpointVersion}`,
    );
  }
  const headerLength = view.getUint32(12, true);
  if (headerLength > maxCheckpointHeaderBytes) {
    fail(
      'bad-header',
      'Checkpoint header is too large.',
      `${headerLength} > ${maxCheckpointHeaderBytes} bytes`,
    );
  }
  if (16 + headerLength > bytes.length) {
    fail(
      'truncated',
      'Checkpoint ends inside its header.',
      `${bytes.length} bytes, header needs ${16 + headerLength}`,
    );
  }

  let header: CheckpointHeader;
  try {
    const json: unknown = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(16, 16 + headerLength)),
    );
    if (!Value.Check(HeaderSchema, json)) {
      const first = Value.Errors(HeaderSchema, json).First();
      throw new Error(first ? `${first.path || '(root)'}: ${first.message}` : 'schema mismatch');
    }
    header = {
      ...json,
      config: parseModelConfig({ config: json.config }),
      modelHash: json.modelHash as `0x${string}`,
    };
  } catch (error) {
    throw new CheckpointError('bad-header', 'Checkpoint header is malformed.', {
      details: error instanceof Error ? error.message.split('\n')[0] : String(error),
      path,
      cause: error,
    });
  }

  const count = parameterCount({ config: header.config });
  if (header.parameterCount !== count) {
    fail(
      'length-mismatch',
      'Checkpoint parameter count disagrees with its config.',
      `${header.parameterCount} != ${count}`,
    );
  }
  const dataStart = align4(16 + headerLength);
  if (bytes.subarray(16 + headerLength, Math.min(dataStart, bytes.length)).some((byte) => byte !== 0)) {
    fail('bad-header', 'Checkpoint padding is not zero.');
  }
  const expectedLength = dataStart + count * 4;
  if (bytes.length < expectedLength) {
    fail(
      'truncated',
      'Checkpoint ends inside its parameters.',
      `${bytes.length} bytes, expected ${expectedLength}`,
    );
  }
  if (bytes.length > expectedLength) {
    fail(
      'length-mismatch',
      'Checkpoint has bytes after its parameters.',
      `${bytes.length} bytes, expected ${expectedLength}`,
    );
  }

  const flat = float32FromLittleEndianBytes(bytes.subarray(dataStart, expectedLength));
  const hash = modelHash({ parameters: flat });
  if (hash !== header.modelHash) {
    fail(
      'hash-mismatch',
      'Checkpoint parameters do not match the hash in its header.',
      `${hash} != ${header.modelHash}`,
    );
  }

  if (expected?.config !== undefined) {
    const differing = Object.keys(ModelConfigSchema.properties).filter(
      (key) => header.config[key as keyof ModelConfig] !== expected.config?.[key as keyof ModelConfig],
    );
    if (differing.length > 0) {
      fail('unexpected', 'Checkpoint is for another model config.', `differs in: ${differing.join(', ')}`);
    }
  }
  if (expected?.window !== undefined && header.window !== expected.window) {
    fail(
      'unexpected',
      'Checkpoint is for another window.',
      `window ${header.window}, expected ${expected.window}`,
    );
  }
  if (expected?.modelHash !== undefined && header.modelHash !== expected.modelHash.toLowerCase()) {
    fail(
      'unexpected',
      'Checkpoint holds another model.',
      `modelHash ${header.modelHash}, expected ${expected.modelHash}`,
    );
  }
  return { ...header, parameters: flat };
}
