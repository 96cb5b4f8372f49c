import { hasMessage, type MessageKey } from '../../i18n';

/** The i18n key of a role's display name (综合窗口, 审批人员 …); unknown roles show their code. */
export function roleKey(role: string): MessageKey | null {
  const key = `role.${role}`;
  return hasMessage(key) ? key : null;
}

const ROLE_COLORS: Record<string, string> = {
  window_clerk: 'blue',
  reviewer: 'geekblue',
  department_head: 'purple',
  inspector: 'orange',
  data_steward: 'cyan',
  catalogue_admin: 'green',
  efficiency_officer: 'gold',
  system_admin: 'red',
};

export function roleColor(role: string): string {
  return ROLE_COLORS[role] ?? 'default';
}
