/**
 * One `Signer` interface over the two signature algorithms Tongban signs certificates and
 * exchange messages with:
 * - `ed25519` (RFC 8032) through node:crypto — the default;
 * - `sm2`: SM2 with SM3 as GB/T 32918.2-2016 defines it (Z_A = SM3(ENTL ‖ ID ‖ a ‖ b ‖ G ‖ P),
 *   e = SM3(Z_A ‖ M)), through `sm-crypto-v2`. Node's own "SM2" signature is plain ECDSA on the
 *   SM2 curve, not GB/T 32918 SM2, so it is not used (rules.md, 商用密码 GB/T 39786-2021).
 *   The signer ID is explicit; the default is the standard's "1234567812345678"
 *   (GM/T 0009-2012 §10). The known-answer test is in certificates.signer.test.ts.
 * Both produce a 64-byte signature (Ed25519 R‖S; SM2 r‖s, 32 bytes each), carried as base64.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';

export const ALGORITHMS = ['ed25519', 'sm2'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

/** GM/T 0009-2012: the default signer ID when none is agreed. */
export const SM2_DEFAULT_USER_ID = '1234567812345678';

export interface KeyPairText {
  /** Ed25519: SPKI PEM; SM2: uncompressed point, hex `04‖x‖y`. */
  publicKey: string;
  /** Ed25519: PKCS#8 PEM; SM2: the scalar d, 64 hex digits. Never leaves the server. */
  privateKey: string;
}

export interface Signer {
  readonly algorithm: Algorithm;
  generate(): KeyPairText;
  sign(privateKey: string, message: Uint8Array): Buffer;
  /** False for a wrong signature, a malformed one or a malformed key: it never throws on input. */
  verify(publicKey: string, message: Uint8Array, signature: Uint8Array): boolean;
  /** Whether a published public key is well formed for this algorithm. */
  isPublicKey(publicKey: string): boolean;
}

/** Parsed keys are cached: parsing PEM costs more than an Ed25519 verification. */
const publicKeys = new Map<string, KeyObject>();
const privateKeys = new Map<string, KeyObject>();
const CACHE_LIMIT = 10_000;

function cached(map: Map<string, KeyObject>, text: string, parse: (t: string) => KeyObject): KeyObject {
  let k = map.get(text);
  if (!k) {
    k = parse(text);
    if (map.size >= CACHE_LIMIT) map.clear();
    map.set(text, k);
  }
  return k;
}

export const ed25519Signer: Signer = {
  algorithm: 'ed25519',
  generate() {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    return {
      publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
  },
  sign(privateKey, message) {
    return nodeSign(null, message, cached(privateKeys, privateKey, (t) => createPrivateKey(t)));
  },
  verify(publicKey, message, signature) {
    if (signature.length !== 64) return false;
    let key: KeyObject;
    try {
      key = cached(publicKeys, publicKey, (t) => createPublicKey(t));
    } catch {
      return false;
    }
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return nodeVerify(null, message, key, signature);
  },
  isPublicKey(publicKey) {
    // a private key PEM would also yield a public key: refuse it, it must never be sent to us
    if (!/^-----BEGIN PUBLIC KEY-----/.test(publicKey.trim())) return false;
    try {
      return createPublicKey(publicKey).asymmetricKeyType === 'ed25519';
    } catch {
      return false;
    }
  },
};

const SM2_N = BigInt('0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123');
const HEX_POINT = /^04[0-9a-f]{128}$/;

export function sm2Signer(userId: string = SM2_DEFAULT_USER_ID): Signer {
  return {
    algorithm: 'sm2',
    generate() {
      const { publicKey, privateKey } = sm2.generateKeyPairHex();
      return { publicKey, privateKey };
    },
    sign(privateKey, message) {
      const publicKey = sm2.getPublicKeyFromPrivateKey(privateKey);
      const hex = sm2.doSignature(message, privateKey, { hash: true, publicKey, userId });
      return Buffer.from(hex, 'hex');
    },
    verify(publicKey, message, signature) {
      if (signature.length !== 64 || !HEX_POINT.test(publicKey)) return false;
      // GB/T 32918.2 §7.1 B1–B2: r and s must lie in [1, n-1] (the library does not check it)
      const r = BigInt('0x' + Buffer.from(signature.subarray(0, 32)).toString('hex'));
      const s = BigInt('0x' + Buffer.from(signature.subarray(32)).toString('hex'));
      if (r < 1n || r >= SM2_N || s < 1n || s >= SM2_N) return false;
      try {
        if (!sm2.verifyPublicKey(publicKey)) return false;
        return sm2.doVerifySignature(message, Buffer.from(signature).toString('hex'), publicKey, { hash: true, userId });
      } catch {
        return false;
      }
    },
    isPublicKey(publicKey) {
      try {
        return HEX_POINT.test(publicKey) && sm2.verifyPublicKey(publicKey);
      } catch {
        return false;
      }
    },
  };
}

export function signerFor(algorithm: Algorithm, sm2UserId: string = SM2_DEFAULT_USER_ID): Signer {
  return algorithm === 'ed25519' ? ed25519Signer : sm2Signer(sm2UserId);
}

export function isAlgorithm(v: unknown): v is Algorithm {
  return typeof v === 'string' && (ALGORITHMS as readonly string[]).includes(v);
}
