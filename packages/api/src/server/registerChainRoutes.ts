import { Type } from '@sinclair/typebox';
import { epochOfWindow, parseSubstrateAddress, windowOfBlock } from '@tessera/core';
import type { ChainUnit as Unit, Metagraph, Neuron, SubnetChain } from '@tessera/core';
import { ApiError } from '../errors/api.js';
import { checksumAddress } from '../reader/checksumAddress.js';
import {
  ChainAccountRewards,
  ChainHealth,
  ChainNeuron,
  ChainNeuronList,
  ChainSubnet,
} from '../schemas/chainResponses.js';
import { NeuronRoleQuery, UidParam, WindowParam } from '../schemas/common.js';
import { NeuronWindowVerdict, WindowVerdictsInfo } from '../schemas/verdicts.js';
import { neuronVerdicts } from '../reader/createVerdictsReader.js';
import type { VerdictsReader } from '../reader/createVerdictsReader.js';
import { ErrorBody } from '../schemas/responses.js';
import type { ApiApp } from './apiApp.js';

const errors = { 400: ErrorBody, 404: ErrorBody, 429: ErrorBody, 503: ErrorBody };

/** `:address` on a chain: an EVM address, a Substrate public key, or SS58. */
const ChainAddressParam = Type.String({
  pattern: '^(0x[0-9a-fA-F]{40}|0x[0-9a-fA-F]{64}|[1-9A-HJ-NP-Za-km-z]{46,48})$',
  description: 'an account: SS58 or 0x + 64 hex on subtensor (0x + 40 hex on EVM)',
  examples: ['5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY'],
});

/** What the chain routes share. */
export type ChainRouteContext = {
  chain: SubnetChain;
  /** The unit of the chain's amounts. */
  unit: Unit;
  /** The subnet id on Bittensor, when the chain is subtensor. */
  netuid: number | undefined;
  /** The metagraph, read at most once per cache period. */
  metagraph(): Promise<Metagraph>;
  /** Reads the verdicts files beside the lead aggregates. */
  verdicts: VerdictsReader;
};

/** How many windows before the current one `/v1/neurons/{uid}` gives verdicts of. */
const neuronVerdictWindows = 5;

const ChainNeuronWithVerdicts = Type.Composite([
  ChainNeuron,
  Type.Object({
    recentVerdicts: Type.Array(NeuronWindowVerdict, {
      description: `The neuron's verdict in each of the ${neuronVerdictWindows} windows before the current one, newest first, from the lead aggregate's verdicts file.`,
    }),
  }),
]);

const ChainWindow = Type.Object({
  window: Type.Integer(),
  verdicts: WindowVerdictsInfo,
});

const roleOf = (n: Neuron) => (n.validatorPermit ? ('validator' as const) : ('miner' as const));

function toNeuron(n: Neuron): ChainNeuron {
  return {
    uid: n.uid,
    address: n.hotkey,
    role: roleOf(n),
    stake: n.stake.toString(),
    validatorPermit: n.validatorPermit,
    incentive: n.incentive,
    dividends: n.dividends,
    emission: n.emission === undefined ? null : n.emission.toString(),
    registrationBlock: n.registeredAt,
  };
}

async function parseAccount(chain: SubnetChain, raw: string): Promise<string> {
  try {
    if (/^0x[0-9a-fA-F]{40}$/.test(raw)) {
      if (chain.kind === 'subtensor') throw new Error('a 20-byte address names no Bittensor account');
      return checksumAddress(raw);
    }
    return await parseSubstrateAddress(raw);
  } catch (cause) {
    throw new ApiError('INVALID_ADDRESS', {
      message: `Path parameter 'address' is invalid: got "${raw}", which names no account on this chain (SS58 with a valid checksum, or 0x + 64 hex on subtensor).`,
      cause,
    });
  }
}

/**
 * Registers the routes a chain without Tessera's event index serves (subtensor), read from
 * chain storage through the SubnetChain: /v1/health, /v1/subnet, /v1/neurons,
 * /v1/neurons/:uid (with its verdicts of the last windows), /v1/windows/:window (its
 * published verdicts only) and /v1/accounts/:address/rewards. The same paths as on EVM, with
 * answers of their own shape (chainResponses.ts): no epochs or receipts, which need the index.
 *
 * @example
 * registerChainRoutes(app, { chain, unit: chainUnits.subtensor, netuid: 2, metagraph: () => chain.metagraph() });
 */
