/**
 * The customer's ticket: its status in the customer's words, a Steps row of where it stands and
 * a timeline of customer-readable progress, the conversation (the customer's messages and the
 * staff's public replies, with files), a reply box that stands out when the ticket waits for the
 * customer, and — when the fix waits for confirmation — 确认解决 / 仍未解决 with stars.
 * The page listens to the ticket's event stream and refetches when something happens.
 */
import { Alert, App, Avatar, Button, Card, Descriptions, Empty, Input, Rate, Result, Skeleton, Steps, Tag, Timeline, Typography } from 'antd';
import { CheckCircleOutlined, CloseCircleOutlined, CustomerServiceOutlined, PaperClipOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../app/api.js';
import { errorMessage } from '../../app/errors.js';
import { formatBytes, formatTime } from '../../app/format.js';
import { ErrorResult } from '../../components/error-result.js';
import { TimeText } from '../../components/time-text.js';
import { isImage, isVideo } from './file-check.js';
import { FilePicker } from './file-picker.js';
import type { PortalAttachment, PortalTicket, PortalTimelineEntry } from '@closeloop/contract';
import { portalApi } from './portal-api.js';
import { STATUS_COLOR, conversation, openRequest, stepIndex, STEP_KEYS } from './portal-status.js';
import { useEventStream } from './use-portal-stream.js';

function Files({ items }: { items: PortalAttachment[] }) {
  if (!items.length) return null;
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginTop: 8 }}>
      {items.map((a) => isImage(a.contentType) ? (
        <a key={a.id} href={a.url} target="_blank" rel="noreferrer" data-testid="message-image">
          <img src={`${a.url}${a.url.includes('?') ? '&' : '?'}inline=1`} alt={a.filename} style={{ width: 88, height: 88, objectFit: 'cover', borderRadius: 6, border: '1px solid #f0f0f0' }} />
        </a>
      ) : isVideo(a.contentType) ? (
        <video key={a.id} src={`${a.url}${a.url.includes('?') ? '&' : '?'}inline=1`} controls preload="metadata" style={{ width: 180, maxWidth: '100%', borderRadius: 6 }} />
      ) : (
        <a key={a.id} href={a.url} style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
          <PaperClipOutlined />{a.filename}<Typography.Text type="secondary" style={{ fontSize: 12 }}>（{formatBytes(a.size)}）</Typography.Text>
        </a>
      ))}
    </div>
  );
}

function Message({ m }: { m: PortalTimelineEntry }) {
  const { t } = useTranslation();
  const mine = m.by === 'you';
  return (
    <div data-testid="portal-message" data-from={m.by} data-kind={m.kind} style={{ display: 'flex', gap: 8, flexDirection: mine ? 'row-reverse' : 'row', marginBottom: 16 }}>
      <Avatar size={32} icon={mine ? <UserOutlined /> : <CustomerServiceOutlined />} style={{ background: mine ? '#1677ff' : '#13a8a8', flex: 'none' }} />
      <div style={{ maxWidth: '80%', minWidth: 0 }}>
        <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)', textAlign: mine ? 'right' : 'left', marginBottom: 2 }}>
          {mine ? t('portal.ticket.you') : t('portal.ticket.service')}
          {m.kind === 'info_requested' ? <Tag color="orange" style={{ marginInline: 6 }}>{t('portal.ticket.askedTag')}</Tag> : ' · '}
          <TimeText value={m.at} relative />
        </div>
        <div
          style={{
            background: mine ? '#e6f4ff' : '#fff', border: `1px solid ${mine ? '#bae0ff' : '#f0f0f0'}`, borderRadius: 8,
            padding: '8px 12px', whiteSpace: 'pre-wrap', wordBreak: 'break-word',
          }}
        >
          {m.body ?? t('portal.ticket.askedNoText')}
        </div>
      </div>
    </div>
  );
}

