import { ConfigError, buildOptions, renderHelp } from '@tessera/core';
import { validatorOptionsSchema } from './validatorOptions.js';
import { workerOptionsSchema } from './workerOptions.js';

const key = `0x${'1f'.repeat(32)}`;

describe('validator and worker options', () => {
  it('builds validator options from flags and environment with the documented defaults', () => {
    const options = buildOptions({
      schema: validatorOptionsSchema,
      argv: ['--workers', '0', '--redis-url', 'redis://10.0.0.5:6380'],
      env: { TESSERA_PRIVATE_KEY: key },
    });
    expect(options).toMatchObject({
      privateKey: key,
      workers: 0,
      redisUrl: 'redis://10.0.0.5:6380',
      rpcUrl: 'http://127.0.0.1:8545',
      run: '.devnet/run.json',
      storeDir: '.tessera/validator-store',
      stateDir: '.tessera/validator',
      metricsPort: 9465,
      readFileUris: false,
      blockPrivateAddresses: true,
      logLevel: 'info',
      fetchTimeoutMs: 30_000,
      downloads: 16,
      blockTimeMs: 12_000,
    });
  });

  it('requires the key and never echoes it', () => {
    let error: unknown;
    try {
      buildOptions({ schema: validatorOptionsSchema, argv: ['--private-key', 'not-a-key'], env: {} });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(String((error as Error).message)).not.toContain('not-a-key');
    expect(renderHelp({ schema: validatorOptionsSchema, command: 'tessera validator' })).toContain(
      '--workers',
    );
  });

  it('builds worker options: a prefix is required, no key', () => {
    expect(() => buildOptions({ schema: workerOptionsSchema, argv: [], env: {} })).toThrow(ConfigError);
    const options = buildOptions({
      schema: workerOptionsSchema,
      argv: ['--prefix', 'tessera:0xabc:0xdef', '--concurrency', '2', '--downloads', '32'],
      env: {},
    });
    expect(options).toMatchObject({
      prefix: 'tessera:0xabc:0xdef',
      queue: 'evaluations',
      concurrency: 2,
      downloads: 32,
      metricsPort: 9466,
    });
  });
});
