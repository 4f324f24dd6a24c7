/**
 * 知识库: search and list articles (the tickets' Chinese search), read one, write or edit it
 * (every save is a revision; the history shows what each one changed), and "publish as article"
 * from a solved ticket (`?fromTicket=<id>` opens the editor prefilled from it).
 */
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import {
  App, Button, Card, Descriptions, Drawer, Empty, Form, Input, List, Radio, Segmented, Select, Space, Switch, Tabs, Tag, Timeline, Typography,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ROOT_CAUSE_CLASSES, type Article, type ArticleInput } from '@closeloop/contract';
import { errorMessage } from '../../app/errors.js';
import { categoryName, useCategories } from '../../app/lookups.js';
import { ErrorResult } from '../../components/error-result.js';
import { TimeText } from '../../components/time-text.js';
import { followupApi, type ArticleRevision } from '../followup/followup-api.js';
import { ExportButton } from '../spreadsheets/export-button.js';

type Filter = 'all' | 'published' | 'draft';
type Editing = { id: string | null; revision: number; values: ArticleInput } | null;
const FIELDS = ['title', 'problem', 'cause', 'solution', 'models', 'categoryId', 'rootCauseClass', 'isPublic', 'status'] as const;

export default function KnowledgePage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [q, setQ] = useState('');
  const [filter, setFilter] = useState<Filter>('all');
  const [editingState, setEditing] = useState<Editing>(null);
  const viewing = params.get('article');
  const fromTicket = params.get('fromTicket');

  useEffect(() => {
    document.title = `${t('knowledge.title')} - ${t('app.shortName')}`;
  }, [t]);

  const list = useInfiniteQuery({
    queryKey: ['knowledge', q, filter],
    queryFn: ({ pageParam }) => followupApi.articles({ q: q || undefined, status: filter === 'all' ? undefined : filter, cursor: pageParam ?? undefined }),
    initialPageParam: null as string | null,
    getNextPageParam: (p) => p.nextCursor,
  });
  const draft = useQuery({ queryKey: ['article-draft', fromTicket], queryFn: () => followupApi.articleDraft(fromTicket!), enabled: !!fromTicket });
  const { message } = App.useApp();
  useEffect(() => {
    if (draft.isError) message.error(errorMessage(t, draft.error));
  }, [draft.isError, draft.error, message, t]);

  // "Publish as article": the editor opens prefilled from the ticket until it is closed or saved.
  const editing: Editing = editingState ?? (fromTicket && draft.data ? { id: null, revision: 0, values: draft.data } : null);
  const closeEditor = () => {
    setEditing(null);
    if (fromTicket) setParams((p) => { p.delete('fromTicket'); return p; }, { replace: true });
  };
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const open = (id: string | null) => setParams((p) => { if (id) p.set('article', id); else p.delete('article'); return p; });

  return (
    <Card
      title={t('knowledge.title')}
      extra={<Space><ExportButton list="knowledge" query={{ q: q || undefined, status: filter === 'all' ? undefined : filter }} size="middle" /><Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ id: null, revision: 0, values: { title: '', problem: '', solution: '' } })}>{t('knowledge.new')}</Button></Space>}
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={t('knowledge.searchPlaceholder')} onSearch={setQ} style={{ width: 320, maxWidth: '100%' }} data-testid="knowledge-search" />
        <Segmented<Filter>
          value={filter}
          onChange={setFilter}
          options={[{ value: 'all', label: t('knowledge.filter.all') }, { value: 'published', label: t('knowledge.status.published') }, { value: 'draft', label: t('knowledge.status.draft') }]}
        />
      </Space>
      {list.isError ? <ErrorResult error={list.error} onRetry={() => void list.refetch()} /> : (
        <List
          loading={list.isPending}
          dataSource={items}
          locale={{ emptyText: <Empty description={q ? t('knowledge.noMatch') : t('knowledge.empty')} /> }}
          renderItem={(a) => (
            <List.Item key={a.id} onClick={() => open(a.id)} style={{ cursor: 'pointer' }} data-testid="article-item">
              <List.Item.Meta
                title={<Space wrap size={4}><Typography.Link>{a.title}</Typography.Link><StatusTags a={a} /></Space>}
                description={<Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0 }}>{a.problem}</Typography.Paragraph>}
              />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}><TimeText value={a.updatedAt} relative /></Typography.Text>
            </List.Item>
          )}
        />
      )}
      {list.hasNextPage ? <div style={{ textAlign: 'center' }}><Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>{t('knowledge.more')}</Button></div> : null}
      {viewing ? <ArticleDrawer id={viewing} onClose={() => open(null)} onEdit={(a) => setEditing({ id: a.id, revision: a.revision, values: toInput(a) })} /> : null}
      {editing ? <EditorDrawer editing={editing} onClose={closeEditor} onSaved={(a) => { setEditing(null); setParams((p) => { p.delete('fromTicket'); p.set('article', a.id); return p; }); }} /> : null}
    </Card>
  );
}

