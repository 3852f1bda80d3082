import autocannon from 'autocannon';
import { createApiServer, seedSimulatedIndex, simulateSubnetEvents, simulatedDeployment } from '@tessera/api';
import { Redis } from 'ioredis';
import type { Bench, BenchResult } from './types.js';
import { startRedisServer } from '@tessera/devtools';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

/**
 * The REST API under load: 10k Subnet events indexed into Redis through the indexer's own
 * applier, then autocannon against a loopback port on an account's rewards route.
 */
export const apiBench: Bench = {
  name: 'api',
  description:
    'GET /v1/accounts/:address/rewards (page of 20 epochs, claimable computed from positions) with ~10k ' +
    'indexed Subnet events (40 miners, 4 validators, 60 delegators, commitments, weights, settlements, claims) ' +
    'in a private redis-server; autocannon with 16 connections from a worker thread against the server on a ' +
    "loopback port, rate limiting off. `medianReqPerSec` is the median over the runs of each run's mean " +
    "requests per second; latencies are the median run's; `seedEventsPerSec` is indexing speed (applier + commits).",
  async *run({ quick }): AsyncIterable<BenchResult> {
    const runs = quick ? 2 : 5;
    const seconds = quick ? 1 : 4;
    const connections = 16;
    const redisServer = await startRedisServer();
    const redis = new Redis(redisServer.url);
    const deployment = simulatedDeployment({ params: { blocksPerWindow: 10, windowsPerEpoch: 2 } });
    const simulate = (epochs: number) =>
      simulateSubnetEvents({
        subnet: deployment.subnet,
        params: deployment.params,
        miners: 40,
        validators: 4,
        delegators: 60,
        epochs,
      });
    // as many epochs as it takes to reach 10k events
    const trial = simulate(50);
    const epochs = Math.ceil((50 * 10_000) / trial.events.length);
    const simulation = simulate(epochs);
    const seedStart = performance.now();
    const seeded = await seedSimulatedIndex({ redis, deployment, simulation });
    const seedMs = performance.now() - seedStart;
    const api = await createApiServer({ redis, deployment, rateLimit: false });
    const base = await api.listen({ host: '127.0.0.1', port: 0 });
    try {
      for (const [who, address] of [
        ['delegator', simulation.delegators[0]!],
        ['miner', simulation.miners[0]!],
      ] as const) {
        const url = `${base}/v1/accounts/${address}/rewards?limit=20`;
        const check = await fetch(url);
        if (check.status !== 200) throw new Error(`${url} answered ${check.status}`);
        const bytes = (await check.arrayBuffer()).byteLength;
        await autocannon({ url, connections, duration: 1, workers: 1 }); // warm-up
        const results: autocannon.Result[] = [];
        for (let run = 0; run < runs; run++) {
          results.push(await autocannon({ url, connections, duration: seconds, workers: 1 }));
        }
        const rates = results.map((r) => r.requests.average);
        const middle = results[rates.indexOf(median(rates))] ?? results[0]!;
        yield {
          bench: 'api',
          route: '/v1/accounts/:address/rewards',
          account: who,
          events: seeded.events,
          epochs,
          responseBytes: bytes,
          runs,
          seconds,
          connections,
          medianReqPerSec: median(rates),
          minReqPerSec: Math.min(...rates),
          maxReqPerSec: Math.max(...rates),
          p50LatencyMs: middle.latency.p50,
          p99LatencyMs: middle.latency.p99,
          non2xx: results.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
          seedEventsPerSec: Math.round(seeded.events / (seedMs / 1000)),
        };
      }
    } finally {
      await api.close();
      redis.disconnect();
      await redisServer.stop();
    }
  },
};