function ReplyBox({ ticket, highlighted }: { ticket: PortalTicket; highlighted: boolean }) {
  const request = openRequest(ticket.timeline);
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [touched, setTouched] = useState(false);
  const limits = useQuery({ queryKey: ['portal', 'upload-limits'], queryFn: portalApi.uploadLimits, staleTime: Infinity });
  const send = useMutation({
    mutationFn: async () => {
      if (body.trim()) await portalApi.message(ticket.number, body.trim());
      if (files.length) await portalApi.upload(ticket.number, files);
    },
    onSuccess: () => {
      setBody('');
      setFiles([]);
      setTouched(false);
      message.success(t('portal.ticket.replySent'));
      void qc.invalidateQueries({ queryKey: ['portal', 'ticket', ticket.number] });
    },
  });
  const empty = !body.trim() && !files.length;
  return (
    <Card
      size="small" data-testid="portal-reply" data-highlighted={highlighted ? 'true' : 'false'}
      title={highlighted ? t('portal.ticket.replyNeeded') : t('portal.ticket.replyTitle')}
      style={highlighted ? { borderColor: '#fa8c16', boxShadow: '0 0 0 2px rgba(250,140,22,0.15)' } : undefined}
      styles={highlighted ? { header: { background: '#fff7e6', color: '#d46b08' } } : undefined}
    >
      {highlighted && request?.body ? (
        <Alert type="warning" showIcon title={t('portal.ticket.askedFor')} description={request.body} style={{ marginBottom: 12 }} data-testid="portal-asked" />
      ) : null}
      <Input.TextArea
        rows={3} maxLength={20000} value={body} onChange={(e) => setBody(e.target.value)}
        placeholder={t('portal.ticket.replyPlaceholder')} status={touched && empty ? 'error' : undefined} data-testid="reply-body"
      />
      {touched && empty ? <Typography.Text type="danger">{t('portal.ticket.replyRequired')}</Typography.Text> : null}
      <div style={{ marginTop: 12 }}><FilePicker files={files} onChange={setFiles} limits={limits.data} /></div>
      {send.isError ? <Alert type="error" showIcon title={errorMessage(t, send.error)} style={{ marginTop: 12 }} /> : null}
      <Button
        type="primary" size="large" block style={{ marginTop: 12 }} loading={send.isPending} data-testid="reply-send"
        onClick={() => { setTouched(true); if (!empty) send.mutate(); }}
      >
        {t('portal.ticket.replySend')}
      </Button>
    </Card>
  );
}