function toInput(a: Article): ArticleInput {
  return {
    title: a.title, problem: a.problem, cause: a.cause, solution: a.solution, models: a.models, categoryId: a.categoryId,
    rootCauseClass: a.rootCauseClass as ArticleInput['rootCauseClass'], isPublic: a.isPublic, status: a.status,
  };
}

function StatusTags({ a }: { a: Pick<Article, 'status' | 'isPublic'> }) {
  const { t } = useTranslation();
  return (
    <>
      <Tag color={a.status === 'published' ? 'success' : 'default'}>{t(`knowledge.status.${a.status}`)}</Tag>
      {a.isPublic ? <Tag color="blue">{t('knowledge.public')}</Tag> : null}
    </>
  );
}

function ArticleDrawer({ id, onClose, onEdit }: { id: string; onClose: () => void; onEdit: (a: Article) => void }) {
  const { t } = useTranslation();
  const a = useQuery({ queryKey: ['article', id], queryFn: () => followupApi.article(id) });
  const revs = useQuery({ queryKey: ['article', id, 'revisions'], queryFn: async () => (await followupApi.revisions(id)).items });
  const categories = useCategories();
  const catName = (cid: string | null) => { const c = categories.data?.find((x) => x.id === cid); return c ? categoryName(c) : '—'; };
  return (
    <Drawer open width={640} onClose={onClose} title={a.data?.title ?? t('knowledge.article')} extra={a.data ? <Button type="primary" onClick={() => onEdit(a.data!)}>{t('knowledge.edit')}</Button> : null}>
      {a.isError ? <ErrorResult error={a.error} onRetry={() => void a.refetch()} /> : a.data ? (
        <Tabs
          items={[
            {
              key: 'view', label: t('knowledge.content'),
              children: (
                <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="article-view">
                  <Space wrap size={4}><StatusTags a={a.data} /><Typography.Text type="secondary">{t('knowledge.revisionN', { n: a.data.revision })}</Typography.Text></Space>
                  <Section title={t('knowledge.field.problem')} text={a.data.problem} />
                  {a.data.cause ? <Section title={t('knowledge.field.cause')} text={a.data.cause} /> : null}
                  <Section title={t('knowledge.field.solution')} text={a.data.solution} />
                  <Descriptions size="small" column={1} items={[
                    { key: 'models', label: t('knowledge.field.models'), children: a.data.models.length ? a.data.models.map((m) => <Tag key={m}>{m}</Tag>) : '—' },
                    { key: 'category', label: t('knowledge.field.categoryId'), children: catName(a.data.categoryId) },
                    { key: 'rc', label: t('knowledge.field.rootCauseClass'), children: a.data.rootCauseClass ? t(`rootCauseClass.${a.data.rootCauseClass}`) : '—' },
                    { key: 'src', label: t('knowledge.sourceTicket'), children: a.data.sourceTicket ? <Link to={`/tickets/${a.data.sourceTicket.id}`}>{a.data.sourceTicket.number}</Link> : '—' },
                    { key: 'upd', label: t('knowledge.updated'), children: <>{a.data.updatedBy?.displayName ?? ''} <TimeText value={a.data.updatedAt} /></> },
                  ]} />
                </Space>
              ),
            },
            { key: 'history', label: t('knowledge.history'), children: <History revisions={revs.data ?? []} /> },
          ]}
        />
      ) : null}
    </Drawer>
  );
}

function Section({ title, text }: { title: string; text: string }) {
  return (
    <div>
      <Typography.Title level={5} style={{ fontSize: 14 }}>{title}</Typography.Title>
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{text}</Typography.Paragraph>
    </div>
  );
}

