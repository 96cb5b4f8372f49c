import { Space, Tag } from 'antd';
import { useT } from '../../components/locale';
import { roleColor, roleKey } from './roles';

export function RoleTags({ roles }: { roles: string[] }) {
  const t = useT();
  return (
    <Space size={[4, 4]} wrap>
      {roles.map((r) => {
        const key = roleKey(r);
        return (
          <Tag key={r} color={roleColor(r)} data-testid="role-tag">
            {key ? t(key) : r}
          </Tag>
        );
      })}
    </Space>
  );
}
