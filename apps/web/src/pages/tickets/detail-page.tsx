/**
 * 工单详情: header (number, status, priority, owner, SLA clocks with live countdowns) with the actions the user
 * may take now, the content of each stage, the customer and their history, and the history of
 * the ticket itself (timeline from audit events, comments, attachments).
 */
import { Button, Card, Col, Descriptions, Grid, Row, Skeleton, Space, Steps, Tabs, Tag, Tooltip, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { SlaClock, Ticket, TicketStatus } from '@closeloop/contract';
import { api } from '../../app/api.js';
import { categoryName, useCategories, useDepartments, useUsers } from '../../app/lookups.js';
import { isStaff, useMe } from '../../app/session.js';
import { ErrorResult } from '../../components/error-result.js';
import { FlagTags, PriorityTag, StatusTag } from '../../components/tags.js';
import { TimeText } from '../../components/time-text.js';
import { SlaBadge } from '../../components/sla-badge.js';
import { formatTime } from '../../app/format.js';
import { AttachmentsPanel } from './attachments-panel.js';
import { CommentsPanel } from './comments-panel.js';
import { CustomerHistory } from './customer-lookup.js';
import { FormValuesCard } from '../../forms/form-values-view.js';
import { OutcomeSection, ProblemSection } from './stage-sections.js';
import { RectificationSections } from '../rectification/rectification-sections.js';
import { PriorityEditor } from './priority-editor.js';
import { TicketActions } from './ticket-actions.js';
import { TicketTimeline } from './timeline.js';
import { TicketTagsCard } from './ticket-tags-card.js';
import { useSkillGroups, useTags } from '../../app/routing-api.js';
import { FollowupCard } from '../followup/followup-card.js';
import { TicketSimilarCard } from '../followup/intake-suggestions.js';
import { TicketApprovalsCard } from '../approvals/ticket-approvals-card.js';
import { MergeCustomerButton } from '../customers/merge-customer-modal.js';
import { portalApi } from '../portal/portal-api.js';
import { useEventStream } from '../portal/use-portal-stream.js';

const FULL: TicketStatus[] = ['registered', 'assigned', 'analyzing', 'plan_review', 'rectifying', 'accepting', 'follow_up', 'closed'];
const QUICK: TicketStatus[] = ['registered', 'assigned', 'analyzing', 'follow_up', 'closed'];

function StageSteps({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  if (ticket.status === 'cancelled') return null;
  const stages = ticket.processTemplate === 'quick' ? QUICK : FULL;
  const current = Math.max(0, stages.indexOf(ticket.status));
  return (
    <Steps
      size="small"
      current={current}
      status={ticket.status === 'closed' ? 'finish' : 'process'}
      items={stages.map((s) => ({ key: s, title: t(ticket.processTemplate === 'quick' && s === 'analyzing' ? 'status.handling' : `status.${s}`) }))}
      style={{ marginTop: 16 }}
    />
  );
}

/** One SLA clock: its badge (live countdown), with the target, calendar source and due time on hover. */
function ClockCell({ clock }: { clock: SlaClock | undefined }) {
  const { t } = useTranslation();
  if (!clock) return <Typography.Text type="secondary">{t('sla.none')}</Typography.Text>;
  const hint = [
    t('sla.target', { minutes: clock.targetMinutes }),
    clock.source.startsWith('tier:') ? t('sla.fromTier', { tier: t(`tier.${clock.source.slice(5)}`) }) : clock.policy?.name,
    t('sla.dueAt', { time: formatTime(clock.dueAt) }),
    clock.pausedMinutes ? t('sla.pausedFor', { minutes: clock.pausedMinutes }) : null,
  ].filter(Boolean).join(' · ');
  return (
    <Tooltip title={hint}>
      <span data-testid={`sla-${clock.metric}`}>
        <SlaBadge sla={{ dueAt: clock.dueAt, state: clock.status === 'met' || clock.status === 'cancelled' ? null : clock.status }} status={clock.status} />
      </span>
    </Tooltip>
  );
}

function Header({ ticket, isMobile }: { ticket: Ticket; isMobile: boolean }) {
  const { t } = useTranslation();
  const me = useMe();
  const staff = isStaff(me);
  const clocks = useQuery({
    queryKey: ['ticket', ticket.id, 'sla', ticket.updatedAt, ticket.sla.dueAt, ticket.sla.state],
    queryFn: async () => (await api.ticketSla(ticket.id)).items,
    enabled: staff,
  });
  const clock = (m: SlaClock['metric']) => clocks.data?.find((c) => c.metric === m);
  return (
    <Card size="small" data-testid="ticket-header">
      <Space size={8} wrap style={{ marginBottom: 4 }}>
        <Typography.Text copyable strong style={{ fontSize: 16 }} data-testid="ticket-number">{ticket.number}</Typography.Text>
        <StatusTag status={ticket.status} />
        <PriorityTag priority={ticket.priority} />
        <PriorityEditor ticket={ticket} />
        <FlagTags waiting={ticket.waitingOnCustomer} escalated={ticket.escalated} />
        {ticket.reworkCount ? <Tag color="volcano">{t('detail.rework', { count: ticket.reworkCount })}</Tag> : null}
        {ticket.reopenCount ? <Tag color="magenta">{t('detail.reopened', { count: ticket.reopenCount })}</Tag> : null}
        {ticket.cancellationPending ? <Tag color="orange">{t('approvals.cancellationPending')}</Tag> : null}
      </Space>
      <Typography.Title level={4} style={{ margin: '4px 0 12px', wordBreak: 'break-word' }} data-testid="ticket-title">{ticket.title}</Typography.Title>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, md: 3, xl: 4 }}
        items={[
          { key: 'owner', label: t('ticket.owner'), children: ticket.owner?.displayName ?? t('ticket.unassigned') },
          { key: 'department', label: t('ticket.department'), children: ticket.department?.name ?? '—' },
          ...(ticket.responsibleDepartment ? [{ key: 'responsible', label: t('rectification.analysis.responsibleDepartment'), children: <span data-testid="responsible-department">{ticket.responsibleDepartment.name}</span> }] : []),
          { key: 'category', label: t('ticket.category'), children: categoryName(ticket.category) },
          { key: 'channel', label: t('ticket.channel'), children: t(`channel.${ticket.channel}`) },
          { key: 'createdBy', label: t('ticket.createdBy'), children: ticket.createdBy?.displayName ?? '—' },
          { key: 'createdAt', label: t('ticket.createdAt'), children: <TimeText value={ticket.createdAt} /> },
          { key: 'expectedBy', label: t('field.expectedBy'), children: <TimeText value={ticket.expectedBy} /> },
          ...(staff ? [
            { key: 'slaFirstResponse', label: t('sla.firstResponseDue'), children: <ClockCell clock={clock('first_response')} /> },
            ...(clock('update') ? [{ key: 'slaUpdate', label: t('sla.updateDue'), children: <ClockCell clock={clock('update')} /> }] : []),
            { key: 'slaResolve', label: t('sla.resolution'), children: <ClockCell clock={clock('resolution')} /> },
          ] : []),
          { key: 'firstResponse', label: t('detail.firstResponse'), children: <TimeText value={ticket.firstRespondedAt} /> },
        ]}
      />
      {isMobile ? null : <StageSteps ticket={ticket} />}
      <div style={{ marginTop: 16 }} data-testid="ticket-actions">
        <TicketActions ticket={ticket} compact={isMobile} />
      </div>
    </Card>
  );
}

