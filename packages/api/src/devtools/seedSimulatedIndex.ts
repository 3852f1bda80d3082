import type { Deployment } from '@tessera/contracts';
import { evmSubnetId } from '@tessera/core';
import { id } from 'ethers';
import type { Redis } from 'ioredis';
import { applySubnetEvents } from '../indexer/applySubnetEvents.js';
import { createIndexWriter } from '../store/createIndexWriter.js';
import { indexFormatVersion, indexKeys } from '../store/indexKeys.js';
import type { SimulatedSubnet } from './simulateSubnetEvents.js';

/**
 * Writes a simulated subnet into Redis exactly as the indexer would (same applier, same
 * commits by block range, made-up block hashes), and the held-out loss per window where the
 * validator writes it.
 *
 * @returns How many events were indexed and the last block committed.
 * @example
 * const simulation = simulateSubnetEvents({ subnet: deployment.subnet, params: deployment.params, ... });
 * await seedSimulatedIndex({ redis, deployment, simulation });
 */
export async function seedSimulatedIndex(parameters: {
  redis: Redis;
  deployment: Deployment;
  simulation: SimulatedSubnet;
  /** Blocks per commit. @default 100 */
  batchBlocks?: number | undefined;
}): Promise<{ events: number; toBlock: number }> {
  const { redis, deployment, simulation } = parameters;
  const batchBlocks = parameters.batchBlocks ?? 100;
  const writer = createIndexWriter({ redis, subnet: deployment.subnet });
  const keys = indexKeys({ subnet: deployment.subnet, subnetId: evmSubnetId(deployment) });
  await redis.hset(keys.meta, {
    version: String(indexFormatVersion),
    subnet: deployment.subnet,
    chainId: String(deployment.chainId),
    deployBlock: String(deployment.deployBlock),
  });
  const events = simulation.events;
  let at = 0;
  let from = deployment.deployBlock;
  while (from <= simulation.lastBlock) {
    const to = Math.min(from + batchBlocks - 1, simulation.lastBlock);
    const batch = [];
    while (at < events.length && events[at]!.blockNumber <= to) batch.push(events[at++]!);
    await applySubnetEvents({ writer, params: deployment.params, events: batch });
    await writer.commit({ block: to, hash: id(`simulated-block-${to}`) });
    from = to + 1;
  }
  const pipeline = redis.pipeline();
  for (const [window, loss] of simulation.heldOutLoss) {
    pipeline.hset(keys.windowMetrics(window), 'heldOutLoss', loss.toFixed(6));
  }
  await pipeline.exec();
  return { events: events.length, toBlock: simulation.lastBlock };
}
