import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ed25519Signer } from '../certificates/index.js';
import {
  MAX_CHAIN,
  batchMessage,
  batchSignedRequestHeaders,
  batchTree,
  canonicalRequest,
  foldChain,
  formatChain,
  leafHash,
  parseChain,
  parseHeaders,
  signedMessage,
  type ChainLink,
} from './sharing.protocol.js';

const leaves = (n: number) => Array.from({ length: n }, () => randomBytes(32));

describe('batch signatures (hash chains)', () => {
  it('leads every leaf of a tree of any size to its root, in at most ceil(log2 n) links', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), (n) => {
        const ls = leaves(n);
        const { root, chains } = batchTree(ls);
        ls.forEach((leaf, i) => {
          expect(foldChain(leaf, chains[i]!).equals(root)).toBe(true);
          expect(chains[i]!.length).toBeLessThanOrEqual(Math.ceil(Math.log2(n)));
        });
      }),
      { numRuns: 60 },
    );
  });

  it('leads nowhere near the root once a leaf, a link or a side is changed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 64 }), fc.nat(), fc.nat(), (n, pick, at) => {
        const ls = leaves(n);
        const { root, chains } = batchTree(ls);
        const i = pick % n;
        const chain = chains[i]!;
        const j = at % chain.length;
        const otherLeaf = Buffer.from(ls[i]!);
        otherLeaf[0] = otherLeaf[0]! ^ 1;
        expect(foldChain(otherLeaf, chain).equals(root)).toBe(false);
        const flippedSide = chain.map((l, k): ChainLink => (k === j ? { ...l, side: l.side === 'l' ? 'r' : 'l' } : l));
        expect(foldChain(ls[i]!, flippedSide).equals(root)).toBe(false);
        const otherHash = chain.map((l, k): ChainLink => (k === j ? { ...l, hash: createHash('sha256').update(l.hash).digest() } : l));
        expect(foldChain(ls[i]!, otherHash).equals(root)).toBe(false);
        // another leaf's chain does not fit this leaf
        const other = chains[(i + 1) % n]!;
        expect(foldChain(ls[i]!, other).equals(root)).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it('keeps a leaf from passing for an inner node (RFC 6962 domain separation)', () => {
    const [a, b] = leaves(2) as [Buffer, Buffer];
    const { root } = batchTree([a, b]);
    // an inner node is SHA-256(0x01 ‖ a ‖ b); a leaf over the same 64 bytes is SHA-256(0x00 ‖ …)
    expect(createHash('sha256').update(Buffer.concat([Buffer.from([0]), a, b])).digest().equals(root)).toBe(false);
    expect(createHash('sha256').update(Buffer.concat([Buffer.from([1]), a, b])).digest().equals(root)).toBe(true);
  });

  it('writes and reads a chain header, and names what is wrong with a bad one', () => {
    const { chains } = batchTree(leaves(5));
    for (const c of chains) expect(parseChain(formatChain(c))).toEqual(c);
    expect(parseChain('')).toMatch(/l:\{64 位十六进制\}/);
    expect(parseChain('x:' + '0'.repeat(64))).toMatch(/l:\{64 位十六进制\}/);
    expect(parseChain('l:' + '0'.repeat(63))).toMatch(/l:\{64 位十六进制\}/);
    expect(parseChain('L:' + 'A'.repeat(64))).toMatch(/l:\{64 位十六进制\}/);
    expect(parseChain(Array.from({ length: MAX_CHAIN + 1 }, () => 'r:' + '0'.repeat(64)).join(','))).toMatch(/最多 20 节/);
  });

  it('signs a batch once: every request verifies against the one signature through its own chain, and only its own', () => {
    const pair = ed25519Signer.generate();
    let signatures = 0;
    const sign = (m: Buffer) => (signatures++, ed25519Signer.sign(pair.privateKey, m));
    const base = { path: '/api/v1/exchange/public_security.household', client: 'c1', timestamp: '2026-11-26T02:00:00.000Z', purpose: '核验', fields: ['name'], caseNo: 'SP-1' };
    const rs = Array.from({ length: 7 }, (_, i) => ({ ...base, subject: `13010219900307123${i}`, nonce: `nonce-${i}-aaaaaaaaaaaa` }));
    const headers = batchSignedRequestHeaders(rs, sign);
    expect(signatures).toBe(1);
    expect(new Set(headers.map((h) => h['x-tongban-signature'])).size).toBe(1);
    headers.forEach((h, i) => {
      const parsed = parseHeaders(h, base.path, rs[i]!.subject);
      if (!parsed.ok) throw new Error(parsed.problems.join());
      const message = signedMessage(canonicalRequest(parsed.request), parsed.chain);
      expect(message.toString('ascii')).toMatch(/^tongban-exchange-batch-v1:[0-9a-f]{64}$/);
      const pub = pair.publicKey;
      expect(ed25519Signer.verify(pub, message, parsed.signature)).toBe(true);
      // the same headers presented for another subject lead to another root
      const moved = parseHeaders(h, base.path, rs[(i + 1) % rs.length]!.subject);
      if (!moved.ok) throw new Error(moved.problems.join());
      expect(ed25519Signer.verify(pub, signedMessage(canonicalRequest(moved.request), moved.chain), moved.signature)).toBe(false);
    });
    // a batch of one is signed alone, over its canonical request, with no chain header
    const [one] = batchSignedRequestHeaders([rs[0]!], sign);
    expect(one!['x-tongban-signature-chain']).toBeUndefined();
    const parsed = parseHeaders(one!, base.path, rs[0]!.subject);
    if (!parsed.ok) throw new Error(parsed.problems.join());
    expect(parsed.chain).toBeNull();
    expect(ed25519Signer.verify(pair.publicKey, Buffer.from(canonicalRequest(parsed.request)), parsed.signature)).toBe(true);
    // a batch message can never be mistaken for a canonical request, nor the reverse
    expect(batchMessage(leafHash(canonicalRequest(parsed.request))).toString('ascii').startsWith('{')).toBe(false);
  });
});
