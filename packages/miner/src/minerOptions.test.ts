import { buildOptions, redactOptions, renderHelp } from '@tessera/core';
import { minerOptionsSchema } from './minerOptions.js';

const key = `0x${'12'.repeat(32)}`;

describe('minerOptionsSchema', () => {
  it('fills the defaults and takes the key from the environment', () => {
    const options = buildOptions({ schema: minerOptionsSchema, argv: [], env: { TESSERA_PRIVATE_KEY: key } });
    expect(options).toMatchObject({
      rpcUrl: 'http://127.0.0.1:8545',
      run: '.devnet/run.json',
      store: '',
      storeDir: '.tessera/updates',
      s3ReadBuckets: [],
      marginBlocks: 2,
      metricsPort: 9464,
      privateKey: key,
    });
    expect(redactOptions({ schema: minerOptionsSchema, options })).toMatchObject({ privateKey: '<secret>' });
  });

  it('has no cheating options and rejects bad fields, never echoing the key', () => {
    const options = buildOptions({ schema: minerOptionsSchema, argv: ['--private-key', key], env: {} });
    expect(options).not.toHaveProperty('strategy');
    expect(options).not.toHaveProperty('scaleFactor');
    expect(() =>
      buildOptions({
        schema: minerOptionsSchema,
        argv: ['--strategy', 'copycat', '--private-key', key],
        env: {},
      }),
    ).toThrow(/--strategy/);
    const bad = () =>
      buildOptions({
        schema: minerOptionsSchema,
        argv: ['--private-key', '0xnope', '--store', 'x'],
        env: {},
      });
    expect(bad).toThrow(/--store/);
    expect(bad).not.toThrow(/0xnope/);
  });

  it('documents every field in the help text', () => {
    const help = renderHelp({ schema: minerOptionsSchema, command: 'tessera miner' });
    for (const flag of [
      '--rpc-url',
      '--private-key',
      '--run',
      '--store-dir',
      '--store',
      '--public-url',
      '--s3-endpoint',
      '--s3-secret-access-key',
      '--state-dir',
      '--metrics-port',
    ]) {
      expect(help).toContain(flag);
    }
    expect(help).not.toContain('--strategy');
    expect(help).not.toContain('--scale-factor');
  });
});
