import { Type } from '@sinclair/typebox';
import {
  backendFields,
  chainConnectionFields,
  hotkeyFields,
  logFields,
  readerFields,
  runFields,
  storeFields,
} from '@tessera/core';
import type { OptionsOf } from '@tessera/core';

/**
 * The options only the miner takes, for `tessera miner`. Spread them next to the CLI's
 * connection fields, or use {@link minerOptionsSchema}, which carries both.
 */
export const minerOptionFields = {
  /** `--run`, `--cache-dir` and `--dataset-mirrors`: the run, and where its training data is kept and found. */
  ...runFields(),
  ...storeFields({ defaultDir: '.tessera/updates' }),
  /**
   * How the URIs of checkpoints and aggregate members (other miners' updates) are read:
   * `--read-file-uris`, `--no-block-private-addresses`.
   */
  ...readerFields(),
  /** Folder for the error-feedback buffers; keep it across restarts. @default '.tessera/miner' */
  stateDir: Type.String({
    description: 'Folder for the error-feedback buffers; keep it across restarts.',
    default: '.tessera/miner',
    placeholder: 'path',
  }),
  /** Skip a window with this many blocks or fewer left before its deadline. @default 2 */
  marginBlocks: Type.Integer({
    description: 'Skip a window when this many blocks or fewer are left before its deadline.',
    default: 2,
    minimum: 0,
  }),
  /** `--backend`: the TensorFlow.js backend to try first; `TESSERA_BACKEND` overrides it. */
  ...backendFields(),
  /** Port of the Prometheus endpoint; 0 turns it off. @default 9464 */
  metricsPort: Type.Integer({
    description: 'Port of the Prometheus /metrics endpoint; 0 turns it off.',
    default: 9464,
    minimum: 0,
    maximum: 65535,
  }),
  /** Interface of the Prometheus endpoint. @default '127.0.0.1' */
  metricsHost: Type.String({
    description: 'Interface the Prometheus endpoint listens on.',
    default: '127.0.0.1',
    placeholder: 'host',
  }),
};

/**
 * The whole option schema of `tessera miner` for `buildOptions`: the chain connection
 * (`--chain evm|subtensor` with each chain's endpoint, `--netuid`), the hotkey (`--private-key` on
 * EVM, `--hotkey` on subtensor; no coldkey: it stays off the mining box), logging, and {@link minerOptionFields}.
 *
 * @example
 * const options = buildOptions({ schema: minerOptionsSchema, argv: process.argv.slice(3) });
 */
export const minerOptionsSchema = Type.Object({
  ...chainConnectionFields,
  ...hotkeyFields({ role: 'miner' }),
  ...logFields(),
  ...minerOptionFields,
});

/** The miner's options as `buildOptions({ schema: minerOptionsSchema })` returns them. */
export type MinerOptions = OptionsOf<typeof minerOptionsSchema>;
