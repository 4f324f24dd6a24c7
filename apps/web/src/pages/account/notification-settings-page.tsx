/**
 * 通知设置: the signed-in user's channels per notification kind (站内 / 邮件). A switch saves at
 * once; the server applies it to what is still waiting (e-mails held by quiet hours too).
 */
import { Alert, App, Card, Switch, Table, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NotificationPreference } from '@closeloop/contract';
import { api } from '../../app/api.js';
import { errorMessage } from '../../app/errors.js';
import { useMe } from '../../app/session.js';
import { ErrorResult } from '../../components/error-result.js';

type Channel = 'inApp' | 'email';

export default function NotificationSettingsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const prefs = useQuery({ queryKey: ['notification-preferences'], queryFn: api.notificationPreferences });
  const [saving, setSaving] = useState<string | null>(null);
  useEffect(() => {
    document.title = `${t('notificationPrefs.title')} - ${t('app.shortName')}`;
  }, [t]);

  const save = useMutation({
    mutationFn: (v: { kind: NotificationPreference['kind']; channel: Channel; on: boolean }) =>
      api.updateNotificationPreferences({ items: [{ kind: v.kind, [v.channel]: v.on }] }),
    onMutate: (v) => setSaving(`${v.kind}:${v.channel}`),
    onSuccess: (data) => {
      qc.setQueryData(['notification-preferences'], data);
      message.success(t('common.saved'));
    },
    onError: (err) => message.error(errorMessage(t, err)),
    onSettled: () => setSaving(null),
  });

  const toggle = (row: NotificationPreference, channel: Channel) => (
    <Switch
      checked={row[channel]}
      loading={saving === `${row.kind}:${channel}`}
      checkedChildren={t('notificationPrefs.on')}
      unCheckedChildren={t('notificationPrefs.off')}
      aria-label={`${t(`notificationPrefs.kind.${row.kind}`)} ${channel === 'inApp' ? t('notificationPrefs.inApp') : t('notificationPrefs.email')}`}
      data-testid={`pref-${row.kind}-${channel}`}
      onChange={(on) => save.mutate({ kind: row.kind, channel, on })}
    />
  );

  return (
    <Card title={t('notificationPrefs.title')} size="small">
      <Alert
        showIcon
        type={me.email ? 'info' : 'warning'}
        style={{ marginBottom: 12 }}
        title={me.email ? t('notificationPrefs.sentTo', { email: me.email }) : t('notificationPrefs.noEmail')}
        description={t('notificationPrefs.quietHours')}
      />
      {prefs.isError ? <ErrorResult error={prefs.error} onRetry={() => void prefs.refetch()} /> : (
        <Table<NotificationPreference>
          rowKey="kind"
          size="small"
          loading={prefs.isLoading}
          dataSource={prefs.data?.items ?? []}
          pagination={false}
          columns={[
            {
              title: t('notificationPrefs.kindColumn'), key: 'kind',
              render: (_: unknown, row) => (
                <>
                  <div style={{ fontWeight: 500 }}>{t(`notificationPrefs.kind.${row.kind}`)}</div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t(`notificationPrefs.kindHint.${row.kind}`)}</Typography.Text>
                </>
              ),
            },
            { title: t('notificationPrefs.inApp'), key: 'inApp', width: 76, align: 'center', render: (_: unknown, row) => toggle(row, 'inApp') },
            { title: t('notificationPrefs.email'), key: 'email', width: 76, align: 'center', render: (_: unknown, row) => toggle(row, 'email') },
          ]}
        />
      )}
    </Card>
  );
}