export function registerChainRoutes(app: ApiApp, context: ChainRouteContext): void {
  const { chain } = context;
  /** The window of `block`; -1 before the subnet's first block. */
  const currentWindow = async (block: number) => {
    const timing = await chain.timing();
    return block < timing.startBlock ? -1 : windowOfBlock({ block, ...timing });
  };

  app.get(
    '/v1/health',
    {
      schema: {
        tags: ['service'],
        summary: 'Can the API read the chain?',
        response: { 200: ChainHealth },
      },
      config: { cacheSeconds: 0 },
    },
    async () => {
      try {
        const headBlock = await chain.blockNumber();
        return { status: 'ok' as const, headBlock, chain: 'ok' as const };
      } catch {
        return { status: 'degraded' as const, headBlock: null, chain: 'unreachable' as const };
      }
    },
  );

  app.get(
    '/v1/subnet',
    {
      schema: {
        tags: ['subnet'],
        summary: 'The subnet: clock, unit and totals',
        description:
          "Tessera's window clock on the subnet, the current window and epoch, and totals over the metagraph: neurons, stake and the last tempo's emission.",
        response: { 200: ChainSubnet, ...errors },
      },
      config: { cacheSeconds: 2 },
    },
    async () => {
      const [timing, metagraph] = await Promise.all([chain.timing(), context.metagraph()]);
      const head = metagraph.block;
      const window = head < timing.startBlock ? -1 : windowOfBlock({ block: head, ...timing });
      const neurons = metagraph.neurons;
      const emissions = neurons.map((n) => n.emission);
      return {
        chain: chain.kind,
        subnetId: chain.subnetId,
        netuid: context.netuid ?? null,
        unit: { symbol: context.unit.symbol, decimals: context.unit.decimals, base: context.unit.base },
        timing,
        clock: {
          headBlock: head,
          currentWindow: window,
          currentEpoch: window < 0 ? -1 : epochOfWindow({ window, ...timing }),
        },
        totals: {
          neurons: neurons.length,
          validators: neurons.filter((n) => n.validatorPermit).length,
          miners: neurons.filter((n) => !n.validatorPermit).length,
          stake: neurons.reduce((sum, n) => sum + n.stake, 0n).toString(),
          emissionPerTempo:
            neurons.length > 0 && emissions.every((e) => e !== undefined)
              ? emissions.reduce<bigint>((sum, e) => sum + (e ?? 0n), 0n).toString()
              : null,
        },
      };
    },
  );

  app.get(
    '/v1/neurons',
    {
      schema: {
        tags: ['neurons'],
        summary: 'Registered neurons',
        description:
          'Every neuron of the metagraph, ascending by uid: stake, incentive, dividends, emission.',
        querystring: NeuronRoleQuery,
        response: { 200: ChainNeuronList, ...errors },
      },
      config: { cacheSeconds: 5 },
    },
    async (request) => {
      const metagraph = await context.metagraph();
      const neurons = [...metagraph.neurons]
        .sort((a, b) => a.uid - b.uid)
        .filter((n) => request.query.role === undefined || roleOf(n) === request.query.role)
        .map(toNeuron);
      return { asOfBlock: metagraph.block, count: neurons.length, neurons };
    },
  );

  app.get(
    '/v1/neurons/:uid',
    {
      schema: {
        tags: ['neurons'],
        summary: 'One neuron',
        params: Type.Object({ uid: UidParam }),
        response: { 200: ChainNeuronWithVerdicts, ...errors },
      },
      config: { cacheSeconds: 5 },
    },
    async (request) => {
      const { uid } = request.params;
      const metagraph = await context.metagraph();
      const neuron = metagraph.neurons.find((n) => n.uid === uid);
      if (!neuron) throw new ApiError('NEURON_NOT_FOUND', { message: `No neuron holds uid ${uid}.` });
      const current = await currentWindow(metagraph.block);
      const windows = [];
      for (let window = current - 1; window >= 0 && window >= current - neuronVerdictWindows; window--)
        windows.push(window);
      const recentVerdicts = await neuronVerdicts({
        verdicts: context.verdicts,
        uid,
        windows,
        aggregateOf: (window) => chain.aggregate({ window }),
      });
      return { ...toNeuron(neuron), recentVerdicts };
    },
  );

  app.get(
    '/v1/windows/:window',
    {
      schema: {
        tags: ['windows'],
        summary: "One window's verdicts",
        description:
          "The verdicts the lead aggregate's validator published for the window (per uid: verdict or reason, score, loss gain, whether aggregated). Commitments and checkpoints need the EVM index.",
        params: Type.Object({ window: WindowParam }),
        response: { 200: ChainWindow, ...errors },
      },
      config: { cacheSeconds: 5 },
    },
    async (request) => {
      const { window } = request.params;
      const current = await currentWindow(await chain.blockNumber());
      if (window > current) {
        throw new ApiError('WINDOW_NOT_STARTED', {
          message: `Window ${window} has not started; the current window is ${current}.`,
        });
      }
      return { window, verdicts: await context.verdicts.read(await chain.aggregate({ window })) };
    },
  );

  app.get(
    '/v1/accounts/:address/rewards',
    {
      schema: {
        tags: ['rewards'],
        summary: "An account's rewards",
        description:
          'The neuron the account is the hotkey of (stake, incentive, dividends, emission of the last tempo) and what the chain credits it. On subtensor emissions are staked to the hotkey every tempo, so `claimable` is that stake and nothing is claimed.',
        params: Type.Object({ address: ChainAddressParam }),
        response: { 200: ChainAccountRewards, ...errors },
      },
      config: { cacheSeconds: 5 },
    },
    async (request) => {
      const address = await parseAccount(chain, request.params.address);
      const [metagraph, rewards] = await Promise.all([
        context.metagraph(),
        chain.rewards({ address: address as `0x${string}` }),
      ]);
      const neuron = metagraph.neurons.find((n) => n.hotkey.toLowerCase() === address.toLowerCase());
      return {
        address,
        asOfBlock: metagraph.block,
        unit: { symbol: context.unit.symbol, decimals: context.unit.decimals, base: context.unit.base },
        neuron: neuron
          ? (({ address: _a, validatorPermit: _v, registrationBlock: _r, ...rest }) => rest)(toNeuron(neuron))
          : null,
        claimable: rewards.claimable.toString(),
        claimed: rewards.claimed.toString(),
      };
    },
  );
}
