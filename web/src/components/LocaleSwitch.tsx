import { Button } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { useLocale } from './locale';

export function LocaleSwitch() {
  const { locale, setLocale, t } = useLocale();
  return (
    <Button
      type="text"
      icon={<GlobalOutlined />}
      aria-label={t('locale.switchLabel')}
      data-testid="locale-switch"
      onClick={() => setLocale(locale === 'zh-CN' ? 'en-US' : 'zh-CN')}
      style={{ color: 'inherit' }}
    >
      {t('locale.switch')}
    </Button>
  );
}
