/** 登录: username + password; back to where the user was (`next`) once signed in. */
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError, api } from '../../app/api.js';
import { errorMessage } from '../../app/errors.js';
import { currentLang, setLanguage } from '../../app/i18n.js';
import { safeNext } from '../../app/session.js';
import { LanguageSwitch } from '../../components/language-switch.js';

export default function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // A language picked here is the user's explicit choice: it is saved on the user after login.
  const pickedLanguage = useRef(false);
  const next = safeNext(params.get('next'));

  useEffect(() => {
    document.title = t('login.documentTitle');
  }, [t]);

  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      let me = await api.login(v.username.trim(), v.password);
      const lang = currentLang();
      if (pickedLanguage.current && me.locale !== lang) {
        me = await api.updateMe({ locale: lang }).catch(() => me);
      } else if (me.locale !== lang) {
        await setLanguage(me.locale);
      }
      qc.clear();
      qc.setQueryData(['me'], me);
      navigate(me.role === 'customer' && next === '/' ? '/tickets' : next, { replace: true });
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? t('login.badCredentials') : errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      style={{
        minHeight: '100vh', display: 'flex', flexDirection: 'column', alignItems: 'center', justifyContent: 'center',
        padding: 16, background: 'linear-gradient(135deg, #e6f4ff 0%, #f5f5f5 60%)',
      }}
    >
      <div style={{ position: 'absolute', top: 12, right: 12 }}>
        <LanguageSwitch onChange={() => { pickedLanguage.current = true; }} />
      </div>
      <Card style={{ width: 380, maxWidth: '100%' }} styles={{ body: { padding: 32 } }}>
        <div style={{ textAlign: 'center', marginBottom: 24 }}>
          <img src="/favicon.svg" alt="" width={40} height={40} />
          <Typography.Title level={3} style={{ margin: '8px 0 4px' }}>{t('app.name')}</Typography.Title>
          <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
        </div>
        {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" /> : null}
        <Form layout="vertical" onFinish={submit} requiredMark={false} size="large">
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.usernameRequired') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus placeholder={t('login.usernamePlaceholder')} />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" placeholder={t('login.passwordPlaceholder')} />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">{t('login.submit')}</Button>
        </Form>
      </Card>
      <Typography.Text type="secondary" style={{ marginTop: 24, fontSize: 12 }}>{t('login.footer')}</Typography.Text>
    </div>
  );
}
