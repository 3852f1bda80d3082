import { BaseError } from '@tessera/errors';
import { createLogger } from './logger.js';

const capture = (format: 'json' | 'pretty' = 'json', level: 'debug' | 'info' | 'warn' = 'info') => {
  const lines: string[] = [];
  const logger = createLogger({ level, format, write: (line) => lines.push(line) });
  const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, parsed };
};

describe('createLogger', () => {
  it('writes one JSON object per line with time, level name, message, fields and child fields', () => {
    const { logger, lines, parsed } = capture();
    logger.child({ role: 'miner' }).info('window done', { window: 12, stake: 10n ** 20n });
    logger.debug('not written');
    expect(lines).toHaveLength(1);
    const [line] = parsed();
    expect(line).toMatchObject({
      level: 'info',
      msg: 'window done',
      role: 'miner',
      window: 12,
      stake: '100000000000000000000',
    });
    expect(new Date(String(line!.time)).toISOString()).toBe(line!.time);
    expect(line).not.toHaveProperty('pid');
    expect(line).not.toHaveProperty('hostname');
  });

  it('keeps an error’s stack, cause chain and own fields', () => {
    const { logger, parsed } = capture();
    const root = new Error('socket hang up');
    const error = new BaseError('Could not reach the store.', {
      cause: root,
      details: 'http://10.0.0.1',
      hint: 'Retry.',
    });
    logger.error('download failed', { error });
    const logged = parsed()[0]!.error as Record<string, unknown>;
    expect(logged.type).toBe('BaseError');
    expect(String(logged.message)).toContain('Could not reach the store.');
    expect(String(logged.stack)).toContain('logger.test');
    expect(logged.cause).toMatchObject({ type: 'Error', message: 'socket hang up' });
    expect(String((logged.cause as { stack?: unknown }).stack)).toContain('logger.test');
    expect(logged.details).toBe('http://10.0.0.1');
    expect(logged.hint).toBe('Retry.');
  });

  it('never writes secrets: key fields, URL credentials, provider keys in RPC URLs, signatures', () => {
    const { logger, lines } = capture();
    const key = `0x${'ab'.repeat(32)}`;
    logger.info('options', {
      privateKey: key,
      nested: { s3SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG', password: 'hunter2' },
      redis: 'redis://default:hunter2@redis.internal:6379',
      rpcUrl: 'https://eth-mainnet.g.alchemy.com/v2/AbCdEfGhIjKlMnOpQrStUv',
      uri: 'https://bucket.s3.amazonaws.com/w1.tsu?X-Amz-Signature=deadbeefcafe&X-Amz-Date=20261203',
    });
    const text = lines.join('\n');
    for (const secret of [key, 'wJalrXUtnFEMI', 'hunter2', 'AbCdEfGhIjKlMnOpQrStUv', 'deadbeefcafe'])
      expect(text).not.toContain(secret);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line.rpcUrl).toBe('https://eth-mainnet.g.alchemy.com/v2/[redacted]');
    expect(String(line.redis)).toContain('redis.internal:6379');
    expect(String(line.uri)).toContain('X-Amz-Date=20261203');
  });

  it('writes a short human line in the pretty format', () => {
    const { logger, lines } = capture('pretty');
    logger.warn('late', { window: 3, uid: 7 });
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN {2}late window=3 uid=7$/);
  });
});
