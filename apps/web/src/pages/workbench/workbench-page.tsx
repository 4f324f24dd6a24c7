/**
 * 工作台: what is waiting for me (accept, approve, verify, follow up), my open tickets,
 * overdue / due soon (by expected resolution time until SLA arrives), counts by status and
 * recently updated tickets. Numbers are counts of what the list API returned: when a query
 * has more pages the figure shows "N+", never an invented total.
 */
import { Badge, Card, Col, Empty, List, Row, Space, Statistic, Tabs, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { lazy, Suspense, useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate } from 'react-router';
import { TICKET_STATUSES, type TicketSummary } from '@closeloop/contract';
import { api, type TicketListParams } from '../../app/api.js';
import { formatNumber } from '../../app/format.js';
import { hasRole, isStaff, useMe } from '../../app/session.js';
import { ErrorResult } from '../../components/error-result.js';
import { PriorityTag, StatusTag } from '../../components/tags.js';
import { TimeText } from '../../components/time-text.js';
import { TicketTable } from '../tickets/ticket-table.js';

const HorizontalBars = lazy(() => import('../../components/bar-chart.js').then((m) => ({ default: m.HorizontalBars })));

const STATUS_COLORS: Record<string, string> = {
  registered: '#bfbfbf', assigned: '#1677ff', analyzing: '#2f54eb', plan_review: '#722ed1', rectifying: '#faad14',
  accepting: '#13c2c2', follow_up: '#a0d911', closed: '#52c41a', cancelled: '#8c8c8c',
};

function useTicketQuery(key: string, params: TicketListParams, enabled = true) {
  return useQuery({ queryKey: ['tickets', 'workbench', key, params], queryFn: () => api.tickets(params), enabled, staleTime: 30_000 });
}

function countText(data: { items: unknown[]; nextCursor: string | null } | undefined): string {
  if (!data) return '—';
  return `${formatNumber(data.items.length)}${data.nextCursor ? '+' : ''}`;
}

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

  const mine = useTicketQuery('mine', { owner: 'me', open: 'true', limit: 100, sort: 'updatedAt' });
  const toAccept = useTicketQuery('accept', { owner: 'me', status: ['assigned'], limit: 50 });
  const toApprove = useTicketQuery('approve', { status: ['plan_review'], limit: 50 }, canApprove);
  const toVerify = useTicketQuery('verify', { status: ['accepting'], limit: 50 }, canVerify);
  const toFollowUp = useTicketQuery('followup', { status: ['follow_up'], limit: 50 }, canFollowUp);
  const open = useTicketQuery('open', { open: 'true', limit: 200 });
  const recent = useTicketQuery('recent', { sort: 'updatedAt', order: 'desc', limit: 8 });

  useEffect(() => {
    document.title = `${t('menu.workbench')} - ${t('app.shortName')}`;
  }, [t]);

  const due = useMemo(() => {
    const now = dayjs();
    const soon = now.add(24, 'hour');
    const items = (mine.data?.items ?? []).filter((x) => x.expectedBy && dayjs(x.expectedBy).isBefore(soon));
    return items.sort((a, b) => (a.expectedBy ?? '').localeCompare(b.expectedBy ?? '')).map((x) => ({ ...x, overdue: dayjs(x.expectedBy).isBefore(now) }));
  }, [mine.data]);

  const byStatus = useMemo(() => {
    const counts = new Map<string, number>();
    for (const x of open.data?.items ?? []) counts.set(x.status, (counts.get(x.status) ?? 0) + 1);
    return TICKET_STATUSES.filter((s) => s !== 'closed' && s !== 'cancelled').map((s) => ({ status: s, label: t(`status.${s}`), value: counts.get(s) ?? 0, color: STATUS_COLORS[s] }));
  }, [open.data, t]);

  const queues = [
    { key: 'accept', title: t('workbench.toAccept'), q: toAccept, show: true, link: '/tickets?status=assigned&owner=me' },
    { key: 'approve', title: t('workbench.toApprove'), q: toApprove, show: canApprove, link: '/tickets?status=plan_review' },
    { key: 'verify', title: t('workbench.toVerify'), q: toVerify, show: canVerify, link: '/tickets?status=accepting' },
    { key: 'followup', title: t('workbench.toFollowUp'), q: toFollowUp, show: canFollowUp, link: '/tickets?status=follow_up' },
  ].filter((x) => x.show);

  const stat = (title: string, value: string, link: string, color?: string, testid?: string) => (
    <Col xs={12} md={8} xl={4}>
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
        {stat(t('workbench.myOpen'), countText(mine.data), '/tickets?owner=me&open=true', undefined, 'stat-mine')}
        {queues.map((x) => stat(x.title, countText(x.q.data), x.link, undefined, `stat-${x.key}`))}
        {stat(t('workbench.overdue'), mine.data ? formatNumber(due.filter((d) => d.overdue).length) : '—', '/tickets?owner=me&open=true&sort=updatedAt', '#cf1322', 'stat-overdue')}
      </Row>
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={16}>
          <Card size="small" title={t('workbench.waiting')} styles={{ body: { paddingTop: 0 } }}>
            <Tabs
              items={queues.map((x) => ({
                key: x.key,
                label: <Space size={4}>{x.title}<Badge count={x.q.data?.items.length ?? 0} overflowCount={49} size="small" /></Space>,
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
                        <Typography.Text type={x.overdue ? 'danger' : 'warning'} style={{ fontSize: 12 }}>
                          {x.overdue ? t('workbench.overdueSince') : t('workbench.dueIn')} <TimeText value={x.expectedBy} relative />
                        </Typography.Text>
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
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={12}>
          <Card
            size="small"
            title={t('workbench.byStatus')}
            extra={open.data?.nextCursor ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('workbench.firstN', { n: open.data.items.length })}</Typography.Text> : null}
          >
            {open.isError ? <ErrorResult compact error={open.error} onRetry={() => void open.refetch()} /> : (
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
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('list.emptyStaff')} /> }}
                renderItem={(x: TicketSummary) => (
                  <List.Item extra={<Typography.Text type="secondary" style={{ fontSize: 12 }}><TimeText value={x.updatedAt} relative /></Typography.Text>}>
                    <Space size={4} style={{ minWidth: 0 }}>
                      <Link to={`/tickets/${x.id}`}>{x.number}</Link>
                      <StatusTag status={x.status} />
                      <span style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', maxWidth: 260, display: 'inline-block', verticalAlign: 'bottom' }}>{x.title}</span>
                    </Space>
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
