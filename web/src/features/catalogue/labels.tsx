import { Tag } from 'antd';
import { useT } from '../../components/locale';
import type { MessageKey } from '../../i18n';
import type { ItemType } from './api';

/** 事项类型 in the order of GB/T 39554.1 (许可 first, 公共服务 last). */
export const ITEM_TYPE_KEYS: [ItemType, MessageKey][] = [
  ['licensing', 'itemType.licensing'],
  ['benefit', 'itemType.benefit'],
  ['confirmation', 'itemType.confirmation'],
  ['reward', 'itemType.reward'],
  ['adjudication', 'itemType.adjudication'],
  ['filing', 'itemType.filing'],
  ['other', 'itemType.other'],
  ['public_service', 'itemType.public_service'],
];
const TYPE_KEY = new Map(ITEM_TYPE_KEYS);

const TYPE_COLORS: Partial<Record<ItemType, string>> = {
  licensing: 'volcano',
  benefit: 'green',
  confirmation: 'blue',
  filing: 'cyan',
  public_service: 'geekblue',
};

export function ItemTypeTag({ type }: { type: ItemType }) {
  const t = useT();
  const key = TYPE_KEY.get(type);
  return <Tag color={TYPE_COLORS[type] ?? 'default'}>{key ? t(key) : type}</Tag>;
}

const FORM_KEYS: Record<string, MessageKey> = { original: 'materialForm.original', copy: 'materialForm.copy', electronic: 'materialForm.electronic' };

/** 原件 / 复印件 / 电子材料. */
export function MaterialFormTag({ form }: { form: string }) {
  const t = useT();
  const key = FORM_KEYS[form];
  return <Tag bordered={false}>{key ? t(key) : form}</Tag>;
}

export function ApplicantKindTags({ kinds }: { kinds: readonly string[] }) {
  const t = useT();
  return (
    <>
      {kinds.map((k) => (
        <Tag key={k} color={k === 'business' ? 'purple' : 'cyan'}>
          {k === 'business' ? t('kind.business') : k === 'person' ? t('kind.person') : k}
        </Tag>
      ))}
    </>
  );
}
