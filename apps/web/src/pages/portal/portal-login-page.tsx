/** 登录 (customer account) inside the portal frame: the ordinary login, then back to the portal. */
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError, api } from '../../app/api.js';
import { errorMessage } from '../../app/errors.js';
import { PortalTitle } from './portal-shell.js';

/** Only portal paths: a login here never sends the customer elsewhere. */
function portalNext(next: string | null): string {
  return next && next.startsWith('/portal') && !next.startsWith('/portal/login') ? next : '/portal/tickets';
}

export default function PortalLoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const me = await api.login(v.username.trim(), v.password);
      qc.removeQueries({ queryKey: ['portal'] });
      qc.setQueryData(['me'], me);
      navigate(me.role === 'customer' ? portalNext(params.get('next')) : '/', { replace: true });
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? t('login.badCredentials') : errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="portal-login">
      <PortalTitle title={t('portal.login.title')} sub={t('portal.login.sub')} />
      <Card size="small" styles={{ body: { padding: 16 } }}>
        {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="portal-login-error" /> : null}
        <Form layout="vertical" onFinish={submit} requiredMark={false} size="large">
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.usernameRequired') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" placeholder={t('login.usernamePlaceholder')} />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" placeholder={t('login.passwordPlaceholder')} />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="portal-login-submit">{t('login.submit')}</Button>
        </Form>
      </Card>
      <Typography.Paragraph type="secondary" style={{ textAlign: 'center', marginTop: 16 }}>
        {t('portal.login.noAccount')} <Link to="/portal/track">{t('portal.nav.track')}</Link>
      </Typography.Paragraph>
    </div>
  );
}
