import { Button, Card, Descriptions, Typography } from 'antd';
import type { DescriptionsProps } from 'antd';
import { LogoutOutlined } from '@ant-design/icons';
import { useT } from '../../components/locale';
import { RegionName } from '../regions/RegionName';
import type { User } from './api';
import { RequireAuth } from './RequireAuth';
import { RoleTags } from './RoleTags';
import { useSignOut } from './useSignOut';

function Profile({ user }: { user: User }) {
  const t = useT();
  const { signOut, pending } = useSignOut();
  const items: DescriptionsProps['items'] = [
    { key: 'username', label: t('profile.username'), children: user.username },
    { key: 'kind', label: t('profile.kind'), children: t(`kind.${user.kind}`) },
    { key: 'name', label: t('profile.name'), children: user.name },
  ];
  if (user.idNumberMasked) items.push({ key: 'id', label: t('profile.idNumber'), children: <span data-testid="id-number">{user.idNumberMasked}</span> });
  if (user.creditCode) items.push({ key: 'credit', label: t('profile.creditCode'), children: user.creditCode });
  if (user.legalRepresentative) {
    items.push({ key: 'rep', label: t('profile.legalRep'), children: `${user.legalRepresentative.name}（${user.legalRepresentative.idNumberMasked}）` });
  }
  if (user.phoneMasked) items.push({ key: 'phone', label: t('profile.phone'), children: user.phoneMasked });
  if (user.department) items.push({ key: 'dept', label: t('profile.department'), children: user.department.name });
  items.push({ key: 'region', label: t('profile.region'), children: <RegionName code={user.regionCode ?? user.department?.regionCode} /> });
  if (user.roles.length) items.push({ key: 'roles', label: t('profile.roles'), children: <RoleTags roles={user.roles} /> });

  return (
    <Card
      title={t('profile.title')}
      extra={
        <Button
          danger
          icon={<LogoutOutlined />}
          loading={pending}
          onClick={signOut}
          data-testid="logout"
        >
          {t('profile.logout')}
        </Button>
      }
    >
      <Descriptions bordered column={1} items={items} />
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
        {t('profile.maskedNote')}
      </Typography.Paragraph>
    </Card>
  );
}

export function ProfilePage() {
  return <RequireAuth>{(user) => <Profile user={user} />}</RequireAuth>;
}
