/**
 * The signed-in shell: left menu (drawer on phones), top bar with search, notifications,
 * language and user menu, breadcrumbs, and the page. It loads the user; no user → login, with
 * the way back remembered in `next`.
 */
import { App, Avatar, Breadcrumb, Button, Drawer, Dropdown, Grid, Input, Layout, Menu, Spin, Tooltip, type MenuProps } from 'antd';
import {
  AuditOutlined, BarChartOutlined, BellOutlined, BookOutlined, DashboardOutlined, FileAddOutlined, FileTextOutlined,
  LogoutOutlined, MenuFoldOutlined, MenuUnfoldOutlined, SearchOutlined, SettingOutlined, UserOutlined,
} from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Outlet, useLocation, useMatches, useNavigate, useNavigation } from 'react-router';
import type { Me } from '@closeloop/contract';
import { ApiError, api, setUnauthenticatedHandler } from '../api.js';
import { currentLang, setLanguage, type Lang } from '../i18n.js';
import { MeContext, isStaff, loginPath } from '../session.js';
import { ErrorResult } from '../../components/error-result.js';
import { LanguageSwitch } from '../../components/language-switch.js';
import { NotificationBell } from '../../components/notification-bell.js';
import type { RouteHandle } from '../route-handle.js';

const { Header, Sider, Content } = Layout;

function selectedKey(pathname: string): string {
  if (pathname === '/') return 'workbench';
  if (pathname.startsWith('/tickets/new')) return 'new';
  if (pathname.startsWith('/tickets')) return 'list';
  if (pathname.startsWith('/settings')) return 'settings';
  if (pathname.startsWith('/knowledge')) return 'knowledge';
  if (pathname.startsWith('/approvals')) return 'approvals';
  return '';
}

function menuItems(me: Me, t: (k: string) => string): MenuProps['items'] {
  const soon = (label: string) => <Tooltip title={t('menu.comingSoon')} placement="right">{label}</Tooltip>;
  if (!isStaff(me)) {
    return [
      { key: 'list', icon: <FileTextOutlined />, label: <Link to="/tickets">{t('menu.myTickets')}</Link> },
      { key: 'new', icon: <FileAddOutlined />, label: <Link to="/tickets/new">{t('menu.submitProblem')}</Link> },
    ];
  }
  return [
    { key: 'workbench', icon: <DashboardOutlined />, label: <Link to="/">{t('menu.workbench')}</Link> },
    {
      key: 'tickets', icon: <FileTextOutlined />, label: t('menu.tickets'),
      children: [
        { key: 'list', label: <Link to="/tickets">{t('menu.ticketList')}</Link> },
        { key: 'new', label: <Link to="/tickets/new">{t('menu.newTicket')}</Link> },
      ],
    },
    { key: 'approvals', icon: <AuditOutlined />, label: <Link to="/approvals">{t('menu.approvals')}</Link> },
    { key: 'knowledge', icon: <BookOutlined />, label: <Link to="/knowledge">{t('menu.knowledge')}</Link> },
    { key: 'reports', icon: <BarChartOutlined />, label: soon(t('menu.reports')), disabled: true },
    ...(me.role === 'admin' ? [{ key: 'settings', icon: <SettingOutlined />, label: <Link to="/settings">{t('menu.settings')}</Link> }] : []),
  ];
}

function Brand({ collapsed }: { collapsed: boolean }) {
  const { t } = useTranslation();
  return (
    <Link to="/" style={{ display: 'flex', alignItems: 'center', gap: 8, height: 56, padding: '0 20px', color: '#fff', overflow: 'hidden', whiteSpace: 'nowrap' }}>
      <img src="/favicon.svg" alt="" width={24} height={24} style={{ filter: 'brightness(0) invert(1)' }} />
      {collapsed ? null : <span style={{ fontWeight: 600, fontSize: 15 }}>{t('app.shortName')}</span>}
    </Link>
  );
}

