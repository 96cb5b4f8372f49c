import { useRef, useState } from 'react';
import { Select } from 'antd';
import { useT } from '../../components/locale';
import { useItemSearch } from './api';

/**
 * Several ServiceItems picked by searching the catalogue as one types (names, codes, everyday
 * wording); the value is their item codes. For an antd Form.Item.
 */
export function ItemSelect({ value, onChange, id }: { value?: string[]; onChange?: (codes: string[]) => void; id?: string }) {
  const t = useT();
  const [q, setQ] = useState('');
  const search = useItemSearch({ q, limit: 30, offset: 0 });
  const names = useRef(new Map<string, string>());
  for (const hit of search.data?.items ?? []) names.current.set(hit.itemCode, hit.name);
  const hits = search.data?.items ?? [];
  const chosen = (value ?? []).filter((c) => !hits.some((h) => h.itemCode === c));
  const options = [
    ...chosen.map((c) => ({ value: c, label: names.current.has(c) ? `${names.current.get(c)}（${c}）` : c })),
    ...hits.map((h) => ({ value: h.itemCode, label: `${h.name}（${h.itemCode}）` })),
  ];
  return (
    <Select<string[]>
      id={id}
      mode="multiple"
      value={value}
      onChange={(v) => onChange?.(v)}
      showSearch={{ filterOption: false, onSearch: setQ }}
      loading={search.isFetching}
      options={options}
      placeholder={t('itemSelect.placeholder')}
      notFoundContent={search.isFetching ? t('common.loading') : t('itemSelect.none')}
      data-testid="item-select"
    />
  );
}
