/**
 * An S3-compatible store for tests: @20minutes/s3rver, an S3 server written in Node that checks
 * AWS Signature V4 (with its default account, S3RVER / S3RVER), on a free port, keeping its
 * objects in a fresh directory. The same protocol MinIO or a cloud's object storage speaks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from '@20minutes/s3rver';
import { Client } from 'minio';

export interface TestS3 {
  /** TONGBAN_S3_URL for `bucket` (and `prefix`), with the given keys (the server's own by default). */
  url(bucket: string, prefix?: string, keys?: { access: string; secret: string }): string;
  /** A client with the server's keys, to look at what the platform stored. */
  client: Client;
  close(): Promise<void>;
}

export async function startS3(): Promise<TestS3> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'tongban-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const { port } = await server.run();
  return {
    url: (bucket, prefix = '', keys = { access: 'S3RVER', secret: 'S3RVER' }) =>
      `http://${encodeURIComponent(keys.access)}:${encodeURIComponent(keys.secret)}@127.0.0.1:${port}/${bucket}${prefix ? `/${prefix}` : ''}`,
    client: new Client({ endPoint: '127.0.0.1', port, useSSL: false, accessKey: 'S3RVER', secretKey: 'S3RVER', pathStyle: true }),
    close: async () => {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
