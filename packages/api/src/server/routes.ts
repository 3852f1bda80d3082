import { Type } from '@sinclair/typebox';
import { windowOfBlock } from '@tessera/core';
import { checksumAddress } from '../reader/checksumAddress.js';
import { neuronVerdicts } from '../reader/createVerdictsReader.js';
import { ApiError } from '../errors/api.js';
import {
  AddressParam,
  EpochParam,
  NeuronRoleQuery,
  PageQuery,
  UidParam,
  WindowParam,
} from '../schemas/common.js';
import {
  AccountRewards,
  EpochDetail,
  EpochList,
  ErrorBody,
  Health,
  NeuronDetail,
  NeuronList,
  Receipt,
  Subnet,
  Window,
  WindowList,
} from '../schemas/responses.js';
import type { Window as WindowType } from '../schemas/responses.js';
import { NeuronWindowVerdict, WindowVerdictsInfo } from '../schemas/verdicts.js';
import type { ApiApp, RouteContext } from './apiApp.js';

/** How many of the latest windows with commitments `/v1/neurons/{uid}` gives verdicts of. */
export const neuronVerdictWindows = 5;

const WindowWithVerdicts = Type.Composite([Window, Type.Object({ verdicts: WindowVerdictsInfo })]);
const NeuronWithVerdicts = Type.Composite([
  NeuronDetail,
  Type.Object({
    recentVerdicts: Type.Array(NeuronWindowVerdict, {
      description: `The neuron's verdict in each of the ${neuronVerdictWindows} latest indexed windows, newest first.`,
    }),
  }),
]);

const errors = { 400: ErrorBody, 404: ErrorBody, 429: ErrorBody, 503: ErrorBody };

/** Blocks the index may lag the head before /v1/health says degraded. */
const maxHealthyLag = 100;

/**
 * Accepts an address in lower case, upper case, or mixed case with a valid EIP-55 checksum.
 *
 * @returns The checksummed address.
 * @throws ApiError INVALID_ADDRESS for a mixed-case address whose checksum is wrong.
 */
function parseAddress(raw: string): string {
  try {
    return checksumAddress(raw);
  } catch (cause) {
    throw new ApiError('INVALID_ADDRESS', {
      message: `Path parameter 'address' is invalid: got "${raw}", whose mixed-case EIP-55 checksum is wrong.`,
      cause,
    });
  }
}

/**
 * Registers every /v1 route on `app`: health, subnet, neurons, account rewards and receipts,
 * epochs and windows. The TypeBox schemas validate parameters and serialize answers, and are
 * what the OpenAPI document describes.
 *
 * @example
 * registerRoutes(app, { reader, headBlock, requireIndex, indexerStatus });
 */