export function AppLayout() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const navigation = useNavigation();
  const matches = useMatches();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const isMobile = screens.md === false;
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const me = useQuery({ queryKey: ['me'], queryFn: api.me, staleTime: 5 * 60_000, retry: false });
  const langApplied = useRef(false);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      const to = loginPath();
      qc.clear();
      navigate(to, { replace: true });
    });
    return () => setUnauthenticatedHandler(null);
  }, [navigate, qc]);

  // The language remembered on the user wins once per load (it follows them across devices).
  useEffect(() => {
    if (!me.data || langApplied.current) return;
    langApplied.current = true;
    if (me.data.locale !== currentLang()) void setLanguage(me.data.locale);
  }, [me.data]);

  if (me.isPending) {
    return <div style={{ display: 'grid', placeItems: 'center', height: '100vh' }}><Spin size="large" /></div>;
  }
  if (me.isError) {
    if (me.error instanceof ApiError && me.error.status === 401) return <Navigate to={loginPath()} replace />;
    return <ErrorResult error={me.error} onRetry={() => void me.refetch()} />;
  }
  const user = me.data;

  const onLanguage = async (lang: Lang) => {
    try {
      const updated = await api.updateMe({ locale: lang });
      qc.setQueryData(['me'], updated);
    } catch {
      message.warning(t('header.languageNotSaved'));
    }
  };
  const logout = async () => {
    try {
      await api.logout();
    } finally {
      qc.clear();
      navigate('/login', { replace: true });
    }
  };

  const handle = matches.at(-1)?.handle as RouteHandle | undefined;
  const crumbs: { title: ReactNode }[] = (handle?.crumbs ?? []).map((k, i) => ({
    title: i === 0 && k === 'menu.tickets' ? <Link to="/tickets">{t(k)}</Link> : t(k),
  }));

  const menu = (
    <Menu
      theme="dark"
      mode="inline"
      selectedKeys={[selectedKey(location.pathname)]}
      defaultOpenKeys={['tickets']}
      items={menuItems(user, t)}
      onClick={() => setDrawerOpen(false)}
    />
  );

  const search = (value: string) => {
    const q = value.trim();
    navigate(q ? `/tickets?q=${encodeURIComponent(q)}` : '/tickets');
  };

  return (
    <MeContext.Provider value={user}>
      <Layout style={{ minHeight: '100vh' }}>
        {isMobile ? (
          <Drawer
            placement="left"
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            size={240}
            closable={false}
            styles={{ body: { padding: 0, background: '#001529' } }}
          >
            <Brand collapsed={false} />
            {menu}
          </Drawer>
        ) : (
          <Sider width={208} collapsible collapsed={collapsed} trigger={null} style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}>
            <Brand collapsed={collapsed} />
            {menu}
          </Sider>
        )}
        <Layout style={{ minWidth: 0 }}>
          <Header
            style={{
              background: '#fff', padding: isMobile ? '0 8px' : '0 16px', height: 56, lineHeight: 'normal',
              display: 'flex', alignItems: 'center', gap: isMobile ? 2 : 8, borderBottom: '1px solid #f0f0f0',
              position: 'sticky', top: 0, zIndex: 10,
            }}
          >
            <Button
              type="text"
              aria-label={t('header.toggleMenu')}
              data-testid="menu-toggle"
              icon={isMobile || collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              onClick={() => (isMobile ? setDrawerOpen(true) : setCollapsed((c) => !c))}
            />
            {isMobile ? <span style={{ fontWeight: 600, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>{t('app.shortName')}</span> : null}
            {navigation.state === 'loading' ? <Spin size="small" /> : null}
            <div style={{ flex: 1 }} />
            {isMobile ? (
              <Button type="text" icon={<SearchOutlined />} aria-label={t('header.search')} onClick={() => navigate('/tickets')} />
            ) : (
              <Input.Search
                key={location.key}
                placeholder={t('header.searchPlaceholder')}
                allowClear
                onSearch={search}
                style={{ width: screens.lg ? 280 : 200 }}
                aria-label={t('header.search')}
              />
            )}
            <NotificationBell />
            <LanguageSwitch compact={isMobile} onChange={onLanguage} />
            <Dropdown
              trigger={['click']}
              menu={{
                items: [
                  { key: 'who', label: `${user.displayName}（${t(`role.${user.role}`)}）`, disabled: true },
                  { type: 'divider' },
                  ...(user.role === 'customer' ? [] : [{
                    key: 'notification-settings', icon: <BellOutlined />, label: t('notificationPrefs.title'),
                    onClick: () => navigate('/account/notifications'),
                  }]),
                  { key: 'logout', icon: <LogoutOutlined />, label: t('header.logout'), onClick: () => void logout() },
                ],
              }}
            >
              <Button type="text" data-testid="user-menu" style={{ paddingInline: 4 }}>
                <Avatar size="small" icon={<UserOutlined />} style={{ background: '#1677ff' }} />
                {isMobile ? null : <span>{user.displayName}</span>}
              </Button>
            </Dropdown>
          </Header>
          <Content style={{ padding: isMobile ? 8 : 16, minWidth: 0 }}>
            {crumbs.length && !isMobile ? <Breadcrumb items={crumbs} style={{ marginBottom: 12 }} /> : null}
            <Outlet />
          </Content>
        </Layout>
      </Layout>
    </MeContext.Provider>
  );
}
