/**
 * The customer self-service portal's frame (自助服务): a brand header with the language switch
 * and the customer's way in or out, a one-column body sized for a phone (and centred on a wide
 * screen), and a bottom row of the three things a customer comes for. No staff layout, no login
 * guard: pages that need an identity ask for one themselves.
 */
import { Button, Grid, Layout, Typography } from 'antd';
import { FileAddOutlined, FileSearchOutlined, ProfileOutlined } from '@ant-design/icons';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { LANG_STORAGE_KEY, currentLang, setLanguage } from '../../app/i18n.js';
import { LanguageSwitch } from '../../components/language-switch.js';
import { usePortalSession } from './use-portal-session.js';

const NAV = [
  { to: '/portal/submit', key: 'submit', icon: <FileAddOutlined /> },
  { to: '/portal/track', key: 'track', icon: <FileSearchOutlined /> },
  { to: '/portal/tickets', key: 'mine', icon: <ProfileOutlined /> },
] as const;

/** Without a remembered choice the portal speaks the browser's language. */
function useBrowserLanguage() {
  useEffect(() => {
    let stored: string | null = null;
    try {
      stored = localStorage.getItem(LANG_STORAGE_KEY);
    } catch {
      stored = null;
    }
    if (stored) return;
    const wanted = navigator.language?.toLowerCase().startsWith('zh') ? 'zh-CN' : navigator.language ? 'en-US' : 'zh-CN';
    if (wanted !== currentLang()) void setLanguage(wanted);
  }, []);
}

export default function PortalShell() {
  const { t } = useTranslation();
  const location = useLocation();
  const session = usePortalSession();
  // A phone gets the tab bar at the bottom; a wide screen the same three links in the header.
  const wide = Grid.useBreakpoint().md === true;
  useBrowserLanguage();
  useEffect(() => {
    document.title = t('portal.documentTitle');
  }, [t]);

  return (
    <Layout style={{ minHeight: '100vh', background: '#f5f7fa' }} data-testid="portal-shell">
      <header
        style={{
          position: 'sticky', top: 0, zIndex: 10, background: '#fff', borderBottom: '1px solid #f0f0f0',
          boxShadow: '0 1px 4px rgba(0,21,41,0.06)',
        }}
      >
        <div style={{ maxWidth: 720, margin: '0 auto', height: 52, padding: '0 12px', display: 'flex', alignItems: 'center', gap: 8 }}>
          <Link to="/portal" style={{ display: 'flex', alignItems: 'center', gap: 8, minWidth: 0, color: 'inherit' }}>
            <img src="/favicon.svg" alt="" width={26} height={26} />
            <span style={{ fontWeight: 600, fontSize: 16, whiteSpace: 'nowrap' }}>{t('portal.brand')}</span>
          </Link>
          <span style={{ flex: 1 }} />
          {wide ? NAV.map((n) => {
            const active = location.pathname.startsWith(n.to);
            return (
              <Link
                key={n.key} to={n.to} data-testid={`portal-nav-${n.key}`} aria-current={active ? 'page' : undefined}
                style={{ padding: '0 12px', lineHeight: '50px', color: active ? '#1677ff' : 'rgba(0,0,0,0.75)', borderBottom: `2px solid ${active ? '#1677ff' : 'transparent'}` }}
              >
                {t(`portal.nav.${n.key}`)}
              </Link>
            );
          }) : null}
          <LanguageSwitch compact />
          {session.data ? (
            <Button type="text" onClick={() => void session.signOut()} data-testid="portal-signout">{t('portal.signOut')}</Button>
          ) : (
            <Link to={`/portal/login?next=${encodeURIComponent(location.pathname)}`}>
              <Button type="link" style={{ paddingInline: 4 }} data-testid="portal-login-link">{t('portal.signIn')}</Button>
            </Link>
          )}
        </div>
      </header>
      <main style={{ flex: 1, width: '100%', maxWidth: 720, margin: '0 auto', padding: wide ? '20px 12px 40px' : '12px 12px 88px' }}>
        <Outlet />
      </main>
      {wide ? null : <nav
        aria-label={t('portal.navLabel')}
        style={{
          position: 'fixed', bottom: 0, left: 0, right: 0, zIndex: 10, background: '#fff', borderTop: '1px solid #f0f0f0',
          paddingBottom: 'env(safe-area-inset-bottom)',
        }}
      >
        <div style={{ maxWidth: 720, margin: '0 auto', display: 'flex' }}>
          {NAV.map((n) => {
            const active = location.pathname.startsWith(n.to);
            return (
              <Link
                key={n.key}
                to={n.to}
                data-testid={`portal-nav-${n.key}`}
                aria-current={active ? 'page' : undefined}
                style={{
                  flex: 1, display: 'flex', flexDirection: 'column', alignItems: 'center', gap: 2, padding: '8px 0 6px',
                  color: active ? '#1677ff' : 'rgba(0,0,0,0.65)', fontSize: 12,
                }}
              >
                <span style={{ fontSize: 20, lineHeight: 1 }}>{n.icon}</span>
                <span>{t(`portal.nav.${n.key}`)}</span>
              </Link>
            );
          })}
        </div>
      </nav>}
    </Layout>
  );
}

/** A page heading inside the portal: title and an optional line under it. */
export function PortalTitle({ title, sub }: { title: string; sub?: string }) {
  return (
    <div style={{ margin: '4px 0 12px' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>{title}</Typography.Title>
      {sub ? <Typography.Text type="secondary">{sub}</Typography.Text> : null}
    </div>
  );
}
