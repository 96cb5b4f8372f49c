/** Use cases that write across modules, wired once at start-up. */
import { registerCertificateFlow } from './issue-certificate-on-approval.js';
import { registerDelegationFlow } from './delegation-hooks.js';

export function registerFlows(): void {
  registerCertificateFlow();
  registerDelegationFlow();
}
