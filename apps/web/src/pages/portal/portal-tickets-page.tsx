/** 我的工单: a signed-in customer's tickets, newest first, those waiting for them marked. */
import { Badge, Button, Card, Empty, List, Result, Skeleton, Tag, Typography } from 'antd';
import { RightOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../app/api.js';
import { ErrorResult } from '../../components/error-result.js';
import { TimeText } from '../../components/time-text.js';
import { PortalTitle } from './portal-shell.js';
import { portalApi, ticketPath } from './portal-api.js';
import { STATUS_COLOR, waitsForCustomer } from './portal-status.js';
import { usePortalSession } from './use-portal-session.js';

export default function PortalTicketsPage() {
  const { t } = useTranslation();
  const session = usePortalSession();
  const signedIn = session.data?.kind === 'account';
  const byCode = session.data?.kind === 'ticket' ? session.data.ticketNumber : null;
  const q = useQuery({ queryKey: ['portal', 'tickets'], queryFn: portalApi.tickets, enabled: signedIn, retry: false });

  if (session.isPending) return <Card><Skeleton active /></Card>;
  if (!signedIn || (q.isError && q.error instanceof ApiError && q.error.status === 401)) {
    return (
      <div data-testid="portal-tickets">
        <PortalTitle title={t('portal.nav.mine')} />
        <Card>
          <Result
            status="info" title={t('portal.mine.signInTitle')} subTitle={t('portal.mine.signInText')}
            extra={[
              <Link key="login" to="/portal/login?next=/portal/tickets"><Button type="primary" data-testid="mine-login">{t('portal.signIn')}</Button></Link>,
              <Link key="track" to="/portal/track"><Button>{t('portal.nav.track')}</Button></Link>,
            ]}
          />
          {byCode ? (
            <div style={{ textAlign: 'center' }}>
              <Link to={ticketPath(byCode)} data-testid="mine-code-ticket">{t('portal.mine.backToTicket', { number: byCode })}</Link>
            </div>
          ) : null}
        </Card>
      </div>
    );
  }
  return (
    <div data-testid="portal-tickets">
      <PortalTitle title={t('portal.nav.mine')} />
      {q.isError ? <ErrorResult error={q.error} onRetry={() => void q.refetch()} /> : (
        <Card size="small" styles={{ body: { padding: '0 12px' } }}>
          <List
            loading={q.isLoading}
            dataSource={q.data?.items ?? []}
            locale={{
              emptyText: (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('portal.mine.empty')}>
                  <Link to="/portal/submit"><Button type="primary">{t('portal.nav.submit')}</Button></Link>
                </Empty>
              ),
            }}
            renderItem={(tk) => (
              <List.Item style={{ padding: '12px 0' }} data-testid="portal-ticket-item">
                <Link to={ticketPath(tk.number)} style={{ display: 'flex', alignItems: 'center', gap: 8, width: '100%', color: 'inherit' }}>
                  <div style={{ flex: 1, minWidth: 0 }}>
                    <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
                      <Typography.Text strong ellipsis style={{ flex: 1, minWidth: 0 }}>{tk.title}</Typography.Text>
                      {waitsForCustomer(tk.status) ? <Badge status="warning" /> : null}
                      <Tag color={STATUS_COLOR[tk.status]} style={{ marginInlineEnd: 0 }}>{t(`portal.status.${tk.status}`)}</Tag>
                    </div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {tk.number} · {t('portal.mine.updated')} <TimeText value={tk.updatedAt} relative />
                    </Typography.Text>
                  </div>
                  <RightOutlined style={{ color: 'rgba(0,0,0,0.25)' }} />
                </Link>
              </List.Item>
            )}
          />
        </Card>
      )}
    </div>
  );
}
