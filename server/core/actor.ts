/** Who is acting. Every service receives one in its Ctx; policies decide on it alone. */
export const ROLES = [
  'window_clerk',
  'reviewer',
  'department_head',
  'inspector',
  'data_steward',
  'catalogue_admin',
  'efficiency_officer',
  'system_admin',
] as const;
export type Role = (typeof ROLES)[number];

export type Actor =
  | { kind: 'anonymous' }
  | { kind: 'person' | 'business'; accountId: string; regionCode: string | null }
  | { kind: 'staff'; accountId: string; departmentId: string; regionCode: string; roles: Role[] }
  /** A department's system calling with an API client token (X-Road's "member subsystem"). */
  | { kind: 'system'; clientId: string; departmentId: string; regionCode: string; scopes: string[] }
  /** An operator at the server console (`npx tongban …`), trusted by having shell access. */
  | { kind: 'console'; operator: string };

export type StaffActor = Extract<Actor, { kind: 'staff' }>;

export const ANONYMOUS: Actor = { kind: 'anonymous' };

export function hasRole(actor: Actor, ...roles: Role[]): actor is StaffActor {
  return actor.kind === 'staff' && roles.some((r) => actor.roles.includes(r));
}

/** The actor as written into the audit chain: identifiers only, never names or ID numbers. */
export function actorRef(actor: Actor): Record<string, string> {
  switch (actor.kind) {
    case 'anonymous':
      return { kind: 'anonymous' };
    case 'person':
    case 'business':
      return { kind: actor.kind, account: actor.accountId };
    case 'staff':
      return { kind: 'staff', account: actor.accountId, department: actor.departmentId };
    case 'system':
      return { kind: 'system', client: actor.clientId, department: actor.departmentId };
    case 'console':
      return { kind: 'console', operator: actor.operator };
  }
}
