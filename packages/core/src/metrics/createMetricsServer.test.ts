import { request } from 'node:http';
import { MetricsError } from '../errors/metrics.js';
import { createMetrics } from './createMetrics.js';
import { createMetricsServer } from './createMetricsServer.js';

function get(
  url: string,
  method = 'GET',
): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('createMetricsServer', () => {
  it('serves every declared metric, with the default labels, over HTTP', async () => {
    const metrics = createMetrics({ prefix: 'tessera_test', labels: { role: 'validator' } });
    const scored = metrics.counter({
      name: 'updates_scored_total',
      help: 'Updates scored, by result.',
      labelNames: ['result'],
    });
    const window = metrics.gauge({ name: 'window', help: 'Current window.' });
    const seconds = metrics.histogram({
      name: 'evaluation_seconds',
      help: 'Time to score one update.',
      buckets: [0.1, 1, 10],
    });
    scored.inc({ result: 'ok' }, 2);
    scored.inc({ result: 'rejected' });
    window.set(42);
    seconds.observe(0.5);

    const server = await createMetricsServer({ metrics });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const scrape = await get(server.url);
      expect(scrape.status).toBe(200);
      expect(scrape.type).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(scrape.body).toContain('# HELP tessera_test_updates_scored_total Updates scored, by result.');
      expect(scrape.body).toContain('# TYPE tessera_test_updates_scored_total counter');
      expect(scrape.body).toContain('tessera_test_updates_scored_total{result="ok",role="validator"} 2');
      expect(scrape.body).toContain(
        'tessera_test_updates_scored_total{result="rejected",role="validator"} 1',
      );
      expect(scrape.body).toContain('tessera_test_window{role="validator"} 42');
      expect(scrape.body).toContain('tessera_test_evaluation_seconds_bucket{le="1",role="validator"} 1');
      expect(scrape.body).toContain('tessera_test_evaluation_seconds_bucket{le="0.1",role="validator"} 0');
      expect(scrape.body).toMatch(/^process_cpu_user_seconds_total\{role="validator"\} /m);

      expect(await get(`${server.url.replace('/metrics', '/health')}`)).toMatchObject({
        status: 200,
        body: 'ok\n',
      });
      expect((await get(server.url.replace('/metrics', '/other'))).status).toBe(404);
      expect((await get(server.url, 'POST')).status).toBe(405);
    } finally {
      await server.close();
    }
  });

  it('keeps each registry separate and declarations idempotent', async () => {
    const miner = createMetrics({ prefix: 'tessera_miner', defaultMetrics: false });
    const other = createMetrics({ prefix: 'tessera_miner', defaultMetrics: false });
    const a = miner.counter({ name: 'windows_total', help: 'Windows trained.' });
    expect(miner.counter({ name: 'windows_total', help: 'Windows trained.' })).toBe(a);
    a.inc();
    expect(await miner.render()).toContain('tessera_miner_windows_total 1');
    expect((await other.render()).trim()).toBe('');
    expect(() => miner.gauge({ name: 'windows_total', help: 'x' })).toThrow(MetricsError);
  });

  it('refuses bad names and labels', () => {
    expect(() => createMetrics({ prefix: 'tessera-miner' })).toThrow(MetricsError);
    expect(() => createMetrics({ prefix: 'tessera_' })).toThrow(MetricsError);
    expect(() => createMetrics({ prefix: 'x', labels: { 'bad-label': 'v' } })).toThrow(MetricsError);
    const metrics = createMetrics({ prefix: 'x', labels: { role: 'miner' }, defaultMetrics: false });
    expect(() => metrics.counter({ name: 'a-b', help: 'h' })).toThrow(/Invalid metric name/);
    expect(() => metrics.counter({ name: 'a', help: '' })).toThrow(/help/);
    expect(() => metrics.counter({ name: 'a', help: 'h', labelNames: ['__reserved'] })).toThrow(/label/);
    expect(() => metrics.counter({ name: 'b', help: 'h', labelNames: ['role'] })).toThrow(/default label/);
  });
});
