import { join } from 'node:path';
import { encodeTesseraCommitment } from '../chain/subtensor/encodeTesseraCommitment.js';
import { splitCommitmentFields } from '../chain/subtensor/splitCommitmentFields.js';
import { maxCommittedUriBytes, reservedKeyBytes } from './assertCommittedUri.js';
import { createFileStore } from './createFileStore.js';
import { createS3Store } from './createS3Store.js';
import { createUpdateServer } from './createUpdateServer.js';

const hash = `0x${'ab'.repeat(32)}` as const;
const settings = {
  endpoint: 'http://127.0.0.1:9',
  region: 'us-east-1',
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
};
const bucket = 'b'.repeat(63); // the longest bucket name S3 allows
/** A key of exactly `length` characters. */
const keyOf = (length: number) => `k/${'x'.repeat(length - 2)}`;

describe('URIs fit on chain', () => {
  it('keeps 256 bytes: the contract default and, on subtensor, every record kind in 3 × 128-byte fields', () => {
    expect(maxCommittedUriBytes).toBe(256); // resolveSubnetParams' default maxUriLength
    const uri = `s3://${'u'.repeat(maxCommittedUriBytes - 5)}`;
    const fit = (records: Parameters<typeof encodeTesseraCommitment>[0]['records']) =>
      splitCommitmentFields({
        payload: encodeTesseraCommitment({ records }),
        maxFields: 3,
        maxRawBytes: 128,
      });
    expect(fit([{ kind: 'update', window: 0xffffffff, digest: hash, modelHash: hash, uri }])).toHaveLength(3);
    expect(fit([{ kind: 'checkpoint', window: 1, modelHash: hash, uri }])).toHaveLength(3);
    const uids = Array.from({ length: 40 }, (_, i) => i);
    expect(fit([{ kind: 'aggregate', window: 1, modelHash: hash, normBound: 1, uids, uri }])).toHaveLength(3);
  });

  it('s3: the longest bucket with a prefix up to the reserve fits; one byte more is refused at creation', () => {
    // s3:// + bucket + / + prefix + / leaves exactly reservedKeyBytes for the key.
    const prefixLength = maxCommittedUriBytes - reservedKeyBytes - `s3://${bucket}//`.length;
    const prefix = `p/${'q'.repeat(prefixLength - 2)}`;
    const store = createS3Store({ ...settings, bucket, prefix });
    const uri = store.uriOf({ key: keyOf(reservedKeyBytes) });
    expect(Buffer.byteLength(uri)).toBe(maxCommittedUriBytes);
    expect(() => store.uriOf({ key: keyOf(reservedKeyBytes + 1) })).toThrow(/too long to commit/);
    store.close();
    expect(() => createS3Store({ ...settings, bucket, prefix: `${prefix}q` })).toThrow(/too long/);
    // The validator's model files and the miner's updates fit with room to spare.
    const plain = createS3Store({ ...settings, bucket });
    expect(plain.uriOf({ key: 'models/w99999999-0123456789abcdef.ckpt' }).length).toBeLessThan(120);
    expect(plain.uriOf({ key: 'w999999/uid-65535.tsu' }).length).toBeLessThan(100);
    plain.close();
  });

  it('s3 with a public URL, the file store and the HTTP store are held to the same limit', async () => {
    expect(() =>
      createS3Store({ ...settings, bucket: 'tessera', publicUrl: `https://${'c'.repeat(200)}.example` }),
    ).toThrow(/public URL and prefix is too long/);
    expect(() => createFileStore({ root: join('/', 'd'.repeat(220)) })).toThrow(/root folder is too long/);
    const file = createFileStore({ root: '/srv/u' });
    expect(() => file.uriOf({ key: keyOf(250) })).toThrow(/too long to commit/);
    const backing = createFileStore({ root: '/srv/u' });
    await expect(
      createUpdateServer({ store: backing, maxBytes: 10, publicUrl: `http://${'h'.repeat(200)}.example` }),
    ).rejects.toThrow(/public URL is too long/);
    const server = await createUpdateServer({ store: backing, maxBytes: 10 });
    try {
      expect(() => server.store.uriOf({ key: keyOf(250) })).toThrow(/too long to commit/);
      await expect(server.store.put({ key: keyOf(250), bytes: new Uint8Array(1) })).rejects.toThrow(
        /too long to commit/,
      );
    } finally {
      await server.close();
    }
  });
});
