/**
 * 集成 › Webhooks (admins): subscriptions to domain events (standard signed JSON, DingTalk or
 * WeCom group robots), send test, the delivery log with replay of dead letters, and the
 * allow-list of intranet hosts.
 */
import {
  Alert, App, Button, Card, Checkbox, Drawer, Form, Grid, Input, Modal, Popconfirm, Radio, Select, Space, Switch, Table, Tag, Tooltip, Typography,
} from 'antd';
import { PlusOutlined, ReloadOutlined, SafetyOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  EVENT_TYPES, WEBHOOK_DELIVERY_STATUSES, WEBHOOK_FLAVOURS, type WebhookDelivery, type WebhookDeliveryStatus, type WebhookFlavour,
  type WebhookSubscription,
} from '@closeloop/contract';
import { ApiError } from '../../app/api.js';
import { errorMessage } from '../../app/errors.js';
import { ErrorResult } from '../../components/error-result.js';
import { TimeText } from '../../components/time-text.js';
import { useSave } from './use-save.js';
import { webhooksApi } from './webhooks-api.js';

const STATUS_COLORS: Record<WebhookDeliveryStatus, string> = { pending: 'default', sending: 'processing', delivered: 'success', dead: 'error' };
const FLAVOUR_COLORS: Record<WebhookFlavour, string> = { standard: 'blue', dingtalk: 'geekblue', wecom: 'green' };

/** Event types grouped by their domain (the part before the dot), in catalog order. */
const EVENT_GROUPS = (() => {
  const groups = new Map<string, string[]>();
  for (const type of EVENT_TYPES) {
    const domain = type.split('.')[0]!;
    groups.set(domain, [...(groups.get(domain) ?? []), type]);
  }
  return [...groups.entries()];
})();

interface Values { name?: string; url?: string; flavour?: WebhookFlavour; secret?: string; eventTypes?: string[]; active?: boolean }

