import { Tag } from 'antd';
import { useT } from '../../components/locale';
import { hasMessage } from '../../i18n';
import type { GrantStatus, SharingType } from './api';

const SHARING_COLORS: Record<SharingType, string> = { open: 'success', conditional: 'warning', closed: 'error' };

/** 无条件共享 / 有条件共享 / 不予共享. */
export function SharingTypeTag({ type }: { type: SharingType }) {
  const t = useT();
  return <Tag color={SHARING_COLORS[type]}>{t(`sharingType.${type}`)}</Tag>;
}

const GRANT_COLORS: Record<GrantStatus, string> = { pending: 'processing', granted: 'success', refused: 'error', withdrawn: 'default', expired: 'default' };

export function GrantStatusTag({ status }: { status: GrantStatus }) {
  const t = useT();
  return (
    <Tag color={GRANT_COLORS[status]} data-testid="grant-status">
      {t(`grantStatus.${status}`)}
    </Tag>
  );
}

/**
 * A data field's name as people say it: `applicant.name` → 申请人姓名, `form.phone` → 申请表·联系电话,
 * `idNumber` → 公民身份号码; a field we do not know keeps its code. `labels` are the resource's own.
 */
export function useDataFieldLabel(): (field: string, labels?: ReadonlyMap<string, string>) => string {
  const t = useT();
  const known = (name: string) => {
    const key = `dataField.${name}`;
    return hasMessage(key) ? t(key) : null;
  };
  return (field, labels) => {
    if (field === 'applicant.name') return t('access.applicantName');
    if (field.startsWith('form.')) {
      const name = field.slice(5);
      return `${t('access.formPrefix')}${known(name) ?? name}`;
    }
    return labels?.get(field) ?? known(field) ?? field;
  };
}
