import { Type } from '@sinclair/typebox';
import { chainConnectionFields, logFields } from '@tessera/core';
import type { OptionsOf } from '@tessera/core';

/**
 * Options of `tessera api`, for core's buildOptions (flags, TESSERA_* environment, config
 * file, defaults). Every field carries its help text and default. `--chain` picks what is
 * served: on `evm` (default) the event index in Redis; on `subtensor` (with `--ws` and
 * `--netuid`) chain storage, read live, so Redis and the indexer options are not used.
 *
 * @example
 * const options = buildOptions({ schema: apiOptionsSchema, argv: process.argv.slice(3) });
 * const api = await startApi({ common: { options, logger, metrics, shutdown } });
 */
export const apiOptionsSchema = Type.Object({
  ...chainConnectionFields,
  /** Redis holding the index. @default 'redis://127.0.0.1:6379' */
  redisUrl: Type.String({
    description:
      'Redis holding the index (shared with other API processes; the validator writes held-out loss there); --chain evm only.',
    default: 'redis://127.0.0.1:6379',
    placeholder: 'url',
  }),
  /** Interface to listen on. @default '127.0.0.1' */
  host: Type.String({
    description: 'Interface to listen on; 0.0.0.0 for every interface.',
    default: '127.0.0.1',
  }),
  /** Port to listen on; 0 picks a free one. @default 8787 */
  port: Type.Integer({
    description: 'Port to listen on; 0 picks a free one.',
    minimum: 0,
    maximum: 65535,
    default: 8787,
  }),
  /** Blocks on top of a block before it is indexed. @default 2 */
  confirmations: Type.Integer({
    description:
      'Blocks a block needs on top of it before its events are indexed; reorgs shallower than this never reach the index.',
    minimum: 0,
    maximum: 10_000,
    default: 2,
  }),
  /** Most blocks read and committed at once. @default 2000 */
  batchBlocks: Type.Integer({
    description:
      'Most blocks read with one eth_getLogs and committed at once (halved automatically when the node refuses).',
    minimum: 1,
    maximum: 1_000_000,
    default: 2000,
  }),
  /** Pause between indexer passes once caught up, in milliseconds. @default 2000 */
  pollIntervalMs: Type.Integer({
    description: 'Pause between indexer passes once caught up, in milliseconds.',
    minimum: 0,
    maximum: 600_000,
    default: 2000,
  }),
  /** Run the indexer in this process. @default true */
  index: Type.Boolean({
    description:
      'Run the indexer in this process; turn off for extra read-only API processes sharing one index.',
    default: true,
  }),
  /** Requests per minute per client IP; 0 turns rate limiting off. @default 600 */
  rateLimit: Type.Integer({
    description: 'Requests per minute per client IP; 0 turns rate limiting off.',
    minimum: 0,
    maximum: 1_000_000,
    default: 600,
  }),
  /** Origins allowed to call the API from a browser. @default ['*'] */
  corsOrigin: Type.Array(Type.String(), {
    description: "Origins allowed to call the API from a browser; '*' for any.",
    default: ['*'],
    placeholder: 'origins',
  }),
  /** Take client IPs from X-Forwarded-For. @default false */
  trustProxy: Type.Boolean({
    description: 'Take client IPs (for rate limiting) from X-Forwarded-For; only behind a reverse proxy.',
    default: false,
  }),
  /**
   * Read verdicts files on loopback, private, link-local or unique-local addresses. Off, a
   * validator's published URI cannot point a public API at its own network; turn on for a
   * devnet or a subnet whose hosts share a private network. @default false
   */
  verdictsPrivateAddresses: Type.Boolean({
    description:
      'Read the verdicts files beside the aggregates from loopback or private addresses (a devnet, or a subnet on one private network); off for a public API.',
    default: false,
  }),
  /**
   * Read verdicts files from `file://` URIs anywhere on this machine: right only when every
   * validator runs on it (a devnet). @default false
   */
  verdictsFileUris: Type.Boolean({
    description:
      'Read the verdicts files beside the aggregates from file:// URIs on this machine (every validator on it, as in a devnet).',
    default: false,
  }),
  ...logFields(),
});

/** The options of `tessera api`, validated and frozen by buildOptions. */
export type ApiOptions = OptionsOf<typeof apiOptionsSchema>;
