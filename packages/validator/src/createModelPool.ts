import { createModel } from '@tessera/core';
import type { Model, ModelConfig } from '@tessera/core';
import { ValidatorError } from './errors/validator.js';

/** Parameters of {@link createModelPool}. */
export type CreateModelPoolParameters = {
  modelConfig: ModelConfig;
  /** Models at most; each is made at first need. */
  size: number;
  /** Makes one model; tests swap it. @default createModel({ config: modelConfig, seed: 0n }) */
  create?: (() => Model) | undefined;
};

/** A bounded set of models lent out one job at a time; see {@link createModelPool}. */
export type ModelPool = {
  /** Lends `run` a model of its own (waiting, first come first served, while all are lent) and takes it back. */
  use<T>(run: (model: Model) => Promise<T>): Promise<T>;
  /** Models lent out now. */
  readonly busy: number;
  /** Jobs waiting for a model now. */
  readonly waiting: number;
  /** Frees every model; call it once no job uses the pool any more. */
  dispose(): void;
};

/**
 * The models of an evaluation worker: `size` of them at most, lent to one evaluation at a
 * time (an evaluation overwrites its model's parameters). Jobs hold one only to evaluate, not
 * while their update downloads, so a slow download never keeps a model from another job.
 *
 * @example
 * const models = createModelPool({ modelConfig, size: 1 });
 * const result = await models.use((model) => evaluateUpdate({ model, ... }));
 */
export function createModelPool(parameters: CreateModelPoolParameters): ModelPool {
  const { modelConfig, size } = parameters;
  if (!Number.isSafeInteger(size) || size < 1) {
    throw new ValidatorError('invalid-parameter', 'A model pool holds at least one model.', {
      details: `got ${size}`,
    });
  }
  const create = parameters.create ?? (() => createModel({ config: modelConfig, seed: 0n }));
  const all: Model[] = [];
  const idle: Model[] = [];
  const queue: ((model: Model) => void)[] = [];
  let busy = 0;

  const borrow = (): Promise<Model> => {
    const model = idle.pop() ?? (all.length < size ? create() : undefined);
    if (model === undefined) return new Promise((resolve) => queue.push(resolve));
    if (!all.includes(model)) all.push(model);
    return Promise.resolve(model);
  };
  const giveBack = (model: Model) => {
    const next = queue.shift();
    if (next) next(model);
    else idle.push(model);
  };

  return {
    async use(run) {
      const model = await borrow();
      busy++;
      try {
        return await run(model);
      } finally {
        busy--;
        giveBack(model);
      }
    },
    get busy() {
      return busy;
    },
    get waiting() {
      return queue.length;
    },
    dispose() {
      for (const model of all) model.dispose();
      all.length = 0;
      idle.length = 0;
    },
  };
}
