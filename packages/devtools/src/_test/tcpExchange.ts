import { createConnection } from 'node:net';

/**
 * Connects to a loopback port, sends `message` and resolves with the first reply. Rejects
 * with the socket's error code as the message (`ECONNREFUSED`, `ECONNRESET`), or when the
 * connection closes without a reply.
 *
 * @example
 * expect(await tcpExchange(redis.port, 'PING\r\n')).toBe('+PONG\r\n');
 */
export function tcpExchange(port: number, message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write(message));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString());
    });
    socket.on('error', (error: NodeJS.ErrnoException) => reject(new Error(error.code)));
    socket.once('close', () => reject(new Error('closed without a reply')));
  });
}

/**
 * Whether a connection to a loopback port is refused (nothing listens there).
 *
 * @example
 * await redis.stop();
 * expect(await tcpRefused(redis.port)).toBe(true);
 */
export function tcpRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}
