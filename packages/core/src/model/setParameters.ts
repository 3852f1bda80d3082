import { ModelError } from '../errors/model.js';
import type { Model } from './createModel.js';
import { assertLiveModel } from './createModel.js';
import { tf } from './tfjs.js';

/** Parameters of {@link setParameters}. */
export type SetParametersParameters = {
  model: Model;
  /** A flat vector in the order of `parameterLayout`, `model.parameterCount` long. */
  parameters: Float32Array;
};

/**
 * Overwrites every model parameter from a flat vector (an aggregate applied on the host, a
 * checkpoint, a candidate update under evaluation).
 *
 * @throws ModelError `parameter-mismatch` when the length is wrong (nothing is changed);
 *   `disposed`.
 * @example
 * setParameters({ model, parameters: loadedCheckpoint.parameters });
 */
export function setParameters(parameters: SetParametersParameters): void {
  const { model, parameters: flat } = parameters;
  assertLiveModel(model);
  if (!(flat instanceof Float32Array) || flat.length !== model.parameterCount) {
    throw new ModelError('parameter-mismatch', 'Parameter vector has the wrong length for this model.', {
      details: `${flat instanceof Float32Array ? flat.length : typeof flat} values given, model "${model.config.name}" has ${model.parameterCount}`,
    });
  }
  model.layout.forEach((spec, i) => {
    tf.tidy(() => {
      const values = flat.subarray(spec.offset, spec.offset + spec.size);
      (model.variables[i] as tf.Variable).assign(tf.tensor(values, [...spec.shape], 'float32'));
    });
  });
}