function History({ revisions }: { revisions: ArticleRevision[] }) {
  const { t } = useTranslation();
  const rows = useMemo(() => revisions.map((r, i) => {
    const prev = revisions[i + 1];
    const changed = prev ? FIELDS.filter((f) => JSON.stringify(r.content[f]) !== JSON.stringify(prev.content[f])) : [];
    return { r, prev, changed };
  }), [revisions]);
  if (!revisions.length) return <Empty />;
  return (
    <Timeline
      data-testid="article-history"
      items={rows.map(({ r, prev, changed }) => ({
        key: r.revision,
        children: (
          <div>
            <Typography.Text strong>{t('knowledge.revisionN', { n: r.revision })}</Typography.Text>{' '}
            <Typography.Text type="secondary">{r.by?.displayName ?? ''} <TimeText value={r.at} /></Typography.Text>
            {!prev ? <div><Typography.Text type="secondary">{t('knowledge.created')}</Typography.Text></div> : null}
            {changed.map((f) => (
              <div key={f} style={{ fontSize: 12 }}>
                <Typography.Text>{t(`knowledge.field.${f}`)}{t('common.colon')}</Typography.Text>
                <Typography.Text delete type="secondary">{String(display(prev!.content[f]))}</Typography.Text>{' → '}
                <Typography.Text>{String(display(r.content[f]))}</Typography.Text>
              </div>
            ))}
          </div>
        ),
      }))}
    />
  );
}

function display(v: unknown): string {
  if (Array.isArray(v)) return v.join('、') || '—';
  if (v === null || v === undefined || v === '') return '—';
  const s = String(v);
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

function EditorDrawer({ editing, onClose, onSaved }: { editing: NonNullable<Editing>; onClose: () => void; onSaved: (a: Article) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const categories = useCategories();
  const [form] = Form.useForm<ArticleInput>();
  const save = useMutation({
    mutationFn: (v: ArticleInput) => (editing.id
      ? followupApi.updateArticle(editing.id, { ...v, revision: editing.revision } as never)
      : followupApi.createArticle({ ...v, sourceTicketId: editing.values.sourceTicketId ?? null })),
    onSuccess: (a) => {
      message.success(a.status === 'published' ? t('knowledge.publishedMsg') : t('common.saved'));
      void qc.invalidateQueries({ queryKey: ['knowledge'] });
      void qc.invalidateQueries({ queryKey: ['article', a.id] });
      onSaved(a);
    },
    onError: (err) => message.error(errorMessage(t, err)),
  });
  const required = (label: string) => [{ required: true, whitespace: true, message: t('knowledge.required', { field: label }) }];
  return (
    <Drawer
      open
      width={720}
      onClose={onClose}
      title={editing.id ? t('knowledge.editTitle') : editing.values.sourceTicketId ? t('knowledge.fromTicketTitle') : t('knowledge.newTitle')}
      extra={<Space><Button onClick={onClose}>{t('common.cancel')}</Button><Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="article-save">{t('knowledge.save')}</Button></Space>}
    >
      <Form form={form} layout="vertical" initialValues={{ status: 'draft', isPublic: false, models: [], cause: '', ...editing.values }} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="title" label={t('knowledge.field.title')} rules={required(t('knowledge.field.title'))}><Input maxLength={200} /></Form.Item>
        <Form.Item name="problem" label={t('knowledge.field.problem')} rules={required(t('knowledge.field.problem'))}><Input.TextArea rows={3} maxLength={4000} /></Form.Item>
        <Form.Item name="cause" label={t('knowledge.field.cause')}><Input.TextArea rows={2} maxLength={4000} /></Form.Item>
        <Form.Item name="solution" label={t('knowledge.field.solution')} rules={required(t('knowledge.field.solution'))}><Input.TextArea rows={5} maxLength={8000} /></Form.Item>
        <Form.Item name="models" label={t('knowledge.field.models')} extra={t('knowledge.modelsHint')}><Select mode="tags" tokenSeparators={[',', '，', ' ']} open={false} /></Form.Item>
        <Space wrap size={16}>
          <Form.Item name="categoryId" label={t('knowledge.field.categoryId')}>
            <Select allowClear style={{ width: 200 }} options={(categories.data ?? []).map((c) => ({ value: c.id, label: categoryName(c) }))} />
          </Form.Item>
          <Form.Item name="rootCauseClass" label={t('knowledge.field.rootCauseClass')}>
            <Select allowClear style={{ width: 160 }} options={ROOT_CAUSE_CLASSES.map((c) => ({ value: c, label: t(`rootCauseClass.${c}`) }))} />
          </Form.Item>
        </Space>
        <Space wrap size={24}>
          <Form.Item name="status" label={t('knowledge.field.status')}>
            <Radio.Group optionType="button" options={[{ value: 'draft', label: t('knowledge.status.draft') }, { value: 'published', label: t('knowledge.status.published') }]} />
          </Form.Item>
          <Form.Item name="isPublic" label={t('knowledge.field.isPublic')} valuePropName="checked" extra={t('knowledge.publicHint')}><Switch /></Form.Item>
        </Space>
      </Form>
    </Drawer>
  );
}
