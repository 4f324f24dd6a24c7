/**
 * 回访 card of the staff ticket page: the customer's link (status, resend), follow-up records,
 * the phone follow-up form, effectiveness checks with their form, possible repeat complaints
 * with confirm / dismiss, and "publish as article" for solved tickets.
 */
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import {
  App, Button, Card, Divider, Empty, Form, Input, List, Modal, Popconfirm, Radio, Rate, Select, Space, Tag, Typography,
} from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { EffectivenessCheck, Ticket, TicketFollowupSummary } from '@closeloop/contract';
import { errorMessage } from '../../app/errors.js';
import { useMe } from '../../app/session.js';
import { TimeText } from '../../components/time-text.js';
import { followupApi } from './followup-api.js';

const LINK_COLOR: Record<TicketFollowupSummary['link']['status'], string> = {
  none: 'default', active: 'processing', used: 'success', expired: 'warning', superseded: 'default',
};
const AGENTS = new Set(['agent', 'manager', 'admin']);

export function FollowupCard({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const me = useMe();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const q = useQuery({ queryKey: ['ticket', ticket.id, 'follow-up', ticket.status], queryFn: () => followupApi.summary(ticket.id) });
  const [phoneOpen, setPhoneOpen] = useState(false);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['ticket', ticket.id] });
  };
  const onError = (err: unknown) => message.error(errorMessage(t, err));
  const [issuedUrl, setIssuedUrl] = useState<string | null>(null);
  const resend = useMutation({
    mutationFn: () => followupApi.resendLink(ticket.id),
    onSuccess: (r) => { setIssuedUrl(r.issuedUrl ?? null); message.success(t('followup.card.resent')); refresh(); },
    onError,
  });
  const decide = useMutation({
    mutationFn: (v: { linkId: string; status: 'confirmed' | 'dismissed' }) => followupApi.decideLink(ticket.id, v.linkId, { status: v.status }),
    onSuccess: (_d, v) => { message.success(t(v.status === 'confirmed' ? 'followup.repeat.confirmedMsg' : 'followup.repeat.dismissedMsg')); refresh(); },
    onError,
  });

  const s = q.data;
  const canAgent = AGENTS.has(me.role);
  const inFollowUp = ticket.status === 'follow_up';
  const solved = ticket.status === 'follow_up' || ticket.status === 'closed';

  return (
    <Card
      size="small"
      title={t('followup.card.title')}
      data-testid="followup-card"
      loading={q.isPending}
      extra={solved && me.role !== 'customer' ? (
        <Button size="small" type="link" onClick={() => void navigate(`/knowledge?fromTicket=${ticket.id}`)}>{t('followup.card.publishArticle')}</Button>
      ) : null}
    >
      {s ? (
        <Space orientation="vertical" size={8} style={{ width: '100%' }}>
          <div>
            <Space wrap size={4}>
              <Typography.Text type="secondary">{t('followup.card.link')}</Typography.Text>
              <Tag color={LINK_COLOR[s.link.status]} data-testid="followup-link-status">{t(`followup.linkStatus.${s.link.status}`)}</Tag>
            </Space>
            {s.link.sentTo ? <div><Typography.Text type="secondary">{t('followup.card.sentTo')}</Typography.Text>{s.link.sentTo}</div> : null}
            {s.link.status === 'active' && s.link.expiresAt ? (
              <div><Typography.Text type="secondary">{t('followup.card.validUntil')}</Typography.Text><TimeText value={s.link.expiresAt} /></div>
            ) : null}
            {s.link.status !== 'none' && !s.link.sentTo ? <Typography.Text type="warning">{t('followup.card.noEmail')}</Typography.Text> : null}
            {inFollowUp && s.autoCloseAt ? (
              <div><Typography.Text type="secondary">{t('followup.card.autoClose')}</Typography.Text><TimeText value={s.autoCloseAt} /></div>
            ) : null}
            {s.settings.warrantyNotice ? (
              <div><Typography.Text type="secondary">{t('followup.card.warranty')}</Typography.Text>{s.settings.warrantyNotice}</div>
            ) : null}
            {issuedUrl && inFollowUp ? (
              <div data-testid="issued-link">
                <Typography.Text type="secondary">{t('followup.card.copyHint')}</Typography.Text>
                <Typography.Paragraph copyable={{ text: issuedUrl }} style={{ marginBottom: 0, wordBreak: 'break-all', fontSize: 12 }}><span data-testid="issued-url">{issuedUrl}</span></Typography.Paragraph>
              </div>
            ) : null}
            {inFollowUp && canAgent ? (
              <Space wrap style={{ marginTop: 8 }}>
                <Button type="primary" size="small" onClick={() => setPhoneOpen(true)} data-testid="phone-follow-up">{t('followup.card.phone')}</Button>
                <Popconfirm title={t('followup.card.resendConfirm')} onConfirm={() => resend.mutate()}>
                  <Button size="small" loading={resend.isPending}>{t('followup.card.resend')}</Button>
                </Popconfirm>
              </Space>
            ) : null}
          </div>

          {s.followUps.length ? (
            <List
              size="small"
              header={<Typography.Text strong>{t('followup.card.records')}</Typography.Text>}
              dataSource={s.followUps}
              renderItem={(f) => (
                <List.Item>
                  <Space orientation="vertical" size={0}>
                    <Space wrap size={4}>
                      <Tag>{t(`followup.channel.${f.channel}`)}</Tag>
                      <Tag color={f.solved ? 'success' : 'error'}>{f.solved ? t('followup.card.solved') : t('followup.card.unsolved')}</Tag>
                      {f.rating ? <Rate disabled value={f.rating} style={{ fontSize: 12 }} /> : null}
                    </Space>
                    {f.customerWords ? <Typography.Text>“{f.customerWords}”</Typography.Text> : null}
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {f.by?.displayName ?? t('followup.card.byCustomer')} · <TimeText value={f.at} relative />
                    </Typography.Text>
                  </Space>
                </List.Item>
              )}
            />
          ) : null}

          {s.effectiveness.length ? (
            <>
              <Divider style={{ margin: '4px 0' }} />
              <Typography.Text strong>{t('followup.effectiveness.title')}</Typography.Text>
              {s.effectiveness.map((c) => <CheckItem key={c.id} ticketId={ticket.id} check={c} ownerId={ticket.owner?.id ?? null} onDone={refresh} />)}
            </>
          ) : null}

          {s.links.length ? (
            <>
              <Divider style={{ margin: '4px 0' }} />
              <Typography.Text strong>{t('followup.repeat.title')}</Typography.Text>
              {s.links.map((l) => (
                <div key={l.id} data-testid="repeat-link">
                  <Space wrap size={4}>
                    <Typography.Text>{t(l.direction === 'earlier' ? 'followup.repeat.repeats' : 'followup.repeat.repeatedBy')}</Typography.Text>
                    <Link to={`/tickets/${l.other.id}`}>{l.other.number}</Link>
                    <Tag color={l.status === 'confirmed' ? 'red' : l.status === 'dismissed' ? 'default' : 'gold'}>{t(`followup.repeat.status.${l.status}`)}</Tag>
                  </Space>
                  <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{l.other.title} · {t(`followup.repeat.reason.${l.reason}`)}</Typography.Text></div>
                  {l.status === 'suggested' && me.role !== 'customer' ? (
                    <Space size={4} style={{ marginTop: 4 }}>
                      <Button size="small" danger onClick={() => decide.mutate({ linkId: l.id, status: 'confirmed' })} data-testid="repeat-confirm">{t('followup.repeat.confirm')}</Button>
                      <Button size="small" onClick={() => decide.mutate({ linkId: l.id, status: 'dismissed' })}>{t('followup.repeat.dismiss')}</Button>
                    </Space>
                  ) : null}
                </div>
              ))}
            </>
          ) : null}
          {!s.followUps.length && !s.effectiveness.length && !s.links.length && s.link.status === 'none'
            ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('followup.card.empty')} /> : null}
        </Space>
      ) : null}
      <PhoneModal ticketId={ticket.id} open={phoneOpen} onClose={() => setPhoneOpen(false)} onDone={refresh} />
    </Card>
  );
}