function ConfirmPanel({ ticket }: { ticket: PortalTicket }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [answer, setAnswer] = useState<'solved' | 'unsolved' | null>(null);
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  const [touched, setTouched] = useState(false);
  const send = useMutation({
    mutationFn: () => portalApi.confirm(ticket.number, answer === 'solved'
      ? { resolved: true, rating, ...(comment.trim() ? { comment: comment.trim() } : {}) }
      : { resolved: false, comment: comment.trim() }),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['portal', 'ticket', ticket.number] }),
    onSuccess: () => {
      message.success(answer === 'solved' ? t('portal.confirm.thanksSolved') : t('portal.confirm.thanksUnsolved'));
      void qc.invalidateQueries({ queryKey: ['portal', 'ticket', ticket.number] });
      void qc.invalidateQueries({ queryKey: ['portal', 'tickets'] });
    },
  });
  const missingRating = answer === 'solved' && rating < 1;
  const missingWords = answer === 'unsolved' && !comment.trim();
  return (
    <Card size="small" title={t('portal.confirm.title')} data-testid="portal-confirm" style={{ borderColor: '#52c41a', boxShadow: '0 0 0 2px rgba(82,196,26,0.12)' }}>
      {ticket.solution ? (
        <div style={{ marginBottom: 12 }}>
          <Typography.Text type="secondary">{t('portal.confirm.whatWasDone')}</Typography.Text>
          <Typography.Paragraph style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap' }} data-testid="portal-solution">{ticket.solution}</Typography.Paragraph>
        </div>
      ) : null}
      <div style={{ display: 'flex', gap: 12 }} role="radiogroup" aria-label={t('portal.confirm.title')}>
        <Button
          size="large" style={{ flex: 1, height: 48 }} role="radio" aria-checked={answer === 'solved'} icon={<CheckCircleOutlined />}
          type={answer === 'solved' ? 'primary' : 'default'} onClick={() => setAnswer('solved')} data-testid="confirm-solved"
        >
          {t('portal.confirm.solved')}
        </Button>
        <Button
          size="large" style={{ flex: 1, height: 48 }} role="radio" aria-checked={answer === 'unsolved'} icon={<CloseCircleOutlined />}
          type={answer === 'unsolved' ? 'primary' : 'default'} danger={answer === 'unsolved'} onClick={() => setAnswer('unsolved')} data-testid="confirm-unsolved"
        >
          {t('portal.confirm.unsolved')}
        </Button>
      </div>
      {touched && !answer ? <Typography.Text type="danger">{t('portal.confirm.pick')}</Typography.Text> : null}
      {answer === 'solved' ? (
        <div style={{ marginTop: 16 }} data-testid="confirm-rate">
          <Typography.Text>{t('portal.confirm.rate')}</Typography.Text>
          <div style={{ marginTop: 4 }}>
            <Rate value={rating} onChange={setRating} style={{ fontSize: 32 }} />
            {rating ? <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>{t(`followup.public.stars.${rating}`)}</Typography.Text> : null}
          </div>
          {touched && missingRating ? <Typography.Text type="danger">{t('portal.confirm.pickRating')}</Typography.Text> : null}
        </div>
      ) : null}
      {answer ? (
        <div style={{ marginTop: 12 }}>
          <Input.TextArea
            rows={3} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} data-testid="confirm-comment"
            placeholder={answer === 'solved' ? t('portal.confirm.commentPlaceholder') : t('portal.confirm.whyPlaceholder')}
            status={touched && missingWords ? 'error' : undefined}
          />
          {touched && missingWords ? <Typography.Text type="danger">{t('portal.confirm.whyRequired')}</Typography.Text> : null}
        </div>
      ) : null}
      {send.isError ? <Alert type="error" showIcon title={errorMessage(t, send.error)} style={{ marginTop: 12 }} /> : null}
      <Button
        type="primary" size="large" block style={{ marginTop: 12 }} loading={send.isPending} data-testid="confirm-send"
        onClick={() => { setTouched(true); if (answer && !missingRating && !missingWords) send.mutate(); }}
      >
        {t('portal.confirm.send')}
      </Button>
    </Card>
  );
}

function progressText(t: (k: string) => string, e: PortalTimelineEntry): string {
  return t(`portal.timeline.${e.kind}`);
}

