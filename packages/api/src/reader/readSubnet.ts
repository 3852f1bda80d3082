import { epochOfWindow, windowOfBlock } from '@tessera/core';
import type { Subnet } from '../schemas/responses.js';
import { parseCursor } from '../store/parseCursor.js';
import type { ReaderContext } from './readerContext.js';
import { parseTotals } from './toResponse.js';

/**
 * The subnet: hyperparameters, token, the clock at `headBlock` (window and epoch), and totals
 * from the index (emitted, claimed, staked, burned, neurons).
 *
 * @param parameters.headBlock The chain's head, or the indexed block when the chain is not read.
 * @example
 * const subnet = await readSubnet({ context, headBlock: await provider.getBlockNumber() });
 */
export async function readSubnet(parameters: {
  context: ReaderContext;
  headBlock: number | null;
}): Promise<Subnet> {
  const { redis, keys, deployment } = parameters.context;
  const [totalsHash, cursorHash] = await Promise.all([
    redis.hgetall(keys.totals),
    redis.hgetall(keys.cursor),
  ]);
  const totals = parseTotals(totalsHash);
  const cursor = parseCursor(cursorHash);
  const p = deployment.params;
  const head = parameters.headBlock ?? cursor?.block ?? deployment.deployBlock;
  const window = head < p.startBlock ? -1 : windowOfBlock({ block: head, ...p });
  return {
    subnet: deployment.subnet,
    chainId: deployment.chainId,
    deployBlock: deployment.deployBlock,
    token: {
      address: deployment.token,
      name: deployment.tokenInfo.name,
      symbol: deployment.tokenInfo.symbol,
      decimals: 18,
    },
    hyperparameters: {
      ...p,
      registrationBurn: p.registrationBurn.toString(),
      minValidatorStake: p.minValidatorStake.toString(),
      emissionPerEpoch: p.emissionPerEpoch.toString(),
    },
    clock: {
      headBlock: head,
      indexedBlock: cursor?.block ?? null,
      currentWindow: window,
      currentEpoch: window < 0 ? -1 : epochOfWindow({ window, ...p }),
      nextEpochToSettle: totals.nextEpoch,
    },
    totals: {
      emitted: totals.minted.toString(),
      minerTotal: totals.minerTotal.toString(),
      validatorTotal: totals.validatorTotal.toString(),
      ownerTotal: totals.ownerTotal.toString(),
      claimed: totals.claimed.toString(),
      staked: totals.staked.toString(),
      burned: totals.burned.toString(),
      epochsSettled: totals.nextEpoch,
      miners: totals.miners,
      validators: totals.validators,
      events: totals.events,
    },
  };
}
