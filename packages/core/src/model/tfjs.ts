import * as tf from '@tensorflow/tfjs-core';

export { tf };

let gradients: Promise<void> | undefined;

/**
 * Registers the gradient of every TensorFlow.js op. tfjs-core's Node bundle registers none;
 * the `@tensorflow/tfjs` bundle does (tfjs-node loads that same bundle). It is imported
 * only when training needs it, because it takes about a second to load. Safe to call often.
 * @internal
 */
export function registerGradients(): Promise<void> {
  gradients ??= import('@tensorflow/tfjs').then(() => undefined);
  return gradients;
}
