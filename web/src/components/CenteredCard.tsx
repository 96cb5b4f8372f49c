import type { ReactNode } from 'react';
import { Card, Flex } from 'antd';

/** The sign-in and registration panels: one card in the middle of the page. */
export function CenteredCard({ title, width = 420, children }: { title: ReactNode; width?: number; children: ReactNode }) {
  return (
    <Flex justify="center" style={{ padding: '48px 16px' }}>
      <Card title={title} style={{ width: '100%', maxWidth: width }}>
        {children}
      </Card>
    </Flex>
  );
}
