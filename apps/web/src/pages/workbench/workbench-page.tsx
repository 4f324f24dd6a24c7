/**
 * 工作台: what is waiting for me (accept, approve, verify, follow up), my open tickets,
 * overdue / due soon (by the SLA clocks' due times), counts by status and
 * the latest activity. Every figure is a server-side count over the same filters as the list
 * it links to, so the number on a card is the number of rows behind the link.
 */
import { Badge, Card, Col, Empty, List, Row, Space, Statistic, Tabs, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { lazy, Suspense, useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate } from 'react-router';
import { SLA_DUE_SOON_MINUTES, TICKET_STATUSES, type ActivityItem, type TicketCounts } from '@closeloop/contract';
import { api, type TicketCountsParams, type TicketListParams } from '../../app/api.js';
import { formatNumber } from '../../app/format.js';
import { hasRole, isStaff, useMe } from '../../app/session.js';
import { ErrorResult } from '../../components/error-result.js';
import { PriorityTag } from '../../components/tags.js';
import { SlaBadge } from '../../components/sla-badge.js';
import { TimeText } from '../../components/time-text.js';
import { TicketTable } from '../tickets/ticket-table.js';
import { translateOr } from '../tickets/timeline.js';
import { ApprovalBoxCard } from '../approvals/approval-box-card.js';
import { RectWorkbenchCards } from '../rectification/workbench-cards.js';

const HorizontalBars = lazy(() => import('../../components/bar-chart.js').then((m) => ({ default: m.HorizontalBars })));

const STATUS_COLORS: Record<string, string> = {
  registered: '#bfbfbf', assigned: '#1677ff', analyzing: '#2f54eb', plan_review: '#722ed1', rectifying: '#faad14',
  accepting: '#13c2c2', follow_up: '#a0d911', closed: '#52c41a', cancelled: '#8c8c8c',
};

function useTicketQuery(key: string, params: TicketListParams, enabled = true) {
  return useQuery({ queryKey: ['tickets', 'workbench', key, params], queryFn: () => api.tickets(params), enabled, staleTime: 30_000 });
}

function useCounts(key: string, params: TicketCountsParams) {
  return useQuery({ queryKey: ['tickets', 'workbench', 'counts', key, params], queryFn: ({ signal }) => api.ticketCounts(params, signal), staleTime: 30_000 });
}

/** The count of one status from a by-status answer; undefined while loading. */
function statusCount(data: TicketCounts | undefined, status: string): number | undefined {
  if (!data) return undefined;
  return data.groups.find((g) => g.key === status)?.count ?? 0;
}

const countText = (n: number | undefined): string => (n === undefined ? '—' : formatNumber(n));

export default function WorkbenchPage() {
  const me = useMe();
  return isStaff(me) ? <Workbench /> : <Navigate to="/tickets" replace />;
}

function Workbench() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const canApprove = hasRole(me, 'admin', 'manager');
  const canVerify = hasRole(me, 'admin', 'manager', 'verifier');
  const canFollowUp = hasRole(me, 'admin', 'manager', 'agent');

  // Lists only for the rows shown; every figure comes from the two counts below.
  const mine = useTicketQuery('mine', { owner: 'me', open: 'true', limit: 100, sort: 'updatedAt' });
  const toAccept = useTicketQuery('accept', { owner: 'me', status: ['assigned'], limit: 50 });
  const toApprove = useTicketQuery('approve', { status: ['plan_review'], limit: 50 }, canApprove);
  const toVerify = useTicketQuery('verify', { status: ['accepting'], limit: 50 }, canVerify);
  const toFollowUp = useTicketQuery('followup', { status: ['follow_up'], limit: 50 }, canFollowUp);
  const mineCounts = useCounts('mine', { owner: 'me', open: 'true' });
  const openCounts = useCounts('open', { open: 'true' });
  const recent = useQuery({ queryKey: ['tickets', 'workbench', 'activity'], queryFn: ({ signal }) => api.activity({ limit: 10 }, signal), staleTime: 30_000 });

  useEffect(() => {
    document.title = `${t('menu.workbench')} - ${t('app.shortName')}`;
  }, [t]);

  // From the SLA clocks: the nearest due time of each of my open tickets' running clocks.
  const due = useMemo(() => {
    const soon = dayjs().add(SLA_DUE_SOON_MINUTES, 'minute');
    const items = (mine.data?.items ?? []).filter((x) => x.sla.dueAt && dayjs(x.sla.dueAt).isBefore(soon));
    return items.sort((a, b) => (a.sla.dueAt ?? '').localeCompare(b.sla.dueAt ?? ''));
  }, [mine.data]);

  const byStatus = useMemo(() => {
    return TICKET_STATUSES.filter((s) => s !== 'closed' && s !== 'cancelled').map((s) => ({ status: s, label: t(`status.${s}`), value: statusCount(openCounts.data, s) ?? 0, color: STATUS_COLORS[s] }));
  }, [openCounts.data, t]);

  const queues = [
    { key: 'accept', title: t('workbench.toAccept'), q: toAccept, count: statusCount(mineCounts.data, 'assigned'), show: true, link: '/tickets?status=assigned&owner=me' },
    { key: 'approve', title: t('workbench.toApprove'), q: toApprove, count: statusCount(openCounts.data, 'plan_review'), show: canApprove, link: '/tickets?status=plan_review' },
    { key: 'verify', title: t('workbench.toVerify'), q: toVerify, count: statusCount(openCounts.data, 'accepting'), show: canVerify, link: '/tickets?status=accepting' },
    { key: 'followup', title: t('workbench.toFollowUp'), q: toFollowUp, count: statusCount(openCounts.data, 'follow_up'), show: canFollowUp, link: '/tickets?status=follow_up' },
  ].filter((x) => x.show);

  const stat = (title: string, value: string, link: string, color?: string, testid?: string) => (
    <Col key={testid} flex="1 1 160px">
      <Link to={link}>
        <Card size="small" hoverable data-testid={testid}>
          <Statistic title={title} value={value} styles={{ content: { color } }} />
        </Card>
      </Link>
    </Col>
  );

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Row gutter={[12, 12]}>
        {stat(t('workbench.myOpen'), countText(mineCounts.data?.total), '/tickets?owner=me&open=true', undefined, 'stat-mine')}
        {queues.map((x) => stat(x.title, countText(x.count), x.link, undefined, `stat-${x.key}`))}
        {stat(t('workbench.overdue'), countText(mineCounts.data?.due.overdue), '/tickets?owner=me&sla=overdue&sort=slaDue&order=asc', '#cf1322', 'stat-overdue')}
        {stat(t('workbench.dueSoon'), countText(mineCounts.data?.due.dueSoon), '/tickets?owner=me&sla=due_soon&sort=slaDue&order=asc', '#d48806', 'stat-due-soon')}
      </Row>
      <ApprovalBoxCard />
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={16}>
          <Card size="small" title={t('workbench.waiting')} styles={{ body: { paddingTop: 0 } }}>
            <Tabs
              items={queues.map((x) => ({
                key: x.key,
                label: <Space size={4}>{x.title}<Badge count={x.count ?? 0} overflowCount={999} size="small" /></Space>,
                children: x.q.isError ? <ErrorResult compact error={x.q.error} onRetry={() => void x.q.refetch()} /> : (
                  <TicketTable compact items={x.q.data?.items ?? []} loading={x.q.isLoading} empty={<Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('workbench.nothingWaiting')} />} />
                ),
              }))}
            />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card size="small" title={t('workbench.dueTitle')} extra={<Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('workbench.dueNote')}</Typography.Text>}>
            {mine.isError ? <ErrorResult compact error={mine.error} onRetry={() => void mine.refetch()} /> : (
              <List
                size="small"
                loading={mine.isLoading}
                dataSource={due.slice(0, 8)}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('workbench.nothingDue')} /> }}
                renderItem={(x) => (
                  <List.Item>
                    <div style={{ minWidth: 0, width: '100%' }}>
                      <Space size={4} wrap>
                        <Link to={`/tickets/${x.id}`}>{x.number}</Link>
                        <PriorityTag priority={x.priority} />
                        <SlaBadge sla={x.sla} />
                      </Space>
                      <div style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{x.title}</div>
                    </div>
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
      </Row>
      <RectWorkbenchCards />
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={12}>
          <Card
            size="small"
            title={t('workbench.byStatus')}
            extra={openCounts.data ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('workbench.openTotal', { n: formatNumber(openCounts.data.total) })}</Typography.Text> : null}
          >
            {openCounts.isError ? <ErrorResult compact error={openCounts.error} onRetry={() => void openCounts.refetch()} /> : (
              <Suspense fallback={<div style={{ height: 260 }} />}>
                <HorizontalBars
                  bars={byStatus}
                  onClick={(i) => { const s = byStatus[i]; if (s) navigate(`/tickets?status=${s.status}`); }}
                />
              </Suspense>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('workbench.recent')}>
            {recent.isError ? <ErrorResult compact error={recent.error} onRetry={() => void recent.refetch()} /> : (
              <List
                size="small"
                loading={recent.isLoading}
                dataSource={recent.data?.items ?? []}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('workbench.nothingRecent')} /> }}
                renderItem={(x) => <ActivityRow item={x} />}
              />
            )}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}

/** One line of 最近动态: who did what on which ticket, and when (exact time on hover). */
function ActivityRow({ item }: { item: ActivityItem }) {
  const { t } = useTranslation();
  const command = typeof item.data?.command === 'string' ? item.data.command : undefined;
  const action = translateOr(t, `event.${item.type}`, command ? translateOr(t, `command.${command}`, item.type) : item.type);
  return (
    <List.Item data-testid="activity-item" extra={<Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}><TimeText value={item.at} relative /></Typography.Text>}>
      <div style={{ minWidth: 0, width: '100%' }}>
        <Space size={4} wrap>
          <Typography.Text strong>{item.actor?.displayName ?? t(`actorKind.${item.actorKind}`)}</Typography.Text>
          <span>{action}</span>
          <Link to={`/tickets/${item.ticket.id}`}>{item.ticket.number}</Link>
        </Space>
        <div style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
          <Typography.Text type="secondary">{item.ticket.title}</Typography.Text>
        </div>
      </div>
    </List.Item>
  );
}
