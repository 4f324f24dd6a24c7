/**
 * Suggestions in the intake form (inside its <Form>): as the agent types the title, description,
 * customer and model, similar solved tickets and knowledge articles are shown, and a likely
 * duplicate (same customer and model, still open or closed within 30 days) is flagged before
 * the agent submits.
 */
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Alert, Card, List, Space, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Form } from 'antd';
import type { Suggestions } from '@closeloop/contract';
import { followupApi } from './followup-api.js';

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

export function IntakeSuggestions() {
  const form = Form.useFormInstance();
  const title = (Form.useWatch('title', form) as string | undefined) ?? '';
  const description = (Form.useWatch('description', form) as string | undefined) ?? '';
  const phone = (Form.useWatch(['customer', 'phone'], form) as string | undefined) ?? '';
  const email = (Form.useWatch(['customer', 'email'], form) as string | undefined) ?? '';
  const model = (Form.useWatch(['product', 'model'], form) as string | undefined) ?? '';
  const draft = useDebounced({ title: title.trim(), description: description.trim().slice(0, 300), phone: phone.trim(), email: email.trim(), model: model.trim() }, 600);
  const enabled = draft.title.length >= 2 || (!!draft.model && (!!draft.phone || !!draft.email));
  const q = useQuery({
    queryKey: ['suggestions', draft],
    enabled,
    staleTime: 30_000,
    queryFn: ({ signal }) => followupApi.suggestions({
      title: draft.title, description: draft.description,
      customer: { ...(draft.phone ? { phone: draft.phone } : {}), ...(draft.email ? { email: draft.email } : {}) },
      product: draft.model ? { model: draft.model } : {},
    }, signal),
  });
  const s = q.data;
  if (!enabled || !s || (!s.duplicate && !s.tickets.length && !s.articles.length)) return null;
  return <SuggestionsCard s={s} testId="intake-suggestions" />;
}

/** On the ticket page: solved tickets and articles similar to this one (staff). */
export function TicketSimilarCard({ ticketId }: { ticketId: string }) {
  const q = useQuery({ queryKey: ['similar', ticketId], queryFn: () => followupApi.similar(ticketId), staleTime: 60_000 });
  const s = q.data;
  if (!s || (!s.duplicate && !s.tickets.length && !s.articles.length)) return null;
  return <SuggestionsCard s={s} testId="ticket-similar" />;
}

function SuggestionsCard({ s, testId }: { s: Suggestions; testId: string }) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t('followup.suggest.title')} data-testid={testId}>
      <Space orientation="vertical" size={8} style={{ width: '100%' }}>
        {s.duplicate ? (
          <Alert
            type="warning"
            showIcon
            data-testid="duplicate-warning"
            title={t('followup.suggest.duplicate')}
            description={(
              <span>
                <Link to={`/tickets/${s.duplicate.id}`} target="_blank">{s.duplicate.number}</Link>{' '}
                {s.duplicate.title}（{t(`status.${s.duplicate.status}`)}）{testId === 'intake-suggestions' ? t('followup.suggest.duplicateHint') : null}
              </span>
            )}
          />
        ) : null}
        {s.articles.length ? (
          <List
            size="small"
            header={<Typography.Text strong>{t('followup.suggest.articles')}</Typography.Text>}
            dataSource={s.articles}
            renderItem={(a) => (
              <List.Item>
                <Space orientation="vertical" size={0}>
                  <Link to={`/knowledge?article=${a.id}`} target="_blank">{a.title}</Link>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>{a.problem}</Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        ) : null}
        {s.tickets.length ? (
          <List
            size="small"
            header={<Typography.Text strong>{t('followup.suggest.tickets')}</Typography.Text>}
            dataSource={s.tickets}
            renderItem={(x) => (
              <List.Item>
                <Space orientation="vertical" size={0}>
                  <Space size={4} wrap><Link to={`/tickets/${x.id}`} target="_blank">{x.number}</Link><span>{x.title}</span><Tag>{t(`status.${x.status}`)}</Tag></Space>
                  {x.resolution ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('followup.suggest.solution')}{x.resolution}</Typography.Text> : null}
                </Space>
              </List.Item>
            )}
          />
        ) : null}
      </Space>
    </Card>
  );
}