export default function TicketDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const me = useMe();
  const staff = isStaff(me);
  const screens = Grid.useBreakpoint();
  const isMobile = screens.md === false;
  const q = useQuery({ queryKey: ['ticket', id], queryFn: () => api.ticket(id) });
  // Live: a change by anyone (a customer's portal message, a colleague's step) refetches the page.
  useEventStream(q.isSuccess ? portalApi.staffStreamUrl(id) : null, ['ticket', id]);
  const events = useQuery({ queryKey: ['ticket', id, 'events'], queryFn: async () => (await api.events(id)).items, enabled: q.isSuccess });
  const departments = useDepartments(staff);
  const users = useUsers({}, staff);
  const categories = useCategories();
  const groups = useSkillGroups(staff);
  const tagLibrary = useTags(staff);
  const nameOf = useMemo(() => {
    const names = new Map<string, string>();
    for (const g of groups.data ?? []) names.set(g.id, g.name);
    for (const g of tagLibrary.data ?? []) names.set(g.id, g.path);
    for (const d of departments.data ?? []) names.set(d.id, d.name);
    for (const u of users.data ?? []) names.set(u.id, u.displayName);
    for (const c of categories.data ?? []) names.set(c.id, categoryName(c));
    return (key: string) => names.get(key);
  }, [departments.data, users.data, categories.data, groups.data, tagLibrary.data]);

  useEffect(() => {
    if (q.data) document.title = `${q.data.number} ${q.data.title} - ${t('app.shortName')}`;
  }, [q.data, t]);

  if (q.isPending) return <Card><Skeleton active paragraph={{ rows: 8 }} /></Card>;
  if (q.isError) {
    return (
      <Card>
        <ErrorResult error={q.error} onRetry={() => void q.refetch()} />
        <div style={{ textAlign: 'center' }}><Link to="/tickets"><Button>{t('detail.backToList')}</Button></Link></div>
      </Card>
    );
  }
  const ticket = q.data;
  const closed = ticket.status === 'closed' || ticket.status === 'cancelled';

  const history = (
    <Card size="small" styles={{ body: { paddingTop: 0 } }}>
      <Tabs
        items={[
          {
            key: 'timeline',
            label: t('detail.timeline'),
            children: events.isError
              ? <ErrorResult compact error={events.error} onRetry={() => void events.refetch()} />
              : events.isPending ? <Skeleton active /> : <TicketTimeline events={events.data ?? []} nameOf={nameOf} />,
          },
          { key: 'comments', label: t('detail.comments'), children: <CommentsPanel ticketId={ticket.id} /> },
          { key: 'attachments', label: t('detail.attachments'), children: <AttachmentsPanel ticketId={ticket.id} canUpload={!closed} /> },
        ]}
      />
    </Card>
  );

  const customer = staff ? (
    <Card
      size="small"
      title={t('detail.customer')}
      extra={(
        <Space size={8}>
          {me.role === 'admin' || me.role === 'manager' ? <MergeCustomerButton customer={ticket.customer} /> : null}
          <Link to={`/tickets?customer=${ticket.customer.id}&customerName=${encodeURIComponent(ticket.customer.name)}`}>{t('detail.allTickets')}</Link>
        </Space>
      )}
      data-testid="customer-panel"
    >
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'name', label: t('field.customerName'), children: ticket.customer.name },
          { key: 'phone', label: t('field.customerPhone'), children: ticket.customer.phone ? <a href={`tel:${ticket.customer.phone}`}>{ticket.customer.phone}</a> : '—' },
          { key: 'email', label: t('field.customerEmail'), children: ticket.customer.email ?? '—' },
        ]}
      />
      <Typography.Title level={5} style={{ fontSize: 13, marginTop: 8 }}>{t('customer.history')}</Typography.Title>
      <CustomerHistory customerId={ticket.customer.id} limit={8} />
    </Card>
  ) : null;

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Header ticket={ticket} isMobile={isMobile} />
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={16}>
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            <ProblemSection ticket={ticket} />
            <FormValuesCard formVersionId={ticket.formVersionId} categoryId={ticket.category.id} values={ticket.customFields} />
            {staff ? <RectificationSections ticket={ticket} /> : null}
            {staff ? <TicketApprovalsCard ticketId={ticket.id} /> : null}
            <OutcomeSection ticket={ticket} />
            {history}
          </Space>
        </Col>
        {customer ? (
          <Col xs={24} lg={8}>
            <Space orientation="vertical" size={12} style={{ width: '100%' }}>
              <TicketTagsCard ticketId={ticket.id} editable={!closed && me.role !== 'verifier'} />
              <FollowupCard ticket={ticket} />
              {staff ? <TicketSimilarCard ticketId={ticket.id} /> : null}
              {customer}
            </Space>
          </Col>
        ) : null}
      </Row>
    </Space>
  );
}
