import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { tempDir } from '../_test/tempDir.js';
import { ConfigError } from '../errors/config.js';
import type { ConfigIssue } from '../errors/config.js';
import { buildOptions } from './buildOptions.js';
import type { BuildOptionsParameters } from './buildOptions.js';
import { helpRequested } from './helpRequested.js';
import { redactOptions } from './redactOptions.js';

const schema = Type.Object({
  rpcUrl: Type.String({ description: 'JSON-RPC endpoint of the chain.', default: 'http://127.0.0.1:8545' }),
  uid: Type.Integer({ description: 'Our uid.', minimum: 0 }),
  learningRate: Type.Number({ description: 'Inner learning rate.', exclusiveMinimum: 0, default: 0.001 }),
  dryRun: Type.Boolean({ description: 'Train but never commit.', default: false }),
  chain: Type.Union([Type.Literal('evm'), Type.Literal('subtensor')], {
    description: 'Chain backend.',
    default: 'evm',
  }),
  stake: Type.BigInt({ description: 'Stake, in the smallest unit.', default: 0n }),
  peers: Type.Array(Type.String(), { description: 'Peer URLs.', default: [] }),
  privateKey: Type.Optional(
    Type.String({ description: 'Hotkey.', secret: true, pattern: '^0x[0-9a-f]{64}$' }),
  ),
  storage: Type.Object({
    root: Type.String({ description: 'Update folder.', default: './updates' }),
    maxBytes: Type.Integer({ description: 'Byte cap.', minimum: 1, default: 1024 }),
  }),
});

