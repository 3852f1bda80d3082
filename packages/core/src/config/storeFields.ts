import { Type } from '@sinclair/typebox';

/**
 * The store option every role takes (`--store`, with its folder, public URL and S3
 * settings), to spread into its option schema. Read by `openStore` and `storeReadersOf`.
 *
 * - `--store` empty: the folder `--store-dir`, `file://` URIs (one machine only);
 * - `--store http://host:port`: serves `--store-dir` over HTTP there, URIs under `--public-url`;
 * - `--store s3://bucket/prefix`: an S3-compatible bucket, URIs under `--public-url` when the
 *   bucket is public-read, else `s3://bucket/prefix/key` (readable only with credentials).
 *
 * S3 settings come from flags, `TESSERA_S3_*`, the config file, or, when all are unset,
 * the AWS SDK's own lookup (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`,
 * `AWS_ENDPOINT_URL_S3`, AWS profiles).
 *
 * @param parameters.defaultDir - the role's folder (`--store-dir` default).
 * @example
 * const schema = Type.Object({ ...evmConnectionFields, ...storeFields({ defaultDir: '.tessera/updates' }) });
 */
export function storeFields(parameters: { defaultDir: string }) {
  return {
    /** Where this role puts what it publishes: empty (the folder `storeDir`), `http://host:port` or `s3://bucket/prefix`. @default '' */
    store: Type.String({
      description:
        'Where published files go: empty = the folder --store-dir (file:// URIs, one machine); http://host:port = serve --store-dir over HTTP there; s3://bucket[/prefix] = an S3-compatible bucket.',
      default: '',
      pattern: '^$|^(http|s3)://\\S+$',
      placeholder: 'http://host:port|s3://bucket/prefix',
    }),
    /** Folder the files live in (the store itself, or what an HTTP store serves). */
    storeDir: Type.String({
      description: 'Folder the files live in when --store is empty or http://.',
      default: parameters.defaultDir,
      placeholder: 'path',
    }),
    /** Base URL others read from: an HTTP store's address as others reach it, or a public-read bucket's URL. @default '' */
    publicUrl: Type.String({
      description:
        'Base URL other hosts read from: for an http store the address others reach it at (required when listening on 0.0.0.0); for an s3 store the public-read URL of the bucket (e.g. https://pub-….r2.dev), without which URIs are s3://.',
      default: '',
      pattern: '^$|^https?://\\S+$',
      placeholder: 'url',
    }),
    /** S3 service URL; empty is AWS (or `AWS_ENDPOINT_URL_S3`). @default '' */
    s3Endpoint: Type.String({
      description: 'S3 service URL without the bucket (R2, MinIO: http(s)://host[:port]); empty = AWS.',
      default: '',
      pattern: '^$|^https?://\\S+$',
      placeholder: 'url',
    }),
    /** S3 signing region (`auto` on R2); empty is `AWS_REGION` or `us-east-1`. @default '' */
    s3Region: Type.String({
      description: 'S3 signing region (auto on R2); empty = AWS_REGION, else us-east-1.',
      default: '',
      pattern: '^$|^[a-z0-9-]{1,32}$',
      placeholder: 'region',
    }),
    /** S3 access key id; empty leaves credentials to the AWS SDK's lookup. @default '' */
    s3AccessKeyId: Type.String({
      description: 'S3 access key id (empty = AWS_ACCESS_KEY_ID or an AWS profile).',
      default: '',
      secret: true,
      placeholder: 'id',
    }),
    /** S3 secret access key; secret. @default '' */
    s3SecretAccessKey: Type.String({
      description: 'S3 secret access key (empty = AWS_SECRET_ACCESS_KEY or an AWS profile).',
      default: '',
      secret: true,
      placeholder: 'secret',
    }),
    /** S3 session token, for temporary credentials only; secret. @default '' */
    s3SessionToken: Type.String({
      description: 'S3 session token, for temporary credentials only.',
      default: '',
      secret: true,
      placeholder: 'token',
    }),
    /** Bucket addressing: `auto` is path-style with an endpoint, virtual-hosted on AWS. @default 'auto' */
    s3Addressing: Type.Union([Type.Literal('auto'), Type.Literal('path'), Type.Literal('virtual')], {
      description:
        'S3 addressing: path (endpoint/bucket/key), virtual (bucket.endpoint/key), auto = path with --s3-endpoint.',
      default: 'auto',
    }),
    /** More buckets whose `s3://` URIs this role reads with its S3 credentials. @default [] */
    s3ReadBuckets: Type.Array(Type.String({ pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$' }), {
      description:
        'More buckets whose s3:// URIs this role reads with its own S3 credentials (its --store bucket always).',
      default: [],
      placeholder: 'bucket,…',
    }),
  };
}
