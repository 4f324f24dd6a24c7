/**
 * 验收: the open round's checklist as an editable table (实测值, 结果, evidence or report number,
 * note; verifier and time once recorded). Rows of the verifier's own measures are disabled. 验收通过 /
 * 验收不通过 close the round; earlier rounds stay readable (第1轮 不通过 …).
 */
import { Button, Card, Collapse, Form, Input, Modal, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AcceptanceItem, AcceptanceRound, Rectification, Ticket, TicketCommand } from '@closeloop/contract';
import { hasRole, useMe } from '../../app/session.js';
import { TimeText } from '../../components/time-text.js';
import { useTicketCommand } from '../tickets/use-ticket-command.js';
import { EvidenceLinks, EvidencePicker } from './pickers.js';
import { rectApi, useRectCommand, type AcceptanceItemBody } from './rect-api.js';
import { criterionText } from './rect-format.js';

const RESULT_COLOR: Record<string, string> = { pass: 'success', fail: 'error', na: 'default' };
const ROUND_COLOR: Record<string, string> = { open: 'processing', passed: 'success', failed: 'error' };

interface Draft { measuredValue?: string; result?: AcceptanceItem['result']; naReason?: string; evidence?: string[]; reportNo?: string; note?: string }

function ResultTag({ item }: { item: AcceptanceItem }) {
  const { t } = useTranslation();
  if (!item.result) return <Tag>{t('rectification.acceptance.notRecorded')}</Tag>;
  return <Tag color={RESULT_COLOR[item.result]}>{t(`rectification.acceptance.result.${item.result}`)}</Tag>;
}

function ReadOnlyItems({ ticketId, round }: { ticketId: string; round: AcceptanceRound }) {
  const { t } = useTranslation();
  return (
    <Table
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={round.items}
      scroll={{ x: 900 }}
      columns={[
        { title: t('rectification.acceptance.item'), render: (_v, i) => i.item },
        { title: t('rectification.acceptance.criterion'), render: (_v, i) => criterionText(i.criterion, t) },
        { title: t('rectification.acceptance.measured'), width: 100, render: (_v, i) => i.measuredValue ?? '—' },
        { title: t('rectification.acceptance.resultLabel'), width: 160, render: (_v, i) => <Space orientation="vertical" size={0}><ResultTag item={i} />{i.naReason ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{i.naReason}</Typography.Text> : null}</Space> },
        { title: t('rectification.evidence.label'), width: 160, render: (_v, i) => <Space orientation="vertical" size={0}>{i.reportNo ? <span>{i.reportNo}</span> : null}<EvidenceLinks ticketId={ticketId} ids={i.evidenceAttachmentIds} /></Space> },
        { title: t('rectification.acceptance.note'), render: (_v, i) => i.note ?? '' },
        { title: t('rectification.acceptance.verifier'), width: 150, render: (_v, i) => (i.verifier ? <Space orientation="vertical" size={0}><span>{i.verifier.displayName}</span><Typography.Text type="secondary" style={{ fontSize: 12 }}><TimeText value={i.verifiedAt} /></Typography.Text></Space> : '—') },
      ]}
    />
  );
}

