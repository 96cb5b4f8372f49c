/** Data sharing: the DataCatalogue, SharingGrants, the signed exchange API, AccessRecords. */
export { sharingRoutes } from './sharing.routes.js';
export {
  listCatalogue,
  getResource,
  ensureDataCatalogue,
  seedSharingDemo,
  requestGrant,
  decideGrant,
  withdrawGrant,
  listGrants,
  registerClientKey,
  listClientKeys,
  revokeClientKey,
  exchangeRead,
  recordAccess,
  readForCase,
  readOwnRecord,
  type SharedRead,
  listMyAccessRecords,
  listProviderAccessRecords,
  raiseObjection,
  listObjections,
  answerObjection,
  EXCHANGE_SCOPE,
  DECISION_WORKING_DAYS,
  type RecordAccessInput,
  type ExchangeAnswer,
} from './sharing.service.js';
export {
  HEADERS as EXCHANGE_HEADERS,
  canonicalRequest,
  requestHash,
  signedRequestHeaders,
  batchSignedRequestHeaders,
  answerSignedBytes,
  MAX_SKEW_MS,
  type ExchangeRequest,
} from './sharing.protocol.js';
export { decideExchange } from './sharing.policy.js';
export { usableGrant, type UsableGrant } from './sharing.reuse.js';