function PhoneModal({ ticketId, open, onClose, onDone }: { ticketId: string; open: boolean; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ solved: boolean; rating?: number; customerWords: string }>();
  const solved = Form.useWatch('solved', form);
  const save = useMutation({
    mutationFn: (v: { solved: boolean; rating?: number; customerWords: string }) =>
      followupApi.phone(ticketId, { channel: 'phone', solved: v.solved, customerWords: v.customerWords, ...(v.solved && v.rating ? { rating: v.rating } : {}) }),
    onSuccess: (_d, v) => {
      message.success(t(v.solved ? 'followup.phone.closedMsg' : 'followup.phone.reopenedMsg'));
      form.resetFields();
      onClose();
      onDone();
    },
    onError: (err) => message.error(errorMessage(t, err)),
  });
  return (
    <Modal
      title={t('followup.phone.title')}
      open={open}
      onCancel={onClose}
      onOk={() => void form.validateFields().then((v) => save.mutate(v))}
      okText={t('followup.phone.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ solved: true }}>
        <Form.Item name="solved" label={t('followup.phone.solvedQ')} rules={[{ required: true }]}>
          <Radio.Group optionType="button" options={[{ value: true, label: t('followup.card.solved') }, { value: false, label: t('followup.card.unsolved') }]} />
        </Form.Item>
        {solved ? (
          <Form.Item name="rating" label={t('followup.phone.rating')} rules={[{ required: true, message: t('followup.phone.ratingRequired') }]}>
            <Rate />
          </Form.Item>
        ) : null}
        <Form.Item
          name="customerWords"
          label={t('followup.phone.words')}
          extra={solved === false ? t('followup.phone.reopenHint') : undefined}
          rules={[{ required: true, whitespace: true, message: t('followup.phone.wordsRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={2000} placeholder={t('followup.phone.wordsPlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CheckItem({ ticketId, check, ownerId, onDone }: { ticketId: string; check: EffectivenessCheck; ownerId: string | null; onDone: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ outcome: EffectivenessCheck['outcome']; note: string }>();
  const save = useMutation({
    mutationFn: (v: { outcome: NonNullable<EffectivenessCheck['outcome']>; note: string }) => followupApi.recordCheck(ticketId, check.id, v),
    onSuccess: (r) => {
      message.success(r.reopened ? t('followup.effectiveness.reopenedMsg') : t('common.saved'));
      onDone();
    },
    onError: (err) => message.error(errorMessage(t, err)),
  });
  const due = check.due;
  const mayRecord = me.role === 'manager' || me.role === 'admin' || me.id === (check.ownerId ?? ownerId);
  if (check.status === 'done') {
    return (
      <div>
        <Tag color={check.outcome === 'effective' ? 'success' : check.outcome === 'ineffective' ? 'error' : 'default'}>
          {t(`followup.effectiveness.outcome.${check.outcome ?? 'inconclusive'}`)}
        </Tag>
        <Typography.Text>{check.note}</Typography.Text>
        {check.reopened ? <div><Typography.Text type="secondary">{t('followup.effectiveness.reopened')}</Typography.Text></div> : null}
      </div>
    );
  }
  return (
    <div data-testid="effectiveness-check">
      <Typography.Text type="secondary">{t('followup.effectiveness.due')}</Typography.Text><TimeText value={check.dueAt} />
      {due && mayRecord ? (
        <Form form={form} layout="vertical" size="small" style={{ marginTop: 8 }} onFinish={(v) => save.mutate(v as never)}>
          <Form.Item name="outcome" label={t('followup.effectiveness.result')} rules={[{ required: true, message: t('followup.effectiveness.pick') }]}>
            <Select options={(['effective', 'ineffective', 'inconclusive'] as const).map((o) => ({ value: o, label: t(`followup.effectiveness.outcome.${o}`) }))} />
          </Form.Item>
          <Form.Item name="note" label={t('followup.effectiveness.note')} rules={[{ required: true, whitespace: true, message: t('followup.effectiveness.noteRequired') }]}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
          <Button htmlType="submit" type="primary" size="small" loading={save.isPending}>{t('followup.effectiveness.save')}</Button>
        </Form>
      ) : !due ? <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('followup.effectiveness.notDue')}</Typography.Text></div> : null}
    </div>
  );
}
