/** 工作台 › 审批: 待我审批 / 我已审批 / 抄送我, each row linking to its ticket (GET /me/approvals). */
import { Badge, Button, Card, Empty, List, Space, Tabs, Tag, Typography } from 'antd';
import { ExportButton } from '../spreadsheets/export-button.js';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ApprovalBox, ApprovalBoxItem } from '@closeloop/contract';
import { ErrorResult } from '../../components/error-result.js';
import { TimeText } from '../../components/time-text.js';
import { approvalsApi } from './approvals-api.js';

const TASK_COLOR: Partial<Record<ApprovalBoxItem['taskStatus'], string>> = { approved: 'green', rejected: 'red', returned: 'orange', running: 'processing' };

function useBox(box: ApprovalBox, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: ['approvals', 'box', box],
    queryFn: ({ pageParam }) => approvalsApi.box(box, pageParam ?? undefined),
    initialPageParam: null as string | null,
    getNextPageParam: (p) => p.nextCursor,
    enabled,
    staleTime: 30_000,
  });
}

function BoxList({ box }: { box: ApprovalBox }) {
  const { t } = useTranslation();
  const q = useBox(box, true);
  if (q.isError) return <ErrorResult compact error={q.error} onRetry={() => void q.refetch()} />;
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <List
      size="small"
      loading={q.isLoading}
      dataSource={items}
      data-testid={`approval-box-${box}`}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(`approvals.box.empty.${box}`)} /> }}
      loadMore={q.hasNextPage ? <div style={{ textAlign: 'center', marginTop: 8 }}><Button size="small" loading={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>{t('approvals.box.more')}</Button></div> : null}
      renderItem={(x) => (
        <List.Item
          key={x.taskId}
          data-testid="approval-box-item"
          extra={<Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}><TimeText value={x.at} relative /></Typography.Text>}
        >
          <div style={{ minWidth: 0, width: '100%' }}>
            <Space size={4} wrap>
              <Link to={`/tickets/${x.ticketId}`}>{x.ticketNumber}</Link>
              <Tag>{t(`approvals.gate.${x.gate}`)}</Tag>
              <Typography.Text type="secondary">{x.nodeName}</Typography.Text>
              {box === 'done' ? <Tag color={TASK_COLOR[x.taskStatus]}>{t(`approvals.taskStatus.${x.taskStatus}`)}</Tag> : null}
              {box === 'cc' && !x.readAt ? <Badge status="processing" text={t('approvals.box.unread')} /> : null}
              {box !== 'todo' && x.instanceStatus !== 'running' ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t(`approvals.instance.status.${x.instanceStatus}`)}</Typography.Text> : null}
            </Space>
            <div style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
              {x.ticketTitle}
              <Typography.Text type="secondary" style={{ marginLeft: 8, fontSize: 12 }}>{t('approvals.box.by', { name: x.initiatorName })}</Typography.Text>
            </div>
          </div>
        </List.Item>
      )}
    />
  );
}

export function ApprovalBoxCard() {
  const { t } = useTranslation();
  const [box, setBox] = useState<ApprovalBox>('todo');
  const todo = useBox('todo', true);
  const todoCount = todo.data?.pages[0]?.todoCount ?? 0;
  return (
    <Card size="small" title={t('approvals.box.title')} extra={<ExportButton list="approvals" query={{ box }} />} styles={{ body: { paddingTop: 0 } }} data-testid="approval-box">
      <Tabs
        activeKey={box}
        onChange={(k) => setBox(k as ApprovalBox)}
        destroyOnHidden
        items={(['todo', 'done', 'cc'] as const).map((b) => ({
          key: b,
          label: b === 'todo' ? <Space size={4}>{t('approvals.box.todo')}<Badge count={todoCount} size="small" overflowCount={99} /></Space> : t(`approvals.box.${b}`),
          children: <BoxList box={b} />,
        }))}
      />
    </Card>
  );
}