describe('buildOptions', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => dir.cleanup());

  const build = (parameters: Partial<BuildOptionsParameters<typeof schema>>) =>
    buildOptions({ schema, argv: [], env: {}, cwd: dir.path, ...parameters });
  const issuesOf = (run: () => unknown): ConfigIssue[] => {
    try {
      run();
    } catch (error) {
      if (error instanceof ConfigError) return [...error.issues];
      throw error;
    }
    throw new Error('expected a ConfigError');
  };
  const writeConfig = async (data: unknown, name = 'tessera.json') => {
    const path = join(dir.path, name);
    await writeFile(path, typeof data === 'string' ? data : JSON.stringify(data));
    return path;
  };

  it('applies defaults and returns a deep-frozen object', () => {
    const options = build({ argv: ['--uid', '3'] });
    expect(options).toEqual({
      rpcUrl: 'http://127.0.0.1:8545',
      uid: 3,
      learningRate: 0.001,
      dryRun: false,
      chain: 'evm',
      stake: 0n,
      peers: [],
      storage: { root: './updates', maxBytes: 1024 },
    });
    expect('privateKey' in options).toBe(false);
    expect(
      Object.isFrozen(options) && Object.isFrozen(options.storage) && Object.isFrozen(options.peers),
    ).toBe(true);
    expect(() => ((options as { uid: number }).uid = 4)).toThrow(TypeError);
  });

  it('takes flags over environment over file over defaults, field by field', async () => {
    const config = await writeConfig({
      rpcUrl: 'http://file',
      uid: 1,
      chain: 'subtensor',
      storage: { root: '/file' },
    });
    const env = { TESSERA_RPC_URL: 'http://env', TESSERA_UID: '2', TESSERA_CONFIG: config };
    const all = build({ argv: ['--rpc-url', 'http://flag'], env });
    expect([all.rpcUrl, all.uid, all.chain, all.storage.root, all.storage.maxBytes]).toEqual([
      'http://flag',
      2,
      'subtensor',
      '/file',
      1024,
    ]);
    const noFlag = build({ env });
    expect(noFlag.rpcUrl).toBe('http://env');
    const fileOnly = build({ env: { TESSERA_CONFIG: config } });
    expect([fileOnly.rpcUrl, fileOnly.uid]).toEqual(['http://file', 1]);
    const flagConfig = build({ argv: ['--config', config], env: { TESSERA_RPC_URL: '' } });
    expect(flagConfig.rpcUrl).toBe('http://file');
  });

  it('coerces flag and environment strings by the schema', () => {
    const options = build({
      argv: [
        '--uid=7',
        '--learning-rate',
        '1e-4',
        '--dry-run',
        '--chain',
        'subtensor',
        '--stake',
        '1000000000000000000000',
      ],
      env: {
        TESSERA_PEERS: 'http://a, http://b',
        TESSERA_STORAGE__MAX_BYTES: '4096',
        TESSERA_STORAGE__ROOT: '/data',
      },
    });
    expect(options).toMatchObject({
      uid: 7,
      learningRate: 1e-4,
      dryRun: true,
      chain: 'subtensor',
      stake: 10n ** 21n,
    });
    expect(options.peers).toEqual(['http://a', 'http://b']);
    expect(options.storage).toEqual({ root: '/data', maxBytes: 4096 });
    expect(build({ argv: ['--uid', '0', '--no-dry-run'], env: { TESSERA_DRY_RUN: 'yes' } }).dryRun).toBe(
      false,
    );
    expect(build({ argv: ['--uid', '0', '--dry-run=off'] }).dryRun).toBe(false);
    expect(build({ argv: ['--uid', '0'], env: { TESSERA_DRY_RUN: 'ON' } }).dryRun).toBe(true);
    expect(build({ argv: ['--uid', '0', '--peers', 'a,b', '--peers=c'] }).peers).toEqual(['a', 'b', 'c']);
  });

  it('reads nested keys and bigint strings from the file, and ignores $schema', async () => {
    const config = await writeConfig({
      $schema: './options.schema.json',
      uid: 0,
      stake: '123456789012345678901',
      storage: { maxBytes: 9 },
    });
    const options = build({ argv: ['--config', config] });
    expect(options.stake).toBe(123456789012345678901n);
    expect(options.storage.maxBytes).toBe(9);
  });

  it('skips file keys other commands take, and still refuses unknown ones with a suggestion', async () => {
    const knownElsewhere = new Set(['redisUrl', 'storage.bucket', 's3.region', 's3.endpoint']);
    const shared = await writeConfig({
      uid: 2,
      redisUrl: 'redis://127.0.0.1:6379',
      storage: { root: './u', bucket: 'updates' },
      s3: { region: 'eu-west-1' },
    });
    const options = build({ argv: ['--config', shared], knownElsewhere });
    expect(options).toMatchObject({ uid: 2, storage: { root: './u', maxBytes: 1024 } });
    expect(options).not.toHaveProperty('redisUrl');
    expect(options.storage).not.toHaveProperty('bucket');

    // Without the other commands' keys the same file is refused, key by key.
    expect(issuesOf(() => build({ argv: ['--config', shared] })).map((i) => i.field)).toEqual([
      'redisUrl',
      'storage.bucket',
      's3',
    ]);
    const typo = await writeConfig(
      {
        uid: 2,
        rpcUlr: 'http://x',
        redisUrl: 'redis://r',
        sotrage: {},
        redisUlr: 'x',
        storage: { buckt: 'b' },
      },
      'typo.json',
    );
    expect(issuesOf(() => build({ argv: ['--config', typo], knownElsewhere }))).toEqual([
      expect.objectContaining({ field: 'rpcUlr', problem: 'unknown key; did you mean "rpcUrl"?' }),
      expect.objectContaining({ field: 'sotrage', problem: 'unknown key; did you mean "storage"?' }),
      expect.objectContaining({ field: 'redisUlr', problem: 'unknown key; did you mean "redisUrl"?' }),
      expect.objectContaining({ field: 'storage.buckt', problem: 'unknown key; did you mean "bucket"?' }),
    ]);
  });

  it('uses the default config file only when it exists', async () => {
    expect(build({ argv: ['--uid', '1'], defaultConfigFile: 'absent.json' }).uid).toBe(1);
    await writeConfig({ uid: 5 }, 'present.json');
    expect(build({ defaultConfigFile: 'present.json' }).uid).toBe(5);
  });

  it('lists every bad field at once, with its source and what was expected', async () => {
    const config = await writeConfig({ chain: 'cosmos', learningRat: 1, storage: { maxBytes: 0, rot: 'x' } });
    const issues = issuesOf(() =>
      build({
        argv: ['--config', config, '--stake', '1.5', '--rpc-ulr', 'http://x', 'stray', '--peers'],
        env: { TESSERA_LEARNING_RATE: '-1', TESSERA_DRY_RUN: 'maybe' },
      }),
    );
    const byName = Object.fromEntries(issues.map((issue) => [issue.name, issue]));
    expect(byName['--rpc-ulr']).toMatchObject({
      source: 'flag',
      problem: 'unknown flag; did you mean --rpc-url?',
    });
    expect(byName.stray).toMatchObject({ source: 'flag', problem: 'unexpected argument' });
    expect(byName['--peers']).toMatchObject({
      source: 'flag',
      field: 'peers',
      problem: expect.stringContaining('needs a value'),
    });
    expect(byName['--stake']).toMatchObject({
      source: 'flag',
      field: 'stake',
      problem: 'expected a whole number, got "1.5"',
    });
    expect(byName.TESSERA_LEARNING_RATE).toMatchObject({
      source: 'env',
      problem: 'expected a number > 0, got "-1"',
    });
    expect(byName.TESSERA_DRY_RUN).toMatchObject({
      source: 'env',
      problem: 'expected true or false, got "maybe"',
    });
    expect(byName[`${config}: chain`]).toMatchObject({
      source: 'file',
      problem: 'expected one of: evm, subtensor, got "cosmos"',
    });
    expect(byName[`${config}: storage.maxBytes`]).toMatchObject({
      source: 'file',
      problem: 'expected an integer ≥ 1, got 0',
    });
    expect(byName[`${config}: learningRat`]).toMatchObject({
      source: 'file',
      problem: 'unknown key; did you mean "learningRate"?',
    });
    expect(byName[`${config}: storage.rot`]).toMatchObject({
      source: 'file',
      problem: 'unknown key; did you mean "root"?',
    });
    expect(byName['--uid']).toMatchObject({
      source: 'missing',
      problem: expect.stringContaining('set --uid, TESSERA_UID or "uid"'),
    });
    expect(issues).toHaveLength(11);
  });

  it('puts every issue in the error message, and never a secret', () => {
    const secret = '0xNOT-A-KEY-but-still-private';
    let message = '';
    try {
      build({ argv: ['--uid', 'x', '--private-key', secret] });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('Invalid configuration: 2 problems.');
    expect(message).toContain('--uid (flag): expected an integer ≥ 0, got "x"');
    expect(message).toContain(
      '--private-key (flag): expected a string matching /^0x[0-9a-f]{64}$/, got <secret>',
    );
    expect(message).not.toContain(secret);
  });

  it('refuses repeated, negated and valueless flags where they make no sense', () => {
    const issues = issuesOf(() =>
      build({
        argv: ['--uid', '1', '--uid', '2', '--no-uid', '--no-dry-run=true', '--rpc-url', '--dry-run'],
      }),
    );
    expect(issues.map((issue) => [issue.name, issue.problem.split(/[:;]/)[0]])).toEqual([
      ['--uid', 'given more than once'],
      ['--no-uid', 'unknown flag'],
      ['--no-dry-run', 'takes no value'],
      ['--rpc-url', 'needs a value'],
    ]);
  });

  it('reports config files it cannot use', async () => {
    expect(issuesOf(() => build({ argv: ['--uid', '1', '--config', 'missing.json'] }))[0]).toMatchObject({
      source: 'flag',
      name: '--config',
      problem: expect.stringContaining('ENOENT'),
    });
    const broken = await writeConfig('{ "uid": 1,', 'broken.json');
    expect(issuesOf(() => build({ env: { TESSERA_CONFIG: broken } }))[0]).toMatchObject({
      source: 'env',
      name: 'TESSERA_CONFIG',
      problem: expect.stringContaining('not valid JSON'),
    });
    const list = await writeConfig([1, 2], 'list.json');
    expect(issuesOf(() => build({ argv: ['--config', list, '--uid', '1'] }))[0]).toMatchObject({
      problem: 'expected a JSON object at the top level',
    });
    const flat = await writeConfig({ uid: 1, storage: 'x' }, 'flat.json');
    expect(issuesOf(() => build({ argv: ['--config', flat] }))[0]).toMatchObject({
      field: 'storage',
      problem: 'expected an object, got "x"',
    });
  });

  it('leaves --help to the command', () => {
    expect(helpRequested({ argv: ['--uid', '1', '--help'] })).toBe(true);
    expect(helpRequested({ argv: ['-h'] })).toBe(true);
    expect(helpRequested({ argv: ['--uid', '1'] })).toBe(false);
    expect(issuesOf(() => build({ argv: ['--uid', '1', '--help'] }))[0]?.problem).toContain('renderHelp');
  });

  it('refuses schemas it cannot map to flags', () => {
    expect(() => buildOptions({ schema: Type.Object({ config: Type.String() }), argv: [] })).toThrow(
      /reserved/,
    );
    expect(() =>
      buildOptions({ schema: Type.Object({ rpcUrl: Type.String(), rpcURL: Type.String() }), argv: [] }),
    ).toThrow(/--rpc-url/);
    expect(() =>
      buildOptions({ schema: Type.Object({ map: Type.Record(Type.String(), Type.String()) }), argv: [] }),
    ).toThrow(/unsupported/);
  });

  it('redacts secrets for logging', () => {
    const key = `0x${'ab'.repeat(32)}`;
    const options = build({ argv: ['--uid', '1', '--private-key', key, '--stake', '5'] });
    expect(options.privateKey).toBe(key);
    expect(redactOptions({ schema, options })).toMatchObject({ privateKey: '<secret>', stake: '5', uid: 1 });
  });
});