function OpenRound({ ticket, rect, round }: { ticket: Ticket; rect: Rectification; round: AcceptanceRound }) {
  const { t } = useTranslation();
  const me = useMe();
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const record = useRectCommand(ticket.id, (a: { itemId: string; body: AcceptanceItemBody }) => rectApi.recordItem(ticket.id, a.itemId, a.body), 'rectification.acceptance.recorded');
  const mayVerify = hasRole(me, 'admin', 'manager', 'verifier');
  const ownerOf = new Map(rect.plans.flatMap((p) => p.measures).map((m) => [m.id, m.owner?.id]));
  const own = (i: AcceptanceItem) => !!i.measureId && ownerOf.get(i.measureId) === me.id;
  const draft = (i: AcceptanceItem): Draft => drafts[i.id] ?? {
    measuredValue: i.measuredValue ?? undefined, result: i.result, naReason: i.naReason ?? undefined,
    evidence: i.evidenceAttachmentIds, reportNo: i.reportNo ?? undefined, note: i.note ?? undefined,
  };
  const set = (i: AcceptanceItem, patch: Partial<Draft>) => setDrafts((d) => ({ ...d, [i.id]: { ...draft(i), ...patch } }));
  const dirty = (i: AcceptanceItem) => !!drafts[i.id];
  const s = (x?: string) => (x && x.trim() ? x.trim() : undefined);
  const save = (i: AcceptanceItem) => {
    const d = draft(i);
    if (!d.result) return;
    const body: AcceptanceItemBody = {
      result: d.result,
      evidenceAttachmentIds: d.evidence ?? [],
      ...(s(d.measuredValue) ? { measuredValue: s(d.measuredValue) } : {}),
      ...(d.result === 'na' && s(d.naReason) ? { naReason: s(d.naReason) } : {}),
      ...(s(d.reportNo) ? { reportNo: s(d.reportNo) } : {}),
      ...(s(d.note) ? { note: s(d.note) } : {}),
    };
    record.mutate({ itemId: i.id, body }, { onSuccess: () => setDrafts((x) => { const n = { ...x }; delete n[i.id]; return n; }) });
  };
  const disabledWhy = (i: AcceptanceItem) => (!mayVerify ? t('rectification.acceptance.notVerifier') : own(i) ? t('rectification.acceptance.ownMeasure') : null);

  return (
    <Table
      size="small"
      rowKey="id"
      bordered
      pagination={false}
      dataSource={round.items}
      scroll={{ x: 1150 }}
      data-testid="acceptance-table"
      rowClassName={(i) => (disabledWhy(i) ? 'row-disabled' : '')}
      columns={[
        { title: '#', width: 40, render: (_v, i) => i.seq + 1 },
        {
          title: t('rectification.acceptance.item'), width: 150,
          render: (_v, i) => (
            <Space orientation="vertical" size={0}>
              <span>{i.item}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t(`rectification.acceptance.source.${i.source}`)}</Typography.Text>
            </Space>
          ),
        },
        {
          title: `${t('rectification.acceptance.criterion')} / ${t('rectification.acceptance.method')}`, width: 190,
          render: (_v, i) => (
            <Space orientation="vertical" size={0}>
              <span>{criterionText(i.criterion, t)}</span>
              {i.method ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{i.method}</Typography.Text> : null}
            </Space>
          ),
        },
        {
          title: t('rectification.acceptance.measured'), width: 110,
          render: (_v, i) => <Input size="small" disabled={!!disabledWhy(i)} value={draft(i).measuredValue} maxLength={200} onChange={(e) => set(i, { measuredValue: e.target.value })} data-testid={`acc-${i.seq + 1}-value`} />,
        },
        {
          title: t('rectification.acceptance.resultLabel'), width: 170,
          render: (_v, i) => {
            const d = draft(i);
            const why = disabledWhy(i);
            const control = (
              <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                <Select
                  size="small"
                  disabled={!!why}
                  value={d.result ?? undefined}
                  placeholder={t('common.pleaseSelect')}
                  onChange={(v) => set(i, { result: v })}
                  style={{ width: '100%' }}
                  options={(['pass', 'fail', 'na'] as const).map((r) => ({ value: r, label: t(`rectification.acceptance.result.${r}`) }))}
                  data-testid={`acc-${i.seq + 1}-result`}
                />
                {d.result === 'na' ? (
                  <Input size="small" status={s(d.naReason) ? undefined : 'error'} placeholder={t('rectification.acceptance.naReason')} value={d.naReason} maxLength={1000} onChange={(e) => set(i, { naReason: e.target.value })} />
                ) : null}
              </Space>
            );
            return why ? <Tooltip title={why}><span data-testid={`acc-${i.seq + 1}-locked`}>{control}</span></Tooltip> : control;
          },
        },
        {
          title: t('rectification.acceptance.evidence'), width: 220,
          render: (_v, i) => (
            <Space orientation="vertical" size={4} style={{ width: '100%' }}>
              <EvidencePicker ticketId={ticket.id} disabled={!!disabledWhy(i)} value={draft(i).evidence} onChange={(v) => set(i, { evidence: v })} />
              <Input size="small" disabled={!!disabledWhy(i)} placeholder={t('rectification.acceptance.reportNo')} value={draft(i).reportNo} maxLength={64} onChange={(e) => set(i, { reportNo: e.target.value })} data-testid={`acc-${i.seq + 1}-report`} />
            </Space>
          ),
        },
        {
          title: t('rectification.acceptance.note'), width: 150,
          render: (_v, i) => <Input.TextArea size="small" autoSize={{ minRows: 1, maxRows: 3 }} disabled={!!disabledWhy(i)} value={draft(i).note} maxLength={2000} onChange={(e) => set(i, { note: e.target.value })} />,
        },
        {
          title: t('rectification.acceptance.verifier'), width: 130,
          render: (_v, i) => (i.verifier ? <Space orientation="vertical" size={0}><span>{i.verifier.displayName}</span><Typography.Text type="secondary" style={{ fontSize: 12 }}><TimeText value={i.verifiedAt} /></Typography.Text></Space> : '—'),
        },
        {
          title: t('common.actions'), width: 80, fixed: 'right',
          render: (_v, i) => (disabledWhy(i) ? null : (
            <Button
              size="small"
              type={dirty(i) ? 'primary' : 'default'}
              disabled={!draft(i).result || (draft(i).result === 'na' && !s(draft(i).naReason)) || (!dirty(i) && !!i.result)}
              loading={record.isPending && record.variables?.itemId === i.id}
              onClick={() => save(i)}
              data-testid={`acc-${i.seq + 1}-save`}
            >
              {t('common.save')}
            </Button>
          )),
        },
      ]}
    />
  );
}

