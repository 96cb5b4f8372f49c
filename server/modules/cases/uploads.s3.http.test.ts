/**
 * Material files in S3-compatible object storage (TONGBAN_S3_URL), through the HTTP API, against
 * a real S3 server that checks every request's AWS Signature V4 (test/s3.ts).
 */
import { existsSync, readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseS3Url } from '../../core/config.js';
import { testApp, type TestApp } from '../../../test/support.js';
import { multipartFile, tinyPdf } from '../../../test/multipart.js';
import { startS3, type TestS3 } from '../../../test/s3.js';

let s3: TestS3;
let t: TestApp;
let business: string;
const BUCKET = 'tongban-materials';

beforeAll(async () => {
  s3 = await startS3();
  t = await testApp({ config: { s3: parseS3Url(s3.url(BUCKET, 'hebei')) } });
  business = await t.login('business');
});
afterAll(async () => {
  await t?.close();
  await s3?.close();
});

async function upload(app: TestApp, cookie: string, content: Buffer) {
  const m = multipartFile('营业执照.pdf', content);
  return app.app.inject({ method: 'POST', url: '/api/v1/uploads', payload: m.payload, headers: { ...m.headers, cookie } });
}

async function bytesOf(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c);
  return Buffer.concat(chunks);
}

describe('material files in S3-compatible storage', () => {
  it('stores an upload as an object under the prefix, with its type and SHA-256, and serves it back', async () => {
    const pdf = Buffer.concat([tinyPdf(), Buffer.from(`\n% ${'对象存储'.repeat(1000)}\n`)]);
    const res = await upload(t, business, pdf);
    expect(res.statusCode).toBe(201);
    const { id, sha256 } = res.json() as { id: string; sha256: string };

    // the bucket was made on first use; the object's key is the prefix, then the file's key
    const key = `hebei/${id.slice(0, 2)}/${id}`;
    expect((await t.runtime.db.selectFrom('uploads').select('storage_key').where('id', '=', id).executeTakeFirstOrThrow()).storage_key).toBe(key);
    const stat = await s3.client.statObject(BUCKET, key);
    expect(stat.size).toBe(pdf.length);
    expect(stat.metaData).toMatchObject({ 'content-type': 'application/pdf', sha256 });
    expect((await bytesOf(await s3.client.getObject(BUCKET, key))).equals(pdf)).toBe(true);
    // nothing of it stays on the local disk: the temporary file is gone, no file under the key
    const uploads = path.join(t.runtime.config.dataDir, 'uploads');
    expect(readdirSync(path.join(uploads, 'tmp'))).toEqual([]);
    expect(existsSync(path.join(uploads, id.slice(0, 2)))).toBe(false);

    const back = await t.app.inject({ url: `/api/v1/uploads/${id}`, headers: { cookie: business } });
    expect(back.statusCode).toBe(200);
    expect(back.headers['content-type']).toBe('application/pdf');
    expect(back.headers['x-content-sha256']).toBe(sha256);
    expect(back.rawPayload.equals(pdf)).toBe(true);
  });

  it('answers 500, not a cut-off file, when the store has lost an object the database names', async () => {
    const { id } = (await upload(t, business, tinyPdf())).json() as { id: string };
    await s3.client.removeObject(BUCKET, `hebei/${id.slice(0, 2)}/${id}`);
    const res = await t.app.inject({ url: `/api/v1/uploads/${id}`, headers: { cookie: business } });
    expect(res.statusCode).toBe(500);
    expect(res.json().error.code).toBe('INTERNAL');
  });

  it('answers 503 saying to try later when the store refuses the keys, and keeps no row of the upload', async () => {
    const wrong = await testApp({ config: { s3: parseS3Url(s3.url(BUCKET, 'hebei', { access: 'S3RVER', secret: 'not-the-secret' })) } });
    try {
      const before = await wrong.runtime.db.selectFrom('uploads').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      const res = await upload(wrong, await wrong.login('business'), tinyPdf());
      expect(res.statusCode).toBe(503);
      expect(res.json().error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: '材料存储暂不可用，请稍后再试' });
      const after = await wrong.runtime.db.selectFrom('uploads').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
      expect(readdirSync(path.join(wrong.runtime.config.dataDir, 'uploads', 'tmp'))).toEqual([]);
    } finally {
      await wrong.close();
    }
  });

  it('asks the store to encrypt every object at rest when TONGBAN_S3_URL says sse=AES256 (the header is signed and accepted)', async () => {
    // a proxy in front of the store records what the platform sends it; the store still checks
    // every request's signature, the SSE header included
    const target = new URL(s3.url(BUCKET));
    const puts: http.IncomingHttpHeaders[] = [];
    const proxy = http.createServer((req, res) => {
      if (req.method === 'PUT') puts.push(req.headers);
      const up = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      req.pipe(up);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const port = (proxy.address() as AddressInfo).port;
    const sealed = await testApp({ config: { s3: parseS3Url(`http://S3RVER:S3RVER@127.0.0.1:${port}/${BUCKET}/sealed?sse=AES256`) } });
    try {
      const res = await upload(sealed, await sealed.login('business'), tinyPdf());
      expect(res.statusCode).toBe(201);
      const { id } = res.json() as { id: string };
      const objectPut = puts.find((h) => h['x-amz-meta-sha256']);
      expect(objectPut?.['x-amz-server-side-encryption']).toBe('AES256');
      expect(String(objectPut?.authorization)).toContain('x-amz-server-side-encryption');
      expect((await s3.client.statObject(BUCKET, `sealed/${id.slice(0, 2)}/${id}`)).size).toBe(tinyPdf().length);
    } finally {
      await sealed.close();
      await new Promise((r) => proxy.close(r));
    }
  });
});
