import { Type } from '@sinclair/typebox';
import { buildOptions } from './buildOptions.js';
import { redactOptions } from './redactOptions.js';
import { storeFields } from './storeFields.js';

const schema = Type.Object({ ...storeFields({ defaultDir: '.tessera/x' }) });

describe('storeFields', () => {
  it('takes S3 settings from TESSERA_S3_* and keeps the secrets out of logs', () => {
    const options = buildOptions({
      schema,
      argv: ['--store', 's3://tessera/miner-7', '--s3-read-buckets', 'a-bucket,b-bucket'],
      env: {
        TESSERA_S3_ENDPOINT: 'https://acct.r2.cloudflarestorage.com',
        TESSERA_S3_REGION: 'auto',
        TESSERA_S3_ACCESS_KEY_ID: 'id-1',
        TESSERA_S3_SECRET_ACCESS_KEY: 'secret-1',
      },
    });
    expect(options).toMatchObject({
      store: 's3://tessera/miner-7',
      storeDir: '.tessera/x',
      s3Endpoint: 'https://acct.r2.cloudflarestorage.com',
      s3Region: 'auto',
      s3AccessKeyId: 'id-1',
      s3SecretAccessKey: 'secret-1',
      s3Addressing: 'auto',
      s3ReadBuckets: ['a-bucket', 'b-bucket'],
    });
    expect(JSON.stringify(redactOptions({ schema, options }))).not.toContain('secret-1');
  });

  it('rejects a store that is neither empty, http:// nor s3://, and a bad endpoint', () => {
    expect(() => buildOptions({ schema, argv: ['--store', '/var/updates'], env: {} })).toThrow(/--store/);
    expect(() => buildOptions({ schema, argv: ['--s3-endpoint', 'minio:9000'], env: {} })).toThrow(
      /--s3-endpoint/,
    );
  });
});