export function registerRoutes(app: ApiApp, context: RouteContext): void {
  const { reader } = context;

  app.get(
    '/v1/health',
    {
      schema: {
        tags: ['service'],
        summary: 'Is the API serving a fresh index?',
        description: 'Redis answered (else 503), the indexed block, the chain head and the lag between them.',
        response: { 200: Health, 503: ErrorBody },
      },
      config: { cacheSeconds: 0 },
    },
    async () => {
      const [cursor, head] = await Promise.all([reader.cursor(), context.headBlock()]);
      const status = context.indexerStatus?.();
      const indexedBlock = cursor?.block ?? null;
      const lagBlocks =
        indexedBlock !== null && head.block !== null ? Math.max(0, head.block - indexedBlock) : null;
      const healthy =
        indexedBlock !== null &&
        status?.state !== 'failed' &&
        head.chain !== 'unreachable' &&
        (lagBlocks === null || lagBlocks <= maxHealthyLag);
      return {
        status: healthy ? ('ok' as const) : ('degraded' as const),
        indexedBlock,
        headBlock: head.block,
        lagBlocks,
        indexer: status ? { state: status.state, lastError: status.lastError } : null,
        chain: head.chain,
      };
    },
  );

  app.get(
    '/v1/subnet',
    {
      schema: {
        tags: ['subnet'],
        summary: 'Hyperparameters, clock and totals',
        description:
          "The deployment's hyperparameters and token, the current block, window and epoch, and totals from the index: tokens emitted, claimed, staked, native wei burned, and registered neurons.",
        response: { 200: Subnet, ...errors },
      },
      config: { cacheSeconds: 2 },
    },
    async () => reader.subnet({ headBlock: (await context.headBlock()).block }),
  );

  app.get(
    '/v1/neurons',
    {
      schema: {
        tags: ['neurons'],
        summary: 'Registered neurons',
        description: 'Every registered miner and validator, ascending by uid.',
        querystring: NeuronRoleQuery,
        response: { 200: NeuronList, ...errors },
      },
      config: { cacheSeconds: 5 },
    },
    async (request) => {
      await context.requireIndex();
      return reader.neurons({ role: request.query.role });
    },
  );

  app.get(
    '/v1/neurons/:uid',
    {
      schema: {
        tags: ['neurons'],
        summary: 'One neuron',
        description:
          "A neuron's address, role, stake, incentive, dividends, last commitment and (validators) weights.",
        params: Type.Object({ uid: UidParam }),
        response: { 200: NeuronWithVerdicts, ...errors },
      },
      config: { cacheSeconds: 5 },
    },
    async (request) => {
      const indexedBlock = await context.requireIndex();
      const { uid } = request.params;
      const neuron = await reader.neuron({ uid });
      if (!neuron) throw new ApiError('NEURON_NOT_FOUND', { message: `No neuron holds uid ${uid}.` });
      const { windows } = await reader.windows({ limit: neuronVerdictWindows });
      const recentVerdicts = await neuronVerdicts({
        verdicts: context.verdicts,
        uid,
        windows: windows.map(({ window }) => window),
        aggregateOf: async (window) => selectedAggregate(await reader.window({ window, indexedBlock })),
      });
      return { ...neuron, recentVerdicts };
    },
  );

  app.get(
    '/v1/accounts/:address/rewards',
    {
      schema: {
        tags: ['rewards'],
        summary: "An account's rewards",
        description:
          'What claim() would pay now, everything earned and claimed, earned by kind, staking positions with their pending rewards, the latest claims, and a page of per-epoch payouts (newest first; pass nextBefore as before for the next page).',
        params: Type.Object({ address: AddressParam }),
        querystring: PageQuery,
        response: { 200: AccountRewards, ...errors },
      },
      config: { cacheSeconds: 5 },
    },
    async (request) => {
      await context.requireIndex();
      const address = parseAddress(request.params.address);
      return reader.accountRewards({ address, limit: request.query.limit, before: request.query.before });
    },
  );

  app.get(
    '/v1/accounts/:address/receipts/:epoch',
    {
      schema: {
        tags: ['rewards'],
        summary: "A receipt of an account's payouts in one epoch",
        description:
          'For each payout: the settleEpoch transaction, the weights and stakes it came from, and checks that recompute it (consensus, rank, incentive, amount; take; staking share; owner remainder).',
        params: Type.Object({ address: AddressParam, epoch: EpochParam }),
        response: { 200: Receipt, ...errors },
      },
      config: { cacheSeconds: 300 },
    },
    async (request) => {
      await context.requireIndex();
      const address = parseAddress(request.params.address);
      const { epoch } = request.params;
      const result = await reader.receipt({ address, epoch });
      if (result.found) return result.receipt;
      if (result.reason === 'epoch') {
        throw new ApiError('EPOCH_NOT_FOUND', {
          message: `Epoch ${epoch} is not settled or not indexed yet.`,
        });
      }
      throw new ApiError('RECEIPT_NOT_FOUND', { message: `${address} received nothing in epoch ${epoch}.` });
    },
  );

  app.get(
    '/v1/epochs',
    {
      schema: {
        tags: ['epochs'],
        summary: 'Settled epochs',
        description: 'A page of settled epochs, newest first, with their emission split.',
        querystring: PageQuery,
        response: { 200: EpochList, ...errors },
      },
      config: { cacheSeconds: 5 },
    },
    async (request) => {
      await context.requireIndex();
      return reader.epochs({ limit: request.query.limit, before: request.query.before });
    },
  );

  app.get(
    '/v1/epochs/:epoch',
    {
      schema: {
        tags: ['epochs'],
        summary: 'One settled epoch',
        description:
          "The emission split, every miner's payout, every active validator's payout with the weights it set, and whether the settlement reference replayed on the index agrees.",
        params: Type.Object({ epoch: EpochParam }),
        response: { 200: EpochDetail, ...errors },
      },
      config: { cacheSeconds: 300 },
    },
    async (request) => {
      await context.requireIndex();
      const epoch = await reader.epoch({ epoch: request.params.epoch });
      if (!epoch) {
        throw new ApiError('EPOCH_NOT_FOUND', {
          message: `Epoch ${request.params.epoch} is not settled or not indexed yet.`,
        });
      }
      return epoch;
    },
  );

  app.get(
    '/v1/windows',
    {
      schema: {
        tags: ['windows'],
        summary: 'Windows with activity',
        description: 'A page of windows that saw commitments, newest first, with counts and held-out loss.',
        querystring: PageQuery,
        response: { 200: WindowList, ...errors },
      },
      config: { cacheSeconds: 5 },
    },
    async (request) => {
      await context.requireIndex();
      return reader.windows({ limit: request.query.limit, before: request.query.before });
    },
  );

  app.get(
    '/v1/windows/:window',
    {
      schema: {
        tags: ['windows'],
        summary: 'One window',
        description:
          'Commitments, the aggregates validators published (the one to follow marked), checkpoints, and the held-out loss the validator reported.',
        params: Type.Object({ window: WindowParam }),
        response: { 200: WindowWithVerdicts, ...errors },
      },
      config: { cacheSeconds: 5 },
    },
    async (request) => {
      const indexedBlock = await context.requireIndex();
      const { window } = request.params;
      const { params } = context.deployment;
      const head = (await context.headBlock()).block ?? indexedBlock;
      const current = head < params.startBlock ? -1 : windowOfBlock({ block: head, ...params });
      if (window > current) {
        throw new ApiError('WINDOW_NOT_STARTED', {
          message: `Window ${window} has not started; the current window is ${current}.`,
        });
      }
      const found = await reader.window({ window, indexedBlock });
      return { ...found, verdicts: await context.verdicts.read(selectedAggregate(found)) };
    },
  );
}

/** The aggregate the index marks as the one to follow, as the verdicts file is checked against. */
function selectedAggregate(window: WindowType) {
  const chosen = window.aggregates.find((a) => a.selected);
  if (chosen === undefined) return undefined;
  return {
    window: window.window,
    uids: chosen.uids,
    modelHash: chosen.aggregateHash as `0x${string}`,
    validator: chosen.validator as `0x${string}`,
    uri: chosen.uri,
  };
}