function DecisionButtons({ ticket, round }: { ticket: Ticket; round: AcceptanceRound }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<TicketCommand | null>(null);
  const [form] = Form.useForm();
  const transition = useTicketCommand(ticket);
  const can = (c: TicketCommand) => ticket.allowedCommands.includes(c);
  if (!can('pass_acceptance') && !can('fail_acceptance')) return null;
  const failed = round.items.filter((i) => i.result === 'fail');
  const allRecorded = round.items.every((i) => i.result === 'pass' || i.result === 'na');
  return (
    <>
      <Space wrap>
        {can('pass_acceptance') ? (
          <Tooltip title={allRecorded ? null : t('rectification.acceptance.passNeedsAll')}>
            <Button type="primary" disabled={!allRecorded} onClick={() => { form.resetFields(); setOpen('pass_acceptance'); }} data-testid="acceptance-pass">{t('rectification.acceptance.pass')}</Button>
          </Tooltip>
        ) : null}
        {can('fail_acceptance') ? (
          <Tooltip title={failed.length ? null : t('rectification.acceptance.failNeedsOne')}>
            <Button danger disabled={!failed.length} onClick={() => {
              form.setFieldsValue({ text: failed.map((i) => `${i.item}${i.measuredValue ? `：${t('rectification.acceptance.measuredIs', { value: i.measuredValue })}` : ''}`).join('；') });
              setOpen('fail_acceptance');
            }} data-testid="acceptance-fail">{t('rectification.acceptance.fail')}</Button>
          </Tooltip>
        ) : null}
      </Space>
      <Modal
        open={!!open}
        title={open === 'pass_acceptance' ? t('rectification.acceptance.pass') : t('rectification.acceptance.fail')}
        onCancel={() => setOpen(null)}
        okText={t('common.confirm')}
        okButtonProps={{ danger: open === 'fail_acceptance', 'data-testid': 'acceptance-confirm' } as never}
        confirmLoading={transition.isPending}
        onOk={async () => {
          const v = await form.validateFields();
          const text = typeof v.text === 'string' && v.text.trim() ? v.text.trim() : undefined;
          const body = open === 'pass_acceptance' ? { command: 'pass_acceptance' as const, ...(text ? { note: text } : {}) } : { command: 'fail_acceptance' as const, reason: text ?? '' };
          await transition.mutateAsync(body).then(() => setOpen(null), () => undefined);
        }}
      >
        {open === 'fail_acceptance' ? <Typography.Paragraph type="secondary">{t('rectification.acceptance.failHint', { count: failed.length })}</Typography.Paragraph> : null}
        <Form form={form} layout="vertical">
          <Form.Item
            name="text"
            label={open === 'pass_acceptance' ? t('rectification.acceptance.passNote') : t('rectification.acceptance.failReason')}
            rules={open === 'fail_acceptance' ? [{ required: true, whitespace: true, message: t('validation.requiredNamed', { field: t('rectification.acceptance.failReason') }) }] : []}
          >
            <Input.TextArea rows={3} maxLength={2000} data-testid="acceptance-text" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

export function AcceptanceCard({ ticket, rect }: { ticket: Ticket; rect: Rectification }) {
  const { t } = useTranslation();
  const rounds = rect.acceptanceRounds;
  if (!rounds.length) return null;
  const open = rounds.find((r) => r.status === 'open');
  const closed = rounds.filter((r) => r !== open);
  return (
    <Card
      size="small"
      title={
        <Space size={8}>
          {t('rectification.acceptance.title')}
          {open ? <Tag color="processing">{t('rectification.acceptance.roundN', { n: open.round })}</Tag> : null}
          {ticket.reworkCount ? <Tag color="volcano">{t('rectification.acceptance.rework', { count: ticket.reworkCount })}</Tag> : null}
        </Space>
      }
      extra={open ? <DecisionButtons ticket={ticket} round={open} /> : null}
      data-testid="acceptance-card"
    >
      {open ? <OpenRound ticket={ticket} rect={rect} round={open} /> : null}
      {closed.length ? (
        <Collapse
          size="small"
          style={{ marginTop: open ? 12 : 0 }}
          defaultActiveKey={open ? [] : [closed[0]!.id]}
          data-testid="acceptance-rounds"
          items={closed.map((r) => ({
            key: r.id,
            label: (
              <Space wrap size={8}>
                <span>{t('rectification.acceptance.roundN', { n: r.round })}</span>
                <Tag color={ROUND_COLOR[r.status]}>{t(`rectification.acceptance.roundStatus.${r.status}`)}</Tag>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.completedBy?.displayName} <TimeText value={r.completedAt ?? r.startedAt} /></Typography.Text>
              </Space>
            ),
            children: (
              <Space orientation="vertical" size={8} style={{ width: '100%' }}>
                {r.result ? <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{t(r.status === 'failed' ? 'rectification.acceptance.failReason' : 'rectification.acceptance.passNote')}{t('common.colon')}{r.result}</Typography.Text> : null}
                <ReadOnlyItems ticketId={ticket.id} round={r} />
              </Space>
            ),
          }))}
        />
      ) : null}
    </Card>
  );
}
