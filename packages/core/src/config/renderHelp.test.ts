import { Type } from '@sinclair/typebox';
import { optionNamesOf } from './optionNames.js';
import { renderHelp } from './renderHelp.js';
import { suggestName } from './suggestName.js';

describe('renderHelp', () => {
  it('lists every flag with its placeholder, description, environment variable, type and default', () => {
    const schema = Type.Object({
      rpcUrl: Type.String({
        description: 'JSON-RPC endpoint of the chain.',
        default: 'http://127.0.0.1:8545',
        placeholder: 'url',
      }),
      uid: Type.Integer({ description: 'Our uid.', minimum: 0 }),
      dryRun: Type.Boolean({ description: 'Train but never commit.', default: false }),
      chain: Type.Union([Type.Literal('evm'), Type.Literal('subtensor')], {
        description: 'Chain backend.',
        default: 'evm',
      }),
      peers: Type.Array(Type.String(), { description: 'Peer URLs.', default: [] }),
      privateKey: Type.String({ description: 'Hotkey.', secret: true, default: '0xdeadbeef' }),
      storage: Type.Object({
        maxBytes: Type.Integer({ description: 'Byte cap.', minimum: 1, default: 1024 }),
      }),
    });
    expect(
      renderHelp({
        schema,
        command: 'tessera miner',
        description: 'Trains and commits one update per window.',
      }),
    ).toBe(
      [
        'Usage: tessera miner [options]',
        '',
        'Trains and commits one update per window.',
        '',
        'Options:',
        '  --rpc-url <url>                 JSON-RPC endpoint of the chain.',
        '                                  env TESSERA_RPC_URL; default "http://127.0.0.1:8545"',
        '  --uid <int>                     Our uid.',
        '                                  env TESSERA_UID; an integer ≥ 0; required',
        '  --dry-run, --no-dry-run         Train but never commit.',
        '                                  env TESSERA_DRY_RUN; default false',
        '  --chain <evm|subtensor>         Chain backend.',
        '                                  env TESSERA_CHAIN; one of: evm, subtensor; default "evm"',
        '  --peers <string,...>            Peer URLs.',
        '                                  env TESSERA_PEERS; a comma-separated list of strings; default (none)',
        '  --private-key <string>          Hotkey.',
        '                                  env TESSERA_PRIVATE_KEY; has a default; secret',
        '  --storage.max-bytes <int>       Byte cap.',
        '                                  env TESSERA_STORAGE__MAX_BYTES; an integer ≥ 1; default 1024',
        '  --config <path>                 JSON file holding any of these options, keys as field names.',
        '                                  env TESSERA_CONFIG',
        '  -h, --help                      Show this help.',
        '',
        'Precedence: flags, then environment, then the config file, then defaults.',
        '',
      ].join('\n'),
    );
  });

  it('puts long flags on their own line', () => {
    const schema = Type.Object({
      aVeryLongOptionNameIndeed: Type.String({ description: 'Long.', default: 'x' }),
    });
    const text = renderHelp({ schema, command: 'x', envPrefix: 'X_', width: 20 });
    expect(text).toContain('  --a-very-long-option-name-indeed <string>\n                    Long.\n');
  });
});

describe('optionNamesOf', () => {
  it.each([
    [['rpcUrl'], '--rpc-url', 'TESSERA_RPC_URL'],
    [['rpcURL'], '--rpc-url', 'TESSERA_RPC_URL'],
    [['http2Port'], '--http2-port', 'TESSERA_HTTP2_PORT'],
    [['storage', 'maxBytes'], '--storage.max-bytes', 'TESSERA_STORAGE__MAX_BYTES'],
    [['uid'], '--uid', 'TESSERA_UID'],
  ])('%j → %s, %s', (path, flag, env) => {
    expect(optionNamesOf({ path, envPrefix: 'TESSERA_' })).toEqual({ flag, env });
  });
});

describe('suggestName', () => {
  const candidates = ['--rpc-url', '--uid', '--dry-run', '--learning-rate'];
  it('suggests close names only', () => {
    expect(suggestName({ name: '--rpc-ulr', candidates })).toBe('--rpc-url');
    expect(suggestName({ name: '--learning-rat', candidates })).toBe('--learning-rate');
    expect(suggestName({ name: '--dryrun', candidates })).toBe('--dry-run');
    expect(suggestName({ name: '--port', candidates })).toBeUndefined();
  });
});
