/**
 * 整改方案 and 整改任务: the current version's measures (type, action, owner, due, criterion, status)
 * with start / complete / comment / cancel, the plan's progress, and every version (v1, v2 …) with
 * its status, opinion and a diff against the version before it.
 */
import { Alert, Button, Card, Collapse, Empty, Form, Input, List, Modal, Progress, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { CommentOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlanVersion, Rectification, RectMeasure, Ticket } from '@closeloop/contract';
import { hasRole, useMe } from '../../app/session.js';
import { TimeText } from '../../components/time-text.js';
import { EvidenceLinks, EvidencePicker } from './pickers.js';
import { rectApi, useRectCommand } from './rect-api.js';
import { criterionText, diffPlans, dueText, warningText } from './rect-format.js';

const pre = { whiteSpace: 'pre-wrap', wordBreak: 'break-word' } as const;
const PLAN_COLOR: Record<string, string> = { submitted: 'processing', approved: 'success', rejected: 'error', superseded: 'default' };
const MEASURE_COLOR: Record<string, string> = { todo: 'default', doing: 'processing', done: 'success', cancelled: 'default' };

export function MeasureStatusTag({ status }: { status: RectMeasure['status'] }) {
  const { t } = useTranslation();
  if (!status) return <Tag>{t('rectification.measure.notTask')}</Tag>;
  return <Tag color={MEASURE_COLOR[status]}>{t(`rectification.measureStatus.${status}`)}</Tag>;
}

export function DueCell({ dueDate, done }: { dueDate: string | null; done?: boolean }) {
  const { t } = useTranslation();
  if (!dueDate) return <span>—</span>;
  const d = dueText(dueDate, t);
  return (
    <Space orientation="vertical" size={0}>
      <span>{dueDate}</span>
      {!done && d.overdue ? <Typography.Text type="danger" style={{ fontSize: 12 }}>{d.text}</Typography.Text> : null}
    </Space>
  );
}

function typeText(m: Pick<RectMeasure, 'type' | 'preventiveKind'>, t: (k: string) => string) {
  const base = t(`rectification.measure.${m.type}`);
  return m.preventiveKind ? `${base} · ${t(`rectification.preventive.${m.preventiveKind}`)}` : base;
}

/** The expanded row of a measure: note, evidence, cancel reason, comments. */
function measureDetails(id: string, t: (k: string) => string) {
  return function MeasureDetails(m: RectMeasure) {
    return (
            <Space orientation="vertical" size={4} style={{ width: '100%' }}>
              {m.note ? <div style={pre}><Typography.Text type="secondary">{t('rectification.measure.note')}{t('common.colon')}</Typography.Text>{m.note}</div> : null}
              {m.evidenceAttachmentIds.length ? <div><Typography.Text type="secondary">{t('rectification.evidence.label')}{t('common.colon')}</Typography.Text><EvidenceLinks ticketId={id} ids={m.evidenceAttachmentIds} /></div> : null}
              {m.cancelReason ? <div style={pre}><Typography.Text type="secondary">{t('rectification.measure.cancelReason')}{t('common.colon')}</Typography.Text>{m.cancelReason}</div> : null}
              {m.comments.length ? (
                <List size="small" dataSource={m.comments} renderItem={(c) => (
                  <List.Item><span style={pre}><Typography.Text strong>{c.author?.displayName ?? '—'}</Typography.Text>{t('common.colon')}{c.body} <Typography.Text type="secondary" style={{ fontSize: 12 }}><TimeText value={c.createdAt} relative /></Typography.Text></span></List.Item>
                )} />
              ) : null}
            </Space>
    );
  };
}

type Dialog = { kind: 'complete' | 'comment' | 'cancel'; measure: RectMeasure } | null;

function MeasuresTable({ ticket, plan, actionable }: { ticket: Ticket; plan: PlanVersion; actionable: boolean }) {
  const { t } = useTranslation();
  const me = useMe();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [form] = Form.useForm();
  const id = ticket.id;
  const start = useRectCommand(id, (m: string) => rectApi.startMeasure(id, m), 'rectification.measure.started');
  const complete = useRectCommand(id, (a: { m: string; evidenceAttachmentIds: string[]; note?: string }) =>
    rectApi.completeMeasure(id, a.m, { evidenceAttachmentIds: a.evidenceAttachmentIds, ...(a.note ? { note: a.note } : {}) }), 'rectification.measure.completed');
  const comment = useRectCommand(id, (a: { m: string; body: string }) => rectApi.commentMeasure(id, a.m, { body: a.body }), 'rectification.measure.commented');
  const cancel = useRectCommand(id, (a: { m: string; reason: string }) => rectApi.cancelMeasure(id, a.m, { reason: a.reason }), 'rectification.measure.cancelledDone');
  const manager = hasRole(me, 'admin', 'manager');
  const mayWork = (m: RectMeasure) => actionable && (m.owner?.id === me.id || ticket.owner?.id === me.id || manager);

  const open = (kind: NonNullable<Dialog>['kind'], measure: RectMeasure) => { form.resetFields(); setDialog({ kind, measure }); };
  const submit = async () => {
    if (!dialog) return;
    const v = await form.validateFields();
    const m = dialog.measure.id;
    const note = typeof v.note === 'string' && v.note.trim() ? v.note.trim() : undefined;
    const p = dialog.kind === 'complete' ? complete.mutateAsync({ m, evidenceAttachmentIds: v.evidence ?? [], note })
      : dialog.kind === 'comment' ? comment.mutateAsync({ m, body: v.body.trim() })
        : cancel.mutateAsync({ m, reason: v.reason.trim() });
    await p.then(() => setDialog(null), () => undefined);
  };

  return (
    <>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={plan.measures}
        scroll={{ x: 780 }}
        data-testid="plan-measures"
        expandable={{
          rowExpandable: (m) => m.comments.length > 0 || !!m.note || m.evidenceAttachmentIds.length > 0 || !!m.cancelReason,
          expandedRowRender: measureDetails(id, t),
        }}
        columns={[
          { title: '#', width: 40, render: (_v, m) => m.seq + 1 },
          {
            title: t('rectification.measure.action'),
            render: (_v, m) => (
              <Space orientation="vertical" size={2}>
                <Tag color={m.type === 'preventive' ? 'purple' : 'blue'} style={{ marginInlineEnd: 0 }}>{typeText(m, t)}</Tag>
                <span style={pre}>{m.action}</span>
              </Space>
            ),
          },
          {
            title: `${t('rectification.measure.owner')} / ${t('rectification.measure.dueDate')}`, width: 120,
            render: (_v, m) => (
              <Space orientation="vertical" size={0}>
                <span>{m.owner?.displayName ?? '—'}</span>
                <DueCell dueDate={m.dueDate} done={m.status === 'done' || m.status === 'cancelled'} />
              </Space>
            ),
          },
          { title: t('rectification.measure.criterion'), width: 170, render: (_v, m) => criterionText(m.criterion, t) },
          {
            title: t('rectification.measure.status'), width: 110,
            render: (_v, m) => (
              <Space orientation="vertical" size={0}>
                <MeasureStatusTag status={m.status} />
                {m.status === 'done' && m.completedAt ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {m.completedBy?.displayName}{m.onBehalf ? t('rectification.measure.onBehalf') : ''} · <TimeText value={m.completedAt} relative />
                  </Typography.Text>
                ) : null}
              </Space>
            ),
          },
          ...(plan.status === 'approved' ? [{
            title: t('common.actions'), width: 150,
            render: (_v: unknown, m: RectMeasure) => (
              <Space size={4} wrap>
                {mayWork(m) && m.status === 'todo' ? <Button size="small" onClick={() => start.mutate(m.id)} loading={start.isPending && start.variables === m.id} data-testid={`measure-start-${m.seq + 1}`}>{t('rectification.measure.start')}</Button> : null}
                {mayWork(m) && (m.status === 'todo' || m.status === 'doing') ? <Button size="small" type="primary" onClick={() => open('complete', m)} data-testid={`measure-complete-${m.seq + 1}`}>{t('rectification.measure.complete')}</Button> : null}
                <Tooltip title={t('rectification.measure.comment')}><Button size="small" icon={<CommentOutlined />} onClick={() => open('comment', m)} aria-label={t('rectification.measure.comment')} /></Tooltip>
                {actionable && manager && (m.status === 'todo' || m.status === 'doing') ? <Button size="small" type="link" danger onClick={() => open('cancel', m)}>{t('rectification.measure.cancel')}</Button> : null}
              </Space>
            ),
          }] : []),
        ]}
      />
      <Modal
        open={!!dialog}
        title={dialog ? `${t(`rectification.measure.${dialog.kind}Title`)} · ${dialog.measure.seq + 1}. ${dialog.measure.action.slice(0, 30)}` : ''}
        onCancel={() => setDialog(null)}
        onOk={submit}
        okText={t('common.submit')}
        okButtonProps={{ 'data-testid': 'measure-dialog-ok' } as never}
        confirmLoading={complete.isPending || comment.isPending || cancel.isPending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          {dialog?.kind === 'complete' ? (
            <>
              <Typography.Paragraph type="secondary">{t('rectification.measure.completeHint', { criterion: criterionText(dialog.measure.criterion, t) })}</Typography.Paragraph>
              <Form.Item name="evidence" label={t('rectification.evidence.label')}><EvidencePicker ticketId={id} testId="measure-evidence" /></Form.Item>
              <Form.Item
                name="note"
                label={t('rectification.measure.note')}
                dependencies={['evidence']}
                rules={[({ getFieldValue }) => ({
                  validator: (_r, v: string | undefined) => ((v && v.trim()) || (getFieldValue('evidence') ?? []).length
                    ? Promise.resolve() : Promise.reject(new Error(t('rectification.measure.evidenceOrNote')))),
                })]}
              >
                <Input.TextArea rows={3} maxLength={2000} data-testid="measure-note" />
              </Form.Item>
            </>
          ) : null}
          {dialog?.kind === 'comment' ? (
            <Form.Item name="body" label={t('rectification.measure.comment')} rules={[{ required: true, whitespace: true, message: t('validation.requiredNamed', { field: t('rectification.measure.comment') }) }]}>
              <Input.TextArea rows={3} maxLength={4000} />
            </Form.Item>
          ) : null}
          {dialog?.kind === 'cancel' ? (
            <Form.Item name="reason" label={t('rectification.measure.cancelReason')} rules={[{ required: true, whitespace: true, message: t('validation.requiredNamed', { field: t('rectification.measure.cancelReason') }) }]}>
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
          ) : null}
        </Form>
      </Modal>
    </>
  );
}

/** The diff of a version against the one before it: added / removed / changed measures. */
export function PlanDiff({ older, newer }: { older: PlanVersion; newer: PlanVersion }) {
  const { t } = useTranslation();
  const diff = diffPlans(older, newer).filter((d) => d.kind !== 'same');
  if (!diff.length) return <Typography.Text type="secondary">{t('rectification.plan.noChanges')}</Typography.Text>;
  const color = { added: 'green', removed: 'red', changed: 'orange', same: 'default' } as const;
  const fieldText = (d: (typeof diff)[number], f: (typeof diff)[number]['fields'][number]) => {
    const b = d.before!;
    const n = d.measure;
    const v = (m: RectMeasure) => (f === 'owner' ? m.owner?.displayName ?? '—' : f === 'dueDate' ? m.dueDate ?? '—' : f === 'criterion' ? criterionText(m.criterion, t) : f === 'type' ? typeText(m, t) : m.action);
    return `${t(`rectification.measure.${f}`)}${t('common.colon')}${v(b)} → ${v(n)}`;
  };
  return (
    <List
      size="small"
      dataSource={diff}
      data-testid="plan-diff"
      renderItem={(d) => (
        <List.Item>
          <Space orientation="vertical" size={2} style={{ width: '100%' }}>
            <span style={pre}>
              <Tag color={color[d.kind]}>{t(`rectification.diff.${d.kind}`)}</Tag>
              <span style={d.kind === 'removed' ? { textDecoration: 'line-through' } : undefined}>{d.measure.action}</span>
            </span>
            {d.kind === 'changed' ? d.fields.map((f) => <Typography.Text key={f} type="secondary" style={{ ...pre, fontSize: 12 }}>{fieldText(d, f)}</Typography.Text>) : null}
          </Space>
        </List.Item>
      )}
    />
  );
}

function VersionHeader({ v }: { v: PlanVersion }) {
  const { t } = useTranslation();
  return (
    <Space wrap size={8}>
      <Typography.Text strong>{t('rectification.plan.version', { n: v.version })}</Typography.Text>
      <Tag color={PLAN_COLOR[v.status]}>{t(`rectification.planStatus.${v.status}`)}</Tag>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{v.submittedBy?.displayName} {t('rectification.plan.submittedAt')} <TimeText value={v.submittedAt} /></Typography.Text>
    </Space>
  );
}

export function PlanCard({ ticket, rect }: { ticket: Ticket; rect: Rectification }) {
  const { t } = useTranslation();
  const current = rect.plans[0];
  if (!current) return null;
  const approved = rect.plans.find((p) => p.status === 'approved');
  const shown = ticket.status === 'rectifying' || ticket.status === 'accepting' || ticket.status === 'follow_up' || ticket.status === 'closed' ? approved ?? current : current;
  const { done, total } = rect.progress;
  const actionable = ticket.status === 'rectifying';
  return (
    <Card
      size="small"
      title={t('rectification.plan.title')}
      extra={total ? (
        <Space size={8} data-testid="plan-progress">
          <Typography.Text type="secondary">{t('rectification.plan.progress', { done, total })}</Typography.Text>
          <Progress percent={Math.round((done / total) * 100)} size="small" style={{ width: 100, margin: 0 }} showInfo={false} status={done === total ? 'success' : 'active'} />
        </Space>
      ) : null}
      data-testid="plan-card"
    >
      <div style={{ marginBottom: 8 }}><VersionHeader v={shown} /></div>
      <Typography.Paragraph style={pre}>{shown.summary}</Typography.Paragraph>
      {shown.opinion ? (
        <Alert
          type={shown.status === 'rejected' ? 'error' : 'info'}
          showIcon
          style={{ marginBottom: 8 }}
          message={`${t(shown.status === 'rejected' ? 'rectification.plan.rejectOpinion' : 'rectification.plan.approveOpinion')}${t('common.colon')}${shown.opinion}`}
          description={shown.decidedBy ? <span>{shown.decidedBy.displayName} · <TimeText value={shown.decidedAt} /></span> : null}
        />
      ) : null}
      {shown.warnings.length ? (
        <Alert type="warning" showIcon style={{ marginBottom: 8 }} message={t('rectification.plan.acknowledged', { count: shown.warnings.length })}
          description={shown.warnings.map((w) => `${w.path.replace(/^plan\.measures\.(\d+)\..*$/, (_m, n: string) => `#${Number(n) + 1}`)} ${warningText(w, t)}`).join('；')} />
      ) : null}
      {shown.measures.length ? <MeasuresTable ticket={ticket} plan={shown} actionable={actionable} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
      {rect.plans.length > 1 ? (
        <Collapse
          size="small"
          style={{ marginTop: 12 }}
          data-testid="plan-versions"
          items={rect.plans.map((v, i) => ({
            key: v.id,
            label: <VersionHeader v={v} />,
            children: (
              <Space orientation="vertical" size={8} style={{ width: '100%' }}>
                {v.opinion ? <Typography.Text style={pre}>{t(v.status === 'rejected' ? 'rectification.plan.rejectOpinion' : 'rectification.plan.approveOpinion')}{t('common.colon')}{v.opinion}</Typography.Text> : null}
                {rect.plans[i + 1] ? (
                  <>
                    <Typography.Text type="secondary">{t('rectification.plan.diffAgainst', { n: rect.plans[i + 1]!.version })}</Typography.Text>
                    <PlanDiff older={rect.plans[i + 1]!} newer={v} />
                  </>
                ) : (
                  <List size="small" dataSource={v.measures} renderItem={(m) => <List.Item><span style={pre}>{m.seq + 1}. {m.action}（{m.owner?.displayName ?? '—'}，{m.dueDate ?? '—'}，{criterionText(m.criterion, t)}）</span></List.Item>} />
                )}
              </Space>
            ),
          }))}
        />
      ) : null}
    </Card>
  );
}
