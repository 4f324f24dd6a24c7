/** 自助服务首页: the three ways in, as large cards a thumb can hit. */
import { Card, Typography } from 'antd';
import { FileAddOutlined, FileSearchOutlined, ProfileOutlined, RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePortalSession } from './use-portal-session.js';

const ENTRIES = [
  { to: '/portal/submit', key: 'submit', icon: <FileAddOutlined />, color: '#1677ff' },
  { to: '/portal/track', key: 'track', icon: <FileSearchOutlined />, color: '#13a8a8' },
  { to: '/portal/tickets', key: 'mine', icon: <ProfileOutlined />, color: '#fa8c16' },
] as const;

export default function PortalHomePage() {
  const { t } = useTranslation();
  const session = usePortalSession();
  const name = session.data?.customerName ?? null;
  return (
    <div data-testid="portal-home">
      <div
        style={{
          borderRadius: 8, padding: '20px 16px', margin: '4px 0 16px', color: '#fff',
          background: 'linear-gradient(135deg, #1677ff 0%, #4096ff 100%)',
        }}
      >
        <Typography.Title level={4} style={{ color: '#fff', margin: 0 }}>
          {name ? t('portal.home.helloName', { name }) : t('portal.home.hello')}
        </Typography.Title>
        <Typography.Text style={{ color: 'rgba(255,255,255,0.85)' }}>{t('portal.home.intro')}</Typography.Text>
      </div>
      <div style={{ display: 'grid', gap: 12, gridTemplateColumns: 'repeat(auto-fit, minmax(220px, 1fr))' }}>
        {ENTRIES.map((e) => (
          <Link key={e.key} to={e.to} data-testid={`portal-home-${e.key}`}>
            <Card hoverable size="small" styles={{ body: { display: 'flex', alignItems: 'center', gap: 12, padding: 16 } }}>
              <span style={{ fontSize: 28, color: e.color, lineHeight: 1 }}>{e.icon}</span>
              <span style={{ flex: 1, minWidth: 0 }}>
                <Typography.Text strong style={{ display: 'block', fontSize: 16 }}>{t(`portal.nav.${e.key}`)}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>{t(`portal.home.${e.key}Text`)}</Typography.Text>
              </span>
              <RightOutlined style={{ color: 'rgba(0,0,0,0.25)' }} />
            </Card>
          </Link>
        ))}
      </div>
    </div>
  );
}
