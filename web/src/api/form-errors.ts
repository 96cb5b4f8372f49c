import type { FormInstance } from 'antd';
import { isApiError } from './client';

/**
 * Puts the server's field issues onto the matching Form fields (`legalRepresentative.idNumber`
 * → ['legalRepresentative','idNumber']). Returns the issues no field took, so the caller can
 * show them with the overall message.
 */
export function applyFieldErrors(form: FormInstance, error: unknown): string[] {
  if (!isApiError(error) || error.issues.length === 0) return [];
  const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
  const unplaced: string[] = [];
  const known = new Set(
    form
      .getFieldsError()
      .map((f) => f.name.join('.')),
  );
  for (const issue of error.issues) {
    if (!issue.path || !known.has(issue.path)) {
      unplaced.push(issue.path ? `${issue.path}：${issue.message}` : issue.message);
      continue;
    }
    const entry = byField.get(issue.path) ?? { name: issue.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), errors: [] };
    entry.errors.push(issue.message);
    byField.set(issue.path, entry);
  }
  form.setFields([...byField.values()]);
  return unplaced;
}
