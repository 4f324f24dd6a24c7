/**
 * 标签 on the ticket: the tagger's suggestions to confirm (✓) or remove (✕), confirmed tags, and
 * adding a tag by hand. Every decision is recorded on the ticket (ticket.tags_decided).
 */
import { App, Button, Card, Empty, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TicketTagDecision } from '@closeloop/contract';
import { errorMessage } from '../../app/errors.js';
import { routingApi, useTags } from '../../app/routing-api.js';

export function TicketTagsCard({ ticketId, editable }: { ticketId: string; editable: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['ticket-tags', ticketId], queryFn: async () => (await routingApi.ticketTags(ticketId)).items });
  const library = useTags(editable);
  const [adding, setAdding] = useState<string | undefined>();
  const decide = useMutation({
    mutationFn: (d: Partial<TicketTagDecision>) => routingApi.decideTicketTags(ticketId, d),
    onSuccess: (res) => {
      qc.setQueryData(['ticket-tags', ticketId], res.items);
      void qc.invalidateQueries({ queryKey: ['ticket', ticketId, 'events'] });
      message.success(t('common.saved'));
    },
    onError: (err) => message.error(errorMessage(t, err)),
  });
  const tags = (q.data ?? []).filter((x) => x.state !== 'removed');
  const suggested = tags.filter((x) => x.state === 'suggested');
  const confirmed = tags.filter((x) => x.state === 'confirmed');
  const options = (library.data ?? []).filter((g) => g.active && !tags.some((x) => x.tagId === g.id)).map((g) => ({ value: g.id, label: g.path }));

  return (
    <Card size="small" title={t('tags.title')} data-testid="ticket-tags" loading={q.isPending}>
      {!tags.length ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tags.none')} style={{ margin: '4px 0' }} /> : null}
      {confirmed.length ? (
        <Space size={[4, 6]} wrap style={{ marginBottom: suggested.length ? 8 : 0 }}>
          {confirmed.map((x) => (
            <Tooltip key={x.tagId} title={x.source === 'rule' ? t('tags.byRule') : x.decidedBy ? t('tags.confirmedBy', { name: x.decidedBy.displayName }) : undefined}>
              <Tag color="cyan" data-testid="tag-confirmed" closable={editable} onClose={(e) => { e.preventDefault(); decide.mutate({ remove: [x.tagId] }); }}>{x.path}</Tag>
            </Tooltip>
          ))}
        </Space>
      ) : null}
      {suggested.length ? (
        <>
          <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', marginBottom: 4 }}>{t('tags.suggestedHint')}</Typography.Text>
          <Space size={[4, 6]} wrap>
            {suggested.map((x) => (
              <Space.Compact key={x.tagId} data-testid="tag-suggested">
                <Tooltip title={x.reason ? t('tags.because', { words: x.reason }) : undefined}>
                  <Tag color="gold" style={{ marginInlineEnd: 0, borderStyle: 'dashed' }}>{x.path}</Tag>
                </Tooltip>
                {editable ? <Button size="small" type="text" icon={<CheckOutlined />} aria-label={t('tags.confirm')} onClick={() => decide.mutate({ confirm: [x.tagId] })} /> : null}
                {editable ? <Button size="small" type="text" danger icon={<CloseOutlined />} aria-label={t('tags.remove')} onClick={() => decide.mutate({ remove: [x.tagId] })} /> : null}
              </Space.Compact>
            ))}
          </Space>
        </>
      ) : null}
      {editable ? (
        <Space.Compact style={{ marginTop: 10, width: '100%' }}>
          <Select size="small" style={{ flex: 1 }} showSearch optionFilterProp="label" placeholder={t('tags.addPlaceholder')} value={adding} onChange={setAdding} options={options} />
          <Button size="small" disabled={!adding} loading={decide.isPending} onClick={() => { if (adding) { decide.mutate({ add: [adding] }); setAdding(undefined); } }}>{t('tags.add')}</Button>
        </Space.Compact>
      ) : null}
    </Card>
  );
}
