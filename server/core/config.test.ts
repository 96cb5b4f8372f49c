import { describe, expect, it } from 'vitest';
import { loadConfig, parseS3Url } from './config.js';

describe('TONGBAN_S3_URL', () => {
  it('reads the endpoint, the URL-encoded keys, the bucket, a prefix and the region', () => {
    expect(parseS3Url('https://AKID%2Bx:se%2Fcret%40@oss.example.gov.cn/hebei-materials/tongban/prod?region=cn-north-1')).toEqual({
      endPoint: 'oss.example.gov.cn',
      port: 443,
      useSSL: true,
      accessKey: 'AKID+x',
      secretKey: 'se/cret@',
      bucket: 'hebei-materials',
      prefix: 'tongban/prod/',
      region: 'cn-north-1',
    });
    expect(parseS3Url('http://minio:minio123@127.0.0.1:9000/materials')).toMatchObject({ port: 9000, useSSL: false, prefix: '', region: 'us-east-1' });
  });

  it('refuses what cannot work, saying what to fix', () => {
    expect(() => parseS3Url('ftp://a:b@host/bucket')).toThrow(/协议应为 http 或 https/);
    expect(() => parseS3Url('https://host/bucket')).toThrow(/缺少访问密钥或秘密密钥/);
    expect(() => parseS3Url('https://a:b@host/Materials_2026')).toThrow(/存储桶名应为 3–63 个小写字母/);
    expect(() => parseS3Url('https://a:b@host/')).toThrow(/存储桶名/);
    expect(() => parseS3Url('not a url')).toThrow(/不是合法的 URL/);
    expect(() => parseS3Url('https://a:b@host/bucket?sse=aes256')).toThrow(/sse 应为 AES256/);
    expect(() => parseS3Url('https://a:b@host/bucket?sse=AES256&kms-key=k1')).toThrow(/kms-key 只能与 sse=aws:kms 一起使用/);
  });

  it('reads the server-side encryption to ask of the store', () => {
    expect(parseS3Url('https://a:b@host/bucket').sse).toBeUndefined();
    expect(parseS3Url('https://a:b@host/bucket?sse=AES256').sse).toEqual({ type: 'AES256' });
    expect(parseS3Url('https://a:b@host/bucket?region=cn-north-1&sse=aws:kms&kms-key=alias%2Ftongban').sse).toEqual({ type: 'aws:kms', kmsKeyId: 'alias/tongban' });
    expect(parseS3Url('https://a:b@host/bucket?sse=aws:kms').sse).toEqual({ type: 'aws:kms' });
  });

  it('is off unless set: files stay under the data directory', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).s3).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'test', TONGBAN_S3_URL: 'http://k:s@127.0.0.1:9000/materials' }).s3?.bucket).toBe('materials');
  });
});

describe('settings in hours', () => {
  it('keeps a session 8 hours unless set, and refuses what is not a whole number of hours', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).sessionTtlHours).toBe(8);
    expect(loadConfig({ NODE_ENV: 'test', TONGBAN_SESSION_TTL_HOURS: '12' }).sessionTtlHours).toBe(12);
    expect(() => loadConfig({ NODE_ENV: 'test', TONGBAN_SESSION_TTL_HOURS: '8h' })).toThrow(/TONGBAN_SESSION_TTL_HOURS 无效/);
  });

  it('keeps Idempotency-Keys 24 hours unless set, and refuses what is not a whole number of hours', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).idempotencyKeyHours).toBe(24);
    expect(loadConfig({ NODE_ENV: 'test', TONGBAN_IDEMPOTENCY_KEY_HOURS: '72' }).idempotencyKeyHours).toBe(72);
    expect(() => loadConfig({ NODE_ENV: 'test', TONGBAN_IDEMPOTENCY_KEY_HOURS: '0' })).toThrow(/TONGBAN_IDEMPOTENCY_KEY_HOURS 无效/);
    expect(() => loadConfig({ NODE_ENV: 'test', TONGBAN_IDEMPOTENCY_KEY_HOURS: 'a day' })).toThrow(/不小于 1 的整数小时数/);
  });
});
