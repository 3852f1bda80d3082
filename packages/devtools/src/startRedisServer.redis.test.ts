import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tcpExchange } from './_test/tcpExchange.js';
import { startRedisServer } from './startRedisServer.js';

describe('startRedisServer', () => {
  it('starts a private server that answers and stops it', async () => {
    const redis = await startRedisServer();
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await tcpExchange(redis.port, 'SET k v\r\n')).toBe('+OK\r\n');
    await redis.stop();
    await expect(tcpExchange(redis.port, 'PING\r\n')).rejects.toThrow();
  });

  it('fails clearly when the binary is missing', async () => {
    await expect(startRedisServer({ binary: '/nonexistent/redis-server' })).rejects.toThrow(
      'Could not start redis-server.',
    );
  });
});

describe('startRedisServer with an append-only file', () => {
  it('keeps what was written across a restart on the same folder and port', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-redis-aof-'));
    try {
      const first = await startRedisServer({ dir, appendOnly: true });
      expect(await tcpExchange(first.port, 'SET kept yes\r\n')).toBe('+OK\r\n');
      await first.stop();
      expect(existsSync(dir)).toBe(true);
      const second = await startRedisServer({ dir, appendOnly: true, port: first.port });
      try {
        expect(await tcpExchange(second.port, 'GET kept\r\n')).toBe('$3\r\nyes\r\n');
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
