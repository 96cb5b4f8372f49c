import { describe, expect, it } from 'vitest';
import { sm2, sm3 } from 'sm-crypto-v2';
import { ed25519Signer, sm2Signer, SM2_DEFAULT_USER_ID } from './certificates.signer.js';

/**
 * GB/T 32918.5-2017 (GM/T 0003.5-2012) Annex A: the signature example on the recommended curve,
 * with the signer ID 1234567812345678, the message "message digest", the private key d_A and
 * the fixed random k that the standard prints, and the Z_A, e, r and s it prints.
 */
const KAT = {
  d: '3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8',
  publicKey:
    '04' + '09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020' + 'ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13',
  message: 'message digest',
  k: '59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21',
  z: 'b2e14c5c79c6df5b85f4fe7ed8db7a262b9da7e07ccb0ea9f4747b8ccda8a4f3',
  e: 'f0b43e94ba45accaace692ed534382eb17e6ab5a19ce7b31f4486fdfc0d28640',
  r: 'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3',
  s: 'b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa',
};
const message = new TextEncoder().encode(KAT.message);

describe('SM2 with SM3 (GB/T 32918.2, known answers of GB/T 32918.5 Annex A)', () => {
  it('hashes with SM3 as GB/T 32905-2016 example 1 prints', () => {
    expect(sm3('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('derives the standard’s public key, Z_A and e', () => {
    expect(sm2.getPublicKeyFromPrivateKey(KAT.d)).toBe(KAT.publicKey);
    expect(Buffer.from(sm2.getZ(KAT.publicKey, SM2_DEFAULT_USER_ID)).toString('hex')).toBe(KAT.z);
    expect(sm2.getHash(Buffer.from(KAT.message).toString('hex'), KAT.publicKey, SM2_DEFAULT_USER_ID)).toBe(KAT.e);
  });

  it('signs with the standard’s fixed k to exactly its r and s', () => {
    const kG = sm2.getPublicKeyFromPrivateKey(KAT.k); // (x1, y1) = [k]G
    const point = { k: BigInt('0x' + KAT.k), x1: BigInt('0x' + kG.slice(2, 66)) };
    const sig = sm2.doSignature(message, KAT.d, { hash: true, publicKey: KAT.publicKey, userId: SM2_DEFAULT_USER_ID, pointPool: [point] });
    expect(sig).toBe(KAT.r + KAT.s);
  });

  it('verifies the standard’s signature with the standard’s public key through the Signer', () => {
    const signer = sm2Signer();
    expect(signer.verify(KAT.publicKey, message, Buffer.from(KAT.r + KAT.s, 'hex'))).toBe(true);
  });

  it('refuses the standard’s signature over another message, under another ID, or with r or s out of range', () => {
    const signature = Buffer.from(KAT.r + KAT.s, 'hex');
    expect(sm2Signer().verify(KAT.publicKey, new TextEncoder().encode('message digesT'), signature)).toBe(false);
    expect(sm2Signer('ALICE123@YAHOO.COM').verify(KAT.publicKey, message, signature)).toBe(false);
    const n = 'fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123';
    expect(sm2Signer().verify(KAT.publicKey, message, Buffer.from(n + KAT.s, 'hex'))).toBe(false);
    expect(sm2Signer().verify(KAT.publicKey, message, Buffer.from('00'.repeat(32) + KAT.s, 'hex'))).toBe(false);
    expect(sm2Signer().verify('04' + 'ab'.repeat(64), message, signature)).toBe(false); // not on the curve
  });

  it('signs and verifies with a generated key (random k each time)', () => {
    const signer = sm2Signer();
    const keys = signer.generate();
    const a = signer.sign(keys.privateKey, message);
    const b = signer.sign(keys.privateKey, message);
    expect(a.equals(b)).toBe(false);
    expect(signer.verify(keys.publicKey, message, a)).toBe(true);
    expect(signer.verify(keys.publicKey, message, b)).toBe(true);
  });
});

describe('Ed25519 (RFC 8032)', () => {
  it('verifies RFC 8032 §7.1 test 1 (empty message)', () => {
    const pub = Buffer.from('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'hex');
    const pem = `-----BEGIN PUBLIC KEY-----\n${Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), pub]).toString('base64')}\n-----END PUBLIC KEY-----\n`;
    const sig = Buffer.from(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
      'hex',
    );
    expect(ed25519Signer.verify(pem, new Uint8Array(0), sig)).toBe(true);
    expect(ed25519Signer.verify(pem, new Uint8Array([0]), sig)).toBe(false);
  });

  it('never throws on a malformed key or signature', () => {
    const keys = ed25519Signer.generate();
    expect(ed25519Signer.verify('not a key', message, Buffer.alloc(64))).toBe(false);
    expect(ed25519Signer.verify(keys.publicKey, message, Buffer.alloc(10))).toBe(false);
    expect(ed25519Signer.isPublicKey(keys.publicKey)).toBe(true);
    expect(ed25519Signer.isPublicKey(keys.privateKey)).toBe(false); // a private key is never accepted as one
    expect(sm2Signer().isPublicKey(keys.publicKey)).toBe(false);
  });
});
