import { Type } from '@sinclair/typebox';

/**
 * Which TensorFlow.js backend a command runs on, to spread into its option schema; read by
 * `selectBackend`. Miners, validators, workers and `tessera sample` take the same one.
 *
 * @example
 * const schema = Type.Object({ ...runFields(), ...backendFields() });
 */
export function backendFields() {
  return {
    /** TensorFlow.js backend to try first; `TESSERA_BACKEND` overrides it. @default 'auto' */
    backend: Type.Union(
      [
        Type.Literal('auto'),
        Type.Literal('node-gpu'),
        Type.Literal('node'),
        Type.Literal('wasm'),
        Type.Literal('cpu'),
      ],
      { description: 'TensorFlow.js backend to try first (TESSERA_BACKEND overrides it).', default: 'auto' },
    ),
  };
}
