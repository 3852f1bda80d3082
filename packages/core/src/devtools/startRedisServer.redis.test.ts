import { createConnection } from 'node:net';
import { startRedisServer } from './startRedisServer.js';

function roundTrip(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write(command));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString());
    });
    socket.once('error', reject);
  });
}

describe('startRedisServer', () => {
  it('starts a private server that answers and stops it', async () => {
    const redis = await startRedisServer();
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await roundTrip(redis.port, 'SET k v\r\n')).toBe('+OK\r\n');
    await redis.stop();
    await expect(roundTrip(redis.port, 'PING\r\n')).rejects.toThrow();
  });

  it('fails clearly when the binary is missing', async () => {
    await expect(startRedisServer({ binary: '/nonexistent/redis-server' })).rejects.toThrow('Could not start redis-server.');
  });
});
