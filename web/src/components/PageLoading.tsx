import { Flex, Spin } from 'antd';
import { useT } from './locale';

export function PageLoading() {
  const t = useT();
  return (
    <Flex justify="center" align="center" style={{ minHeight: 240 }}>
      <Spin description={t('common.loading')} />
    </Flex>
  );
}
