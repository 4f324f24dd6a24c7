/** The bell: unread count and the latest notifications; a click opens the ticket. */
import { Badge, Button, Empty, List, Popover, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../app/api.js';
import { errorMessage } from '../app/errors.js';
import { TimeText } from './time-text.js';

export function NotificationBell() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const q = useQuery({ queryKey: ['notifications'], queryFn: () => api.notifications(), refetchInterval: 60_000, retry: false });
  const readOne = useMutation({ mutationFn: api.readNotification, onSettled: () => qc.invalidateQueries({ queryKey: ['notifications'] }) });
  const readAll = useMutation({ mutationFn: api.readAllNotifications, onSettled: () => qc.invalidateQueries({ queryKey: ['notifications'] }) });
  const unread = q.data?.unreadCount ?? 0;

  const content = (
    <div style={{ width: 320, maxWidth: 'calc(100vw - 32px)' }}>
      {q.isError ? (
        <Typography.Text type="secondary">{errorMessage(t, q.error)}</Typography.Text>
      ) : (
        <List
          size="small"
          loading={q.isLoading}
          dataSource={(q.data?.items ?? []).slice(0, 8)}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.empty')} /> }}
          renderItem={(n) => (
            <List.Item
              style={{ cursor: 'pointer', opacity: n.readAt ? 0.6 : 1 }}
              onClick={() => {
                if (!n.readAt) readOne.mutate(n.id);
                setOpen(false);
                if (n.ticketId) navigate(`/tickets/${n.ticketId}`);
              }}
            >
              <List.Item.Meta
                title={<span>{n.ticketNumber ? `${n.ticketNumber} ` : ''}{n.title}</span>}
                description={<TimeText value={n.createdAt} relative />}
              />
            </List.Item>
          )}
        />
      )}
    </div>
  );

  return (
    <Popover
      trigger="click"
      open={open}
      onOpenChange={setOpen}
      placement="bottomRight"
      title={
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
          <span>{t('notifications.title')}</span>
          {unread > 0 ? (
            <Button size="small" type="link" loading={readAll.isPending} onClick={() => readAll.mutate()}>{t('notifications.readAll')}</Button>
          ) : null}
        </div>
      }
      content={content}
    >
      <Button type="text" aria-label={t('header.notifications')} icon={<Badge count={unread} size="small" offset={[2, -2]}><BellOutlined /></Badge>} />
    </Popover>
  );
}
