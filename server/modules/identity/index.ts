/** Accounts (person, business, staff), sessions, roles, API clients. */
export { identityRoutes } from './identity.routes.js';
export { SESSION_COOKIE } from './identity.tokens.js';
export {
  authenticate,
  register,
  login,
  logout,
  me,
  createStaff,
  listStaff,
  createApiClient,
  listApiClients,
  requireScope,
  countAdministrators,
  getApplicant,
  findApplicant,
  accountNames,
  type ApplicantInfo,
  type CreateStaffInput,
} from './identity.service.js';
