/** The part of @20minutes/s3rver (an S3 server in Node, AWS Signature V4 checked) that tests use. */
declare module '@20minutes/s3rver' {
  export default class S3rver {
    constructor(options: { address?: string; port?: number; silent?: boolean; directory: string; allowMismatchedSignatures?: boolean });
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  }
}
