import type { Model } from './createModel.js';
import { assertLiveModel } from './createModel.js';

/** Parameters of {@link getParameters}. */
export type GetParametersParameters = {
  model: Model;
};

/**
 * Copies the model's parameters into one flat vector, in the fixed order of
 * `parameterLayout`: the vector `modelHash`, checkpoints and updates are computed on.
 *
 * @returns A fresh Float32Array of `model.parameterCount` values.
 * @throws ModelError `disposed`.
 * @example
 * const thetaW = getParameters({ model });
 * await trainInnerSteps({ model, batches, steps: 20, learningRate: 1e-3 });
 * const delta = thetaW.map((value, i) => value - local[i]);
 */
export function getParameters(parameters: GetParametersParameters): Float32Array {
  const { model } = parameters;
  assertLiveModel(model);
  const flat = new Float32Array(model.parameterCount);
  model.layout.forEach((spec, i) => {
    const values = model.variables[i]?.dataSync();
    if (values?.length !== spec.size) throw new Error(`variable ${spec.name} has the wrong size`);
    flat.set(values as Float32Array, spec.offset);
  });
  return flat;
}