export default function PortalTicketPage() {
  const { number = '' } = useParams();
  const { t } = useTranslation();
  const key = ['portal', 'ticket', number] as const;
  const q = useQuery({ queryKey: key, queryFn: () => portalApi.ticket(number), retry: false });
  const live = useEventStream(q.data ? portalApi.streamUrl(number) : null, key);
  useEffect(() => {
    if (q.data) document.title = `${q.data.number} · ${t('portal.documentTitle')}`;
  }, [q.data, t]);

  if (q.isPending) return <Card><Skeleton active /></Card>;
  if (q.isError) {
    if (q.error instanceof ApiError && (q.error.status === 401 || q.error.status === 404 || q.error.status === 403)) {
      return (
        <Card>
          <Result
            status="warning" title={t('portal.ticket.noAccessTitle')} subTitle={t('portal.ticket.noAccessText')} data-testid="portal-no-access"
            extra={<Link to="/portal/track"><Button type="primary">{t('portal.nav.track')}</Button></Link>}
          />
        </Card>
      );
    }
    return <ErrorResult error={q.error} onRetry={() => void q.refetch()} />;
  }
  const tk = q.data;
  const waiting = tk.status === 'needs_info';
  const confirming = tk.status === 'awaiting_confirmation' && tk.canConfirm;
  const current = stepIndex(tk.status);
  const thread = conversation(tk.timeline);
  const sub = tk.submission;

  return (
    <div data-testid="portal-ticket" data-status={tk.status}>
      <Card size="small" style={{ marginBottom: 12 }}>
        <div style={{ display: 'flex', alignItems: 'flex-start', gap: 8 }}>
          <div style={{ flex: 1, minWidth: 0 }}>
            <Typography.Text type="secondary" copyable={{ text: tk.number }} style={{ fontSize: 13 }} data-testid="portal-ticket-no">{tk.number}</Typography.Text>
            <Typography.Title level={5} style={{ margin: '2px 0 0', wordBreak: 'break-word' }}>{tk.title}</Typography.Title>
          </div>
          <Tag color={STATUS_COLOR[tk.status]} style={{ marginInlineEnd: 0, fontSize: 13, padding: '2px 8px' }} data-testid="portal-status">
            {t(`portal.status.${tk.status}`)}
          </Tag>
        </div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('portal.ticket.submittedAt', { at: formatTime(tk.createdAt) })}
          {live === 'open' ? <span data-testid="portal-live"> · {t('portal.ticket.live')}</span> : null}
        </Typography.Text>
        {tk.status !== 'cancelled' ? (
          <Steps
            size="small" current={current} status={tk.status === 'done' ? 'finish' : 'process'}
            style={{ marginTop: 16 }} responsive={false} titlePlacement="vertical" data-testid="portal-steps"
            items={STEP_KEYS.map((k) => ({ title: t(`portal.steps.${k}`) }))}
          />
        ) : null}
      </Card>

      {waiting ? <Alert type="warning" showIcon title={t('portal.ticket.waitingBanner')} style={{ marginBottom: 12 }} data-testid="portal-waiting" /> : null}
      {confirming ? <div style={{ marginBottom: 12 }}><ConfirmPanel ticket={tk} /></div> : null}
      {tk.rating ? (
        <Card size="small" style={{ marginBottom: 12 }} data-testid="portal-feedback">
          <Typography.Text>{t('portal.confirm.yourRating')}</Typography.Text>
          {tk.rating.rating ? <Rate disabled value={tk.rating.rating} style={{ marginInlineStart: 8 }} /> : null}
          {tk.rating.comment ? <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>{tk.rating.comment}</Typography.Paragraph> : null}
        </Card>
      ) : null}
      {!confirming && tk.solution ? (
        <Card size="small" title={t('portal.confirm.whatWasDone')} style={{ marginBottom: 12 }}>
          <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{tk.solution}</Typography.Paragraph>
        </Card>
      ) : null}

      {/* A finished ticket without messages needs no "replies will appear here". */}
      {thread.length || tk.canMessage ? (
        <Card size="small" title={t('portal.ticket.conversation')} style={{ marginBottom: 12 }} data-testid="portal-thread">
          {thread.length ? thread.map((m) => <Message key={m.id} m={m} />) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('portal.ticket.noMessages')} />
          )}
        </Card>
      ) : null}

      {tk.canMessage ? <div style={{ marginBottom: 12 }}><ReplyBox ticket={tk} highlighted={waiting} /></div> : null}

      <Card size="small" title={t('portal.ticket.progress')} style={{ marginBottom: 12 }} data-testid="portal-timeline">
        <Timeline
          items={tk.timeline.toReversed().map((e, i) => ({
            color: i === 0 ? 'blue' : 'gray',
            content: (
              <div data-testid="portal-progress-item" data-kind={e.kind}>
                <div>{progressText(t, e)}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatTime(e.at)}</Typography.Text>
              </div>
            ),
          }))}
        />
      </Card>

      <Card size="small" title={t('portal.ticket.details')}>
        <Descriptions
          size="small" column={1}
          items={[
            ...(sub.scene ? [{ key: 'scene', label: t('portal.submit.scene'), children: sub.scene }] : []),
            ...(sub.symptom ? [{ key: 'symptom', label: t('portal.submit.symptom'), children: sub.symptom }] : []),
            ...(sub.triedSteps ? [{ key: 'tried', label: t('portal.submit.tried'), children: sub.triedSteps }] : []),
            ...(!sub.scene && !sub.symptom ? [{ key: 'desc', label: t('portal.ticket.description'), children: sub.description }] : []),
            { key: 'model', label: t('portal.submit.model'), children: sub.productModel },
            ...(sub.orderNo ? [{ key: 'order', label: t('portal.submit.orderNo'), children: sub.orderNo }] : []),
            { key: 'contact', label: t('portal.ticket.contact'), children: tk.contactName },
          ]}
        />
        {tk.attachments.length ? (
          <>
            <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>{t('portal.ticket.yourFiles')}</Typography.Text>
            <Files items={tk.attachments} />
          </>
        ) : null}
      </Card>
    </div>
  );
}
