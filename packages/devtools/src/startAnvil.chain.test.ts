import { startAnvil } from './startAnvil.js';

describe('startAnvil', () => {
  it('starts private nodes on distinct loopback ports, mines on demand and stops', async () => {
    const [a, b] = await Promise.all([startAnvil(), startAnvil({ chainId: 4242 })]);
    try {
      expect(a.port).not.toBe(b.port);
      expect(a.rpcUrl).toBe(`http://127.0.0.1:${a.port}`);
      expect(await b.rpc('eth_chainId')).toBe('0x1092');
      expect(await a.rpc('eth_blockNumber')).toBe('0x0');
      await a.mine(5);
      expect(await a.rpc('eth_blockNumber')).toBe('0x5');
      expect(await b.rpc('eth_blockNumber')).toBe('0x0');
      await expect(a.mine(-1)).rejects.toThrow(/whole number/);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    await expect(a.rpc('eth_blockNumber')).rejects.toThrow();
    await a.stop();
  });

  it('explains a node that cannot start', async () => {
    await expect(startAnvil({ args: ['--no-such-flag'] })).rejects.toThrow(/anvil exited before answering/);
  });
});
