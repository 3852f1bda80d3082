import { ModelError } from '../errors/model.js';
import { initParameters } from './initParameters.js';
import type { ModelConfig } from './modelConfig.js';
import { parseModelConfig } from './modelConfig.js';
import { parameterLayout } from './parameterLayout.js';
import type { ParameterSpec } from './parameterLayout.js';
import { tf } from './tfjs.js';

/** A language model living on the active TensorFlow.js backend. */
export type Model = {
  readonly config: ModelConfig;
  /** Parameter specs in the fixed order of {@link parameterLayout}. */
  readonly layout: readonly ParameterSpec[];
  /** One trainable variable per spec, in the same order. */
  readonly variables: readonly tf.Variable[];
  /** Length of the flat parameter vector. */
  readonly parameterCount: number;
  /** True once {@link Model.dispose} ran. */
  readonly disposed: boolean;
  /** Frees the variables; the model cannot be used afterwards. */
  dispose(): void;
};

/** Parameters of {@link createModel}. */
export type CreateModelParameters = {
  config: ModelConfig;
} & (
  | {
      /** Seed of θ_0 (see {@link initParameters}). */
      seed: bigint | number;
      parameters?: undefined;
    }
  | {
      seed?: undefined;
      /** Start from these parameters (a checkpoint, an aggregate) instead of a seed. */
      parameters: Float32Array;
    }
);

let modelCount = 0;

/**
 * Creates a decoder-only transformer on the active backend (call `selectBackend` first),
 * its variables filled from a seed or from a flat parameter vector.
 *
 * @returns The model; call `dispose()` when done with it.
 * @throws ModelError `invalid-config` for a bad config; `parameter-mismatch` when
 *   `parameters` has the wrong length.
 * @example
 * await selectBackend({ logger });
 * const model = createModel({ config: modelPresets.tiny, seed: 1n });
 */
export function createModel(parameters: CreateModelParameters): Model {
  const config = parseModelConfig({ config: parameters.config });
  const layout = parameterLayout({ config });
  const last = layout[layout.length - 1];
  const count = last === undefined ? 0 : last.offset + last.size;
  const flat =
    parameters.parameters === undefined
      ? initParameters({ config, seed: parameters.seed })
      : parameters.parameters;
  if (flat.length !== count) {
    throw new ModelError('parameter-mismatch', 'Parameter vector has the wrong length for this config.', {
      details: `${flat.length} values given, config "${config.name}" has ${count}`,
    });
  }
  // Variable names are global to the TensorFlow.js engine, so each model gets its own prefix.
  const prefix = `tessera.${modelCount++}`;
  const variables = layout.map((spec) =>
    tf.tidy(() =>
      tf.variable(
        tf.tensor(flat.slice(spec.offset, spec.offset + spec.size), [...spec.shape], 'float32'),
        true,
        `${prefix}/${spec.name}`,
      ),
    ),
  );
  let disposed = false;
  return {
    config,
    layout,
    variables,
    parameterCount: count,
    get disposed() {
      return disposed;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const variable of variables) variable.dispose();
    },
  };
}

/**
 * Throws unless the model is still alive; every model operation calls it first.
 * @internal
 */
export function assertLiveModel(model: Model): void {
  if (model.disposed) throw new ModelError('disposed', 'The model was disposed.');
}
