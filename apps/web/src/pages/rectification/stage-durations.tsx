/** 各阶段耗时: business time spent in each status (from the status-change events, default calendar). */
import { Card, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { StageDurations } from '@closeloop/contract';
import { minutesText } from './rect-format.js';

export function StageDurationsCard({ durations }: { durations: StageDurations }) {
  const { t } = useTranslation();
  const items = durations.items.filter((i) => i.entered > 0);
  if (!items.length) return null;
  const total = items.reduce((s, i) => s + i.businessMinutes, 0);
  return (
    <Card size="small" title={t('rectification.stages.title')} extra={<Typography.Text type="secondary">{t('rectification.stages.total', { time: minutesText(total, t) })}</Typography.Text>} data-testid="stage-durations">
      <Table
        size="small"
        rowKey="status"
        pagination={false}
        dataSource={items}
        columns={[
          { title: t('rectification.stages.stage'), render: (_v, i) => t(`status.${i.status}`) },
          { title: t('rectification.stages.business'), render: (_v, i) => minutesText(i.businessMinutes, t) },
          { title: t('rectification.stages.wall'), render: (_v, i) => <Typography.Text type="secondary">{minutesText(i.minutes, t)}</Typography.Text> },
          { title: t('rectification.stages.entered'), width: 90, render: (_v, i) => (i.entered > 1 ? <Space>{t('rectification.stages.times', { count: i.entered })}</Space> : '') },
        ]}
      />
    </Card>
  );
}
