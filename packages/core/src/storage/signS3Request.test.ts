import { presignS3Url } from './presignS3Url.js';
import { emptyPayloadHash, sha256Hex, signS3Request } from './signS3Request.js';

// Expected values computed once with botocore 1.43 (S3SigV4Auth, S3SigV4QueryAuth), an
// independent SigV4 implementation, for the same inputs and a fixed clock.
const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const date = new Date('2024-01-02T03:04:05Z');

describe('signS3Request', () => {
  it('signs a PUT with a body hash and a content type', () => {
    const body = new TextEncoder().encode('hello update');
    const headers = signS3Request({
      method: 'PUT',
      url: new URL('http://127.0.0.1:9000/tessera-updates/w000001/uid-3.tsu'),
      headers: { 'content-type': 'application/octet-stream' },
      payloadHash: sha256Hex(body),
      credentials,
      region: 'us-east-1',
      date,
    });
    expect(headers['x-amz-content-sha256']).toBe(
      'ed70ed98d448ff57ee2b137e52bfcc54729095de8dd049f8432c1bbc06581687',
    );
    expect(headers['x-amz-date']).toBe('20240102T030405Z');
    expect(headers.host).toBe('127.0.0.1:9000');
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, ' +
        'Signature=3020fd1ffc58aaf99624408b88bf71cc714215f46963e4f833fabdd206e99012',
    );
  });

  it('signs a DELETE with a session token and an encoded key', () => {
    const headers = signS3Request({
      method: 'DELETE',
      url: new URL('https://bucket.s3.auto.example.com/a/b%20c.bin'),
      payloadHash: emptyPayloadHash,
      credentials: { ...credentials, sessionToken: 'SESSIONTOKEN/+=' },
      region: 'auto',
      date,
    });
    expect(headers['x-amz-security-token']).toBe('SESSIONTOKEN/+=');
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/auto/s3/aws4_request, ' +
        'SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, ' +
        'Signature=9cb3f3a802700b698d54541535f529590a5fd5c8183830b5bafe834a8942bb5b',
    );
  });
});

describe('presignS3Url', () => {
  it('presigns a GET for seven days', () => {
    const url = presignS3Url({
      url: new URL('https://s3.eu-central-1.example.com/bucket/w1/k.tsu'),
      credentials,
      region: 'eu-central-1',
      expiresSeconds: 604800,
      date,
    });
    expect(url).toBe(
      'https://s3.eu-central-1.example.com/bucket/w1/k.tsu?X-Amz-Algorithm=AWS4-HMAC-SHA256' +
        '&X-Amz-Credential=AKIDEXAMPLE%2F20240102%2Feu-central-1%2Fs3%2Faws4_request&X-Amz-Date=20240102T030405Z' +
        '&X-Amz-Expires=604800&X-Amz-SignedHeaders=host' +
        '&X-Amz-Signature=9260825bc8610799d4d1cca128b275030012fb93c5ee8f1551d9ecd57e48be03',
    );
  });

  it('refuses an expiry SigV4 does not allow', () => {
    const url = new URL('https://h/b/k');
    expect(() => presignS3Url({ url, credentials, region: 'auto', expiresSeconds: 604801 })).toThrow(
      RangeError,
    );
    expect(() => presignS3Url({ url, credentials, region: 'auto', expiresSeconds: 0 })).toThrow(RangeError);
  });
});
