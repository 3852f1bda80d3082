import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { Logger } from '../common/logger.js';
import { ModelError } from '../errors/model.js';
import { registerGradients, tf } from './tfjs.js';

/**
 * A TensorFlow.js backend Tessera can run on, best first:
 * - `node-gpu`: `@tensorflow/tfjs-node-gpu`, libtensorflow with CUDA;
 * - `node`: `@tensorflow/tfjs-node`, libtensorflow on the CPU, all cores;
 * - `wasm`: `@tensorflow/tfjs-backend-wasm`, XNNPACK kernels with SIMD;
 * - `cpu`: `@tensorflow/tfjs-backend-cpu`, plain JavaScript.
 */
export type BackendName = 'node-gpu' | 'node' | 'wasm' | 'cpu';

/** Every backend, best first: the order {@link selectBackend} tries them in. */
export const backendOrder: readonly BackendName[] = Object.freeze(['node-gpu', 'node', 'wasm', 'cpu']);

/** Parameters of {@link selectBackend}. */
export type SelectBackendParameters = {
  /**
   * Backend to run on. A named one must start (see `strict`); `auto` (or leaving it out)
   * tries them best first and takes the first that starts. The environment variable
   * `TESSERA_BACKEND` overrides it.
   * @default 'auto'
   */
  preferred?: BackendName | 'auto' | undefined;
  /**
   * When true, a named backend that does not start is an error naming it and its load error;
   * when false, the others are tried after it in the usual order. Ignored for `auto`.
   * @default true
   */
  strict?: boolean | undefined;
  /** Where the choice and every skipped backend are logged. */
  logger: Logger;
  /** @default process.env */
  env?: Record<string, string | undefined> | undefined;
};

/** What {@link selectBackend} chose and why the others were passed over. */
export type SelectedBackend = {
  name: BackendName;
  /** The name TensorFlow.js knows it by (`tensorflow`, `wasm`, `cpu`). */
  tfName: string;
  /** Threads the backend computes on, where it can be known. */
  threads: number | undefined;
  /** Backends tried before it, each with the reason it was skipped. */
  skipped: readonly { name: BackendName; reason: string }[];
};

const require = createRequire(import.meta.url);

const notInstalled = 'package not installed';

/** The package each backend loads. */
const packageOf: Readonly<Record<BackendName, string>> = Object.freeze({
  'node-gpu': '@tensorflow/tfjs-node-gpu',
  node: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
});

/**
 * Starts the TensorFlow.js backend asked for and makes it the active one.
 *
 * A named backend (`preferred`, or `TESSERA_BACKEND`, which overrides it) is the only one
 * tried: when it does not load, the error names it and says why, so asking for the GPU never
 * ends up on the CPU unnoticed. `auto` tries `node-gpu`, `node`, `wasm`, `cpu` in that order,
 * loading each with a dynamic import so a missing optional package is skipped with its reason
 * logged, and logs the one it took. In Node the wasm binaries load from the package's own
 * `dist` folder on disk. TensorFlow.js runs in production mode (no debug checks, no console
 * banners).
 *
 * @returns The chosen backend, its thread count and the skipped ones.
 * @throws ModelError `backend-unavailable` when a named backend does not start (unless
 *   `strict: false`) or, for `auto`, when none does; `invalid-parameter` for an unknown
 *   `TESSERA_BACKEND`.
 * @example
 * const backend = await selectBackend({ logger });
 * // INFO tensorflow.js backend selected backend=wasm threads=1 skipped=["node-gpu","node"]
 */
export async function selectBackend(parameters: SelectBackendParameters): Promise<SelectedBackend> {
  const { logger } = parameters;
  const env = parameters.env ?? process.env;
  const fromEnv = env.TESSERA_BACKEND?.trim();
  const preferred = fromEnv ? parseBackendName(fromEnv) : (parameters.preferred ?? 'auto');
  const order =
    preferred === 'auto'
      ? [...backendOrder]
      : [preferred, ...backendOrder.filter((name) => name !== preferred)];
  await registerGradients();
  tf.env().set('PROD', true);

  const skipped: { name: BackendName; reason: string }[] = [];
  for (const name of order) {
    try {
      const { tfName, threads } = await startBackend(name);
      logger.info('tensorflow.js backend selected', {
        backend: name,
        threads: threads ?? 'libtensorflow default',
        skipped: skipped.map((s) => s.name),
        ...(skipped.length > 0 ? { reasons: skipped.map((s) => `${s.name}: ${s.reason}`) } : {}),
        ...(fromEnv ? { from: 'TESSERA_BACKEND' } : {}),
      });
      return { name, tfName, threads, skipped };
    } catch (error) {
      const reason = describe(error);
      if ((parameters.strict ?? true) && preferred === name) {
        throw new ModelError(
          'backend-unavailable',
          `Backend "${name}" (${packageOf[name]}) did not load: ${reason}.`,
          {
            details: firstLineOf(error),
            hint: `${name === 'node-gpu' ? 'Install @tensorflow/tfjs-node-gpu and the CUDA and cuDNN libraries it links against' : `Install ${packageOf[name]}`}, or choose another backend with --backend (or TESSERA_BACKEND); auto takes the best one that loads.`,
            cause: error,
          },
        );
      }
      skipped.push({ name, reason });
      // A package that is installed but does not load (a broken CUDA setup) is worth a warning.
      const level = preferred === name || reason !== notInstalled ? 'warn' : 'debug';
      logger[level]('tensorflow.js backend skipped', { backend: name, reason });
    }
  }
  throw new ModelError('backend-unavailable', 'No TensorFlow.js backend could be started.', {
    metaMessages: skipped.map((s) => `  ${s.name}: ${s.reason}`),
  });
}

/**
 * Loads a backend's package, registers it, and makes it the active backend.
 *
 * @returns TensorFlow.js's name for it and its thread count (unknown for libtensorflow,
 *   which sizes its own pools from the cores it sees).
 */
async function startBackend(name: BackendName): Promise<{ tfName: string; threads: number | undefined }> {
  if (name === 'node-gpu' || name === 'node') {
    // A variable specifier keeps TypeScript from requiring the optional package at build time.
    const specifier = packageOf[name];
    await import(specifier);
    return { tfName: await activate('tensorflow'), threads: undefined };
  }
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`);
    const tfName = await activate('wasm');
    // Without worker threads (as in Node) XNNPACK runs on the calling thread only.
    const threaded = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
    return { tfName, threads: threaded ? wasm.getThreadsCount() : 1 };
  }
  await import('@tensorflow/tfjs-backend-cpu');
  return { tfName: await activate('cpu'), threads: 1 };
}

async function activate(tfName: string): Promise<string> {
  if (!(await tf.setBackend(tfName))) throw new Error(`tf.setBackend('${tfName}') returned false`);
  await tf.ready();
  return tfName;
}

function parseBackendName(value: string): BackendName | 'auto' {
  if (value === 'auto' || (backendOrder as readonly string[]).includes(value))
    return value as BackendName | 'auto';
  throw new ModelError('invalid-parameter', `Unknown backend "${value}" in TESSERA_BACKEND.`, {
    details: `Expected one of: auto, ${backendOrder.join(', ')}.`,
  });
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/Cannot find (module|package)|ERR_MODULE_NOT_FOUND/.test(message)) return notInstalled;
  return firstLineOf(error);
}

function firstLineOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? message).slice(0, 300);
}