export function WebhooksTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const subs = useQuery({ queryKey: ['webhooks'], queryFn: webhooksApi.list });
  const [editing, setEditing] = useState<WebhookSubscription | 'new' | null>(null);
  const [shownSecret, setShownSecret] = useState<string | null>(null);
  const [allowOpen, setAllowOpen] = useState(false);
  const [form] = Form.useForm<Values>();
  const flavour = Form.useWatch('flavour', form) ?? 'standard';
  const isNew = editing === 'new';
  // On a phone a fixed action column would cover the whole table.
  const wide = Grid.useBreakpoint().md ?? true;

  const save = useSave<Values>({
    form, invalidate: ['webhooks'], onDone: () => setEditing(null),
    save: (v) => saveValues(v).catch((err: unknown) => {
      // The SSRF refusal names the address and why: show that instead of a generic "invalid".
      const refused = err instanceof ApiError ? err.fields.find((f) => f.path === 'url') : undefined;
      if (refused) setTimeout(() => form.setFields([{ name: 'url', errors: [t('webhooks.urlRefused', { reason: refused.message })] }]), 0);
      throw err;
    }),
  });
  async function saveValues(v: Values) {
    const body = {
      name: v.name?.trim(), url: v.url?.trim(), flavour: v.flavour, eventTypes: v.eventTypes ?? [], active: v.active ?? true,
      ...(v.flavour === 'dingtalk' && v.secret?.trim() ? { secret: v.secret.trim() } : {}),
    };
    const saved = isNew ? await webhooksApi.create(body) : await webhooksApi.update((editing as WebhookSubscription).id, body);
    if (saved.secret && saved.flavour === 'standard') setShownSecret(saved.secret);
    return saved;
  }
  const invalidate = () => {
    void qc.invalidateQueries({ queryKey: ['webhooks'] });
    void qc.invalidateQueries({ queryKey: ['webhook-deliveries'] });
  };
  const test = useMutation({
    mutationFn: webhooksApi.test,
    onSuccess: (r) => {
      if (r.ok) message.success(t('webhooks.testOk', { code: r.statusCode, ms: r.latencyMs }));
      else message.error(t('webhooks.testFailed', { error: r.error ?? '', ms: r.latencyMs }), 6);
    },
    onError: (err) => message.error(errorMessage(t, err)),
  });
  const replayAll = useMutation({
    mutationFn: webhooksApi.replayAll,
    onSuccess: (r) => { message.success(t('webhooks.replayed', { count: r.replayed })); invalidate(); },
    onError: (err) => message.error(errorMessage(t, err)),
  });
  const remove = useMutation({
    mutationFn: webhooksApi.remove,
    onSuccess: () => { message.success(t('webhooks.deleted')); invalidate(); },
    onError: (err) => message.error(errorMessage(t, err)),
  });
  const rotate = useMutation({
    mutationFn: (id: string) => webhooksApi.update(id, { rotateSecret: true }),
    onSuccess: (s) => { if (s.secret) setShownSecret(s.secret); invalidate(); },
    onError: (err) => message.error(errorMessage(t, err)),
  });

  const open = (s: WebhookSubscription | 'new') => {
    form.resetFields();
    form.setFieldsValue(s === 'new'
      ? { flavour: 'standard', active: true, eventTypes: ['ticket.created', 'ticket.status_changed'] }
      : { name: s.name, url: s.url, flavour: s.flavour, eventTypes: s.eventTypes, active: s.active });
    setEditing(s);
  };

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        size="small"
        title={t('webhooks.subscriptions')}
        extra={(
          <Space wrap>
            <Button icon={<SafetyOutlined />} onClick={() => setAllowOpen(true)}>{t('webhooks.allowList')}</Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')} data-testid="webhook-new">{t('webhooks.new')}</Button>
          </Space>
        )}
      >
        {subs.isError ? <ErrorResult error={subs.error} onRetry={() => void subs.refetch()} /> : (
          <Table<WebhookSubscription>
            rowKey="id"
            size="small"
            loading={subs.isLoading}
            dataSource={subs.data?.items ?? []}
            pagination={false}
            scroll={{ x: 1000 }}
            locale={{ emptyText: t('webhooks.empty') }}
            columns={[
              { title: t('webhooks.name'), dataIndex: 'name', width: 150, ellipsis: true },
              {
                title: t('webhooks.url'), dataIndex: 'url', ellipsis: { showTitle: false },
                render: (url: string) => <Tooltip title={url} placement="topLeft"><Typography.Text code>{url}</Typography.Text></Tooltip>,
              },
              { title: t('webhooks.flavour'), dataIndex: 'flavour', width: 110, render: (f: WebhookFlavour) => <Tag color={FLAVOUR_COLORS[f]}>{t(`webhooks.flavours.${f}`)}</Tag> },
              {
                title: t('webhooks.events'), key: 'events', width: 90, align: 'right',
                render: (_: unknown, s) => (
                  <Tooltip title={s.eventTypes.map((e) => t(`webhooks.eventNames.${e}`, { defaultValue: e })).join(t('common.listSep'))}>
                    {t('webhooks.eventCount', { count: s.eventTypes.length })}
                  </Tooltip>
                ),
              },
              { title: t('webhooks.active'), dataIndex: 'active', width: 80, render: (a: boolean) => (a ? <Tag color="success">{t('webhooks.on')}</Tag> : <Tag>{t('webhooks.off')}</Tag>) },
              {
                title: t('webhooks.deliveries'), key: 'counts', width: 170,
                render: (_: unknown, s) => (
                  <Space size={4}>
                    <Tooltip title={t('webhooks.status.delivered')}><Tag color="success">{s.counts.delivered.toLocaleString()}</Tag></Tooltip>
                    <Tooltip title={t('webhooks.status.pending')}><Tag color="warning">{s.counts.pending.toLocaleString()}</Tag></Tooltip>
                    <Tooltip title={t('webhooks.status.dead')}><Tag color={s.counts.dead ? 'error' : 'default'}>{s.counts.dead.toLocaleString()}</Tag></Tooltip>
                  </Space>
                ),
              },
              {
                title: t('common.actions'), key: 'actions', width: 280, fixed: wide ? 'right' : undefined,
                render: (_: unknown, s) => (
                  <Space size={0} wrap>
                    <Button type="link" size="small" onClick={() => open(s)}>{t('common.edit')}</Button>
                    <Button type="link" size="small" loading={test.isPending && test.variables === s.id} onClick={() => test.mutate(s.id)}>{t('webhooks.sendTest')}</Button>
                    {s.counts.dead > 0 ? (
                      <Popconfirm title={t('webhooks.replayAllConfirm', { count: s.counts.dead })} onConfirm={() => replayAll.mutate(s.id)}>
                        <Button type="link" size="small">{t('webhooks.replayAll')}</Button>
                      </Popconfirm>
                    ) : null}
                    {s.flavour === 'standard' ? (
                      <Popconfirm title={t('webhooks.rotateConfirm')} onConfirm={() => rotate.mutate(s.id)}>
                        <Button type="link" size="small">{t('webhooks.rotate')}</Button>
                      </Popconfirm>
                    ) : null}
                    <Popconfirm title={t('webhooks.deleteConfirm')} onConfirm={() => remove.mutate(s.id)}>
                      <Button type="link" size="small" danger>{t('common.delete')}</Button>
                    </Popconfirm>
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>

      <DeliveryLog subscriptions={subs.data?.items ?? []} />

      <Drawer
        open={editing !== null}
        title={isNew ? t('webhooks.new') : t('webhooks.edit')}
        size={640}
        onClose={() => setEditing(null)}
        destroyOnHidden
        extra={(
          <Space>
            <Button onClick={() => setEditing(null)}>{t('common.cancel')}</Button>
            <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>{t('common.save')}</Button>
          </Space>
        )}
      >
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} requiredMark>
          <Form.Item name="name" label={t('webhooks.name')} rules={[{ required: true, whitespace: true, message: t('webhooks.nameRequired') }]}>
            <Input maxLength={100} placeholder={t('webhooks.namePlaceholder')} />
          </Form.Item>
          <Form.Item name="flavour" label={t('webhooks.flavour')} rules={[{ required: true }]}>
            <Radio.Group optionType="button" options={WEBHOOK_FLAVOURS.map((f) => ({ value: f, label: t(`webhooks.flavours.${f}`) }))} />
          </Form.Item>
          <Form.Item
            name="url" label={t('webhooks.url')} extra={t(`webhooks.urlHint.${flavour}`)}
            rules={[{ required: true, whitespace: true, message: t('webhooks.urlRequired') }, { type: 'url', message: t('webhooks.urlInvalid') }]}
          >
            <Input maxLength={2000} placeholder={t(`webhooks.urlPlaceholder.${flavour}`)} />
          </Form.Item>
          {flavour === 'dingtalk' ? (
            <Form.Item name="secret" label={t('webhooks.dingSecret')} extra={t('webhooks.dingSecretHint')}>
              <Input.Password maxLength={200} placeholder="SEC…" autoComplete="off" />
            </Form.Item>
          ) : null}
          {flavour === 'standard' ? <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('webhooks.secretInfo')} /> : null}
          <Form.Item name="active" label={t('webhooks.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="eventTypes" label={t('webhooks.events')} rules={[{ required: true, type: 'array', min: 1, message: t('webhooks.eventsRequired') }]}>
            <EventPicker />
          </Form.Item>
        </Form>
      </Drawer>

      <Modal
        open={shownSecret !== null}
        title={t('webhooks.secretTitle')}
        onCancel={() => setShownSecret(null)}
        footer={<Button type="primary" onClick={() => setShownSecret(null)}>{t('webhooks.secretSaved')}</Button>}
      >
        <Alert type="warning" showIcon message={t('webhooks.secretOnce')} style={{ marginBottom: 12 }} />
        <Typography.Paragraph copyable={{ text: shownSecret ?? '' }} code style={{ wordBreak: 'break-all' }} data-testid="webhook-secret">
          {shownSecret}
        </Typography.Paragraph>
        <Typography.Text type="secondary">{t('webhooks.secretHow')}</Typography.Text>
      </Modal>

      <AllowListModal open={allowOpen} onClose={() => setAllowOpen(false)} />
    </Space>
  );
}

/** Checkbox groups per domain with a "whole group" box; value: the chosen event types. */
function EventPicker({ value = [], onChange }: { value?: string[]; onChange?: (v: string[]) => void }) {
  const { t } = useTranslation();
  const chosen = new Set(value);
  const set = (types: string[], on: boolean) => {
    const next = new Set(chosen);
    for (const ty of types) if (on) next.add(ty); else next.delete(ty);
    onChange?.(EVENT_TYPES.filter((e) => next.has(e)));
  };
  return (
    <Space direction="vertical" size={8} style={{ width: '100%' }}>
      {EVENT_GROUPS.map(([domain, types]) => {
        const n = types.filter((ty) => chosen.has(ty)).length;
        return (
          <Card key={domain} size="small" styles={{ body: { padding: '8px 12px' } }}>
            <Checkbox
              checked={n === types.length}
              indeterminate={n > 0 && n < types.length}
              onChange={(e) => set(types, e.target.checked)}
              style={{ fontWeight: 500, marginBottom: 4 }}
            >
              {t(`webhooks.domains.${domain}`, { defaultValue: domain })}
            </Checkbox>
            <div style={{ display: 'flex', flexWrap: 'wrap', gap: '4px 0' }}>
              {types.map((ty) => (
                <Checkbox key={ty} checked={chosen.has(ty)} onChange={(e) => set([ty], e.target.checked)} style={{ minWidth: 150 }}>
                  {t(`webhooks.eventNames.${ty}`, { defaultValue: ty })}
                </Checkbox>
              ))}
            </div>
          </Card>
        );
      })}
    </Space>
  );
}

function DeliveryLog({ subscriptions }: { subscriptions: WebhookSubscription[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [subscriptionId, setSubscriptionId] = useState<string | undefined>();
  const [status, setStatus] = useState<WebhookDeliveryStatus | undefined>();
  const names = useMemo(() => new Map(subscriptions.map((s) => [s.id, s.name])), [subscriptions]);
  const log = useInfiniteQuery({
    queryKey: ['webhook-deliveries', subscriptionId, status],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => webhooksApi.deliveries({ subscriptionId, status, cursor: pageParam, limit: 20 }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const replay = useMutation({
    mutationFn: (d: WebhookDelivery) => webhooksApi.replayOne(d.subscriptionId, d.id),
    onSuccess: () => {
      message.success(t('webhooks.replayed', { count: 1 }));
      void qc.invalidateQueries({ queryKey: ['webhook-deliveries'] });
      void qc.invalidateQueries({ queryKey: ['webhooks'] });
    },
    onError: (err) => message.error(errorMessage(t, err)),
  });
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];
  const wide = Grid.useBreakpoint().md ?? true;
  return (
    <Card
      size="small"
      title={t('webhooks.log')}
      extra={<Button icon={<ReloadOutlined />} onClick={() => void log.refetch()} loading={log.isRefetching}>{t('common.refresh')}</Button>}
    >
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          allowClear placeholder={t('webhooks.allSubscriptions')} style={{ width: 200 }} value={subscriptionId} onChange={setSubscriptionId}
          aria-label={t('webhooks.subscription')} options={subscriptions.map((s) => ({ value: s.id, label: s.name }))}
        />
        <Select<WebhookDeliveryStatus>
          allowClear placeholder={t('webhooks.allStatuses')} style={{ width: 140 }} value={status} onChange={setStatus}
          aria-label={t('webhooks.statusColumn')} options={WEBHOOK_DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`webhooks.status.${s}`) }))}
        />
      </Space>
      {log.isError ? <ErrorResult error={log.error} onRetry={() => void log.refetch()} /> : (
        <>
          <Table<WebhookDelivery>
            rowKey="id"
            size="small"
            loading={log.isLoading}
            dataSource={rows}
            pagination={false}
            scroll={{ x: 1360 }}
            locale={{ emptyText: t('webhooks.logEmpty') }}
            columns={[
              { title: t('webhooks.createdAt'), key: 'createdAt', width: 140, render: (_: unknown, d) => <TimeText value={d.createdAt} /> },
              { title: t('webhooks.subscription'), key: 'sub', width: 140, ellipsis: true, render: (_: unknown, d) => names.get(d.subscriptionId) ?? '—' },
              {
                title: t('webhooks.eventType'), dataIndex: 'eventType', width: 150, ellipsis: true,
                render: (e: string) => <Tooltip title={e}>{t(`webhooks.eventNames.${e}`, { defaultValue: e })}</Tooltip>,
              },
              {
                title: t('webhooks.statusColumn'), key: 'status', width: 90,
                // A waiting row that already failed is retrying, not merely queued.
                render: (_: unknown, d) => (d.status === 'pending' && d.attempts > 0
                  ? <Tag color="warning">{t('webhooks.status.retrying')}</Tag>
                  : <Tag color={STATUS_COLORS[d.status]}>{t(`webhooks.status.${d.status}`)}</Tag>),
              },
              { title: t('webhooks.httpCode'), dataIndex: 'lastStatusCode', width: 96, align: 'right', render: (c: number | null) => c ?? '—' },
              { title: t('webhooks.latency'), dataIndex: 'lastLatencyMs', width: 90, align: 'right', render: (ms: number | null) => (ms === null ? '—' : `${ms.toLocaleString()} ms`) },
              { title: t('webhooks.attempts'), dataIndex: 'attempts', width: 70, align: 'right' },
              { title: t('webhooks.nextAttempt'), key: 'next', width: 140, render: (_: unknown, d) => (d.nextAttemptAt ? <TimeText value={d.nextAttemptAt} /> : '—') },
              {
                title: t('webhooks.error'), dataIndex: 'lastError', width: 260, ellipsis: { showTitle: false },
                render: (e: string | null) => (e ? <Tooltip title={e} placement="topLeft"><Typography.Text type="danger">{e}</Typography.Text></Tooltip> : '—'),
              },
              {
                title: t('common.actions'), key: 'actions', width: 80, fixed: wide ? 'right' : undefined,
                render: (_: unknown, d) => (d.status === 'dead'
                  ? <Button type="link" size="small" loading={replay.isPending && replay.variables?.id === d.id} onClick={() => replay.mutate(d)}>{t('webhooks.replay')}</Button>
                  : null),
              },
            ]}
          />
          {log.hasNextPage ? (
            <div style={{ textAlign: 'center', marginTop: 12 }}>
              <Button onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>{t('webhooks.more')}</Button>
            </div>
          ) : null}
        </>
      )}
    </Card>
  );
}

function AllowListModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const settings = useQuery({ queryKey: ['webhook-settings'], queryFn: webhooksApi.settings, enabled: open });
  const [hosts, setHosts] = useState<string[] | null>(null);
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: () => webhooksApi.saveSettings({ allowHosts: hosts ?? settings.data?.allowHosts ?? [] }),
    onSuccess: () => { message.success(t('common.saved')); void qc.invalidateQueries({ queryKey: ['webhook-settings'] }); setHosts(null); onClose(); },
    onError: (err) => message.error(errorMessage(t, err)),
  });
  return (
    <Modal open={open} title={t('webhooks.allowList')} onCancel={() => { setHosts(null); onClose(); }} onOk={() => save.mutate()} confirmLoading={save.isPending} okText={t('common.save')} cancelText={t('common.cancel')}>
      <Alert type="warning" showIcon message={t('webhooks.allowListHint')} style={{ marginBottom: 12 }} />
      <Select
        mode="tags" style={{ width: '100%' }} placeholder={t('webhooks.allowListPlaceholder')} loading={settings.isLoading}
        value={hosts ?? settings.data?.allowHosts ?? []} onChange={setHosts} tokenSeparators={[',', ' ', '，']} open={false}
      />
    </Modal>
  );
}
