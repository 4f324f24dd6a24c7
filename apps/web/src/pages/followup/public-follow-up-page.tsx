/**
 * 回访: the page the customer opens from the e-mailed link, without login. Mobile first (one
 * column, large targets): the ticket, what was done, 已解决 / 未解决, 1–5 stars and a comment,
 * the warranty notice, then a thank-you page. Shown in the link's language.
 */
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { Alert, Button, Card, Descriptions, Input, Rate, Result, Skeleton, Space, Typography } from 'antd';
import { CheckCircleOutlined, CloseCircleOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { PublicFollowUpResult } from '@closeloop/contract';
import { ApiError } from '../../app/api.js';
import { currentLang, setLanguage } from '../../app/i18n.js';
import { followupApi } from './followup-api.js';

type Answer = 'solved' | 'unsolved';

function goneReason(err: unknown): string {
  if (!(err instanceof ApiError)) return 'error';
  if (err.status === 404) return 'invalid';
  if (err.status === 410) return err.fields[0]?.code ?? 'used';
  if (err.status === 429) return 'busy';
  return 'error';
}

function Shell({ children }: { children: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <div style={{ minHeight: '100vh', background: '#f5f5f5', padding: '16px 12px 32px' }}>
      <div style={{ maxWidth: 480, margin: '0 auto' }}>
        <Typography.Title level={4} style={{ textAlign: 'center', margin: '8px 0 16px' }}>{t('followup.public.heading')}</Typography.Title>
        {children}
      </div>
    </div>
  );
}

export default function PublicFollowUpPage() {
  const { token = '' } = useParams();
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['public-follow-up', token], queryFn: () => followupApi.publicFollowUp(token), retry: false });
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  const [touched, setTouched] = useState(false);
  const [done, setDone] = useState<PublicFollowUpResult | null>(null);

  useEffect(() => {
    document.title = t('followup.public.heading');
  }, [t]);
  useEffect(() => {
    if (q.data && q.data.locale !== currentLang()) void setLanguage(q.data.locale);
  }, [q.data]);

  const submit = useMutation({
    mutationFn: () => followupApi.answerFollowUp(token, answer === 'solved'
      ? { solved: true, rating, ...(comment.trim() ? { comment: comment.trim() } : {}) }
      : { solved: false, comment: comment.trim() }),
    onSuccess: setDone,
  });

  if (q.isPending) return <Shell><Card><Skeleton active /></Card></Shell>;
  if (q.isError || (submit.isError && goneReason(submit.error) !== 'error')) {
    const reason = goneReason(q.isError ? q.error : submit.error);
    return (
      <Shell>
        <Card>
          <Result
            status={reason === 'invalid' ? 'error' : 'warning'}
            title={t(`followup.public.gone.${reason}.title`)}
            subTitle={t(`followup.public.gone.${reason}.text`)}
            data-testid="followup-gone"
          />
        </Card>
      </Shell>
    );
  }
  const f = q.data;
  if (done) {
    return (
      <Shell>
        <Card data-testid="followup-thanks">
          <Result
            status="success"
            title={done.solved ? t('followup.public.thanksSolved') : t('followup.public.thanksUnsolved')}
            subTitle={done.solved ? t('followup.public.thanksSolvedText') : t('followup.public.thanksUnsolvedText')}
          />
          {done.warrantyNotice ? <Alert type="info" showIcon title={t('followup.public.warranty')} description={done.warrantyNotice} /> : null}
        </Card>
      </Shell>
    );
  }

  const missingRating = answer === 'solved' && rating < 1;
  const missingWords = answer === 'unsolved' && !comment.trim();
  const send = () => {
    setTouched(true);
    if (!answer || missingRating || missingWords) return;
    submit.mutate();
  };

  return (
    <Shell>
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Card size="small">
          <Typography.Paragraph style={{ marginBottom: 8 }}>{t('followup.public.greeting', { name: f.customerName })}</Typography.Paragraph>
          <Descriptions
            size="small"
            column={1}
            items={[
              { key: 'number', label: t('followup.public.number'), children: f.number },
              { key: 'title', label: t('followup.public.problem'), children: f.title },
              ...(f.whatWasDone ? [{ key: 'done', label: t('followup.public.whatWasDone'), children: f.whatWasDone }] : []),
            ]}
          />
        </Card>
        <Card size="small" title={t('followup.public.question')}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            {/* Two plain buttons: a Segmented would show the first option as chosen before any choice. */}
            <div style={{ display: 'flex', gap: 12 }} role="radiogroup" aria-label={t('followup.public.question')}>
              <Button
                size="large" style={{ flex: 1, height: 48 }} role="radio" aria-checked={answer === 'solved'}
                type={answer === 'solved' ? 'primary' : 'default'} icon={<CheckCircleOutlined />}
                onClick={() => setAnswer('solved')} data-testid="answer-solved"
              >
                {t('followup.public.solved')}
              </Button>
              <Button
                size="large" style={{ flex: 1, height: 48 }} role="radio" aria-checked={answer === 'unsolved'}
                type={answer === 'unsolved' ? 'primary' : 'default'} danger={answer === 'unsolved'} icon={<CloseCircleOutlined />}
                onClick={() => setAnswer('unsolved')} data-testid="answer-unsolved"
              >
                {t('followup.public.unsolved')}
              </Button>
            </div>
            {touched && !answer ? <Typography.Text type="danger">{t('followup.public.pickAnswer')}</Typography.Text> : null}
            {answer === 'solved' ? (
              <div>
                <Typography.Text>{t('followup.public.rate')}</Typography.Text>
                <div style={{ marginTop: 8 }} data-testid="followup-rate">
                  <Rate value={rating} onChange={setRating} style={{ fontSize: 32 }} />
                  {rating ? <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>{t(`followup.public.stars.${rating}`)}</Typography.Text> : null}
                </div>
                {touched && missingRating ? <Typography.Text type="danger">{t('followup.public.pickRating')}</Typography.Text> : null}
              </div>
            ) : null}
            {answer ? (
              <div>
                <Typography.Text>{answer === 'solved' ? t('followup.public.commentOptional') : t('followup.public.describe')}</Typography.Text>
                <Input.TextArea
                  style={{ marginTop: 8 }}
                  rows={4}
                  maxLength={2000}
                  value={comment}
                  onChange={(e) => setComment(e.target.value)}
                  placeholder={answer === 'solved' ? t('followup.public.commentPlaceholder') : t('followup.public.describePlaceholder')}
                  status={touched && missingWords ? 'error' : undefined}
                  data-testid="followup-comment"
                />
                {touched && missingWords ? <Typography.Text type="danger">{t('followup.public.describeRequired')}</Typography.Text> : null}
              </div>
            ) : null}
            {submit.isError ? <Alert type="error" showIcon title={t('followup.public.sendFailed')} /> : null}
            <Button type="primary" size="large" block loading={submit.isPending} onClick={send} data-testid="followup-submit">
              {t('followup.public.submit')}
            </Button>
          </Space>
        </Card>
        {f.warrantyNotice ? <Alert type="info" showIcon title={t('followup.public.warranty')} description={f.warrantyNotice} data-testid="followup-warranty" /> : null}
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center', fontSize: 12 }}>{t('followup.public.once')}</Typography.Paragraph>
      </Space>
    </Shell>
  );
}
