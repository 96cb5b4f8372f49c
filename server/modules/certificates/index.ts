/** Electronic certificates (电子证照): issue, verify, revoke, the holder's Wallet, share links. */
export { certificatesRoutes } from './certificates.routes.js';
export {
  issueCertificate,
  importCertificates,
  verifyCertificate,
  verifyPresentedDocument,
  revokeCertificate,
  listWallet,
  listPublishedKeys,
  rotateDepartmentKey,
  findPublishedKey,
  signAsDepartment,
  subjectOfActor,
  holderCertificates,
  type HeldCertificate,
  type IssueCertificateInput,
  type IssuedCertificate,
  type DepartmentSignature,
} from './certificates.service.js';
export {
  verifyDocument,
  keyRing,
  signedBytes,
  type CertificateDocument,
  type CertificatePayload,
  type PublishedKey,
  type Verification,
  type VerifyReason,
  type KeyRing,
} from './certificates.verify.js';
export { signerFor, ed25519Signer, sm2Signer, SM2_DEFAULT_USER_ID, type Algorithm, type Signer } from './certificates.signer.js';
export { certVerifyCommand } from './certificates.cli.js';
export { seedCertificatesDemo } from './certificates.demo.js';
