/**
 * 查询进度: a ticket number, 手机 or 邮箱 (the code goes to the one stored on the ticket), then
 * the six-digit code with a resend countdown. Wrong, expired and too-many-tries each get their
 * own words. A customer with an account signs in instead.
 */
import { Alert, Button, Card, Form, Input, Segmented, Space, Typography } from 'antd';
import { MailOutlined, MobileOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { errorMessage } from '../../app/errors.js';
import { PortalTitle } from './portal-shell.js';
import { codeProblem, portalApi, ticketPath } from './portal-api.js';
import { SESSION_KEY } from './use-portal-session.js';

/** Resend is offered after this long; the server limits requests per number as well. */
const RESEND_SECONDS = 60;
/** The server kills a code after this many wrong tries. */
const MAX_TRIES = 5;

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const id = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(id);
  }, [active]);
  return now;
}

interface Sent { via: 'phone' | 'email'; at: number; expiresAt: number }

function sentNow(via: Sent['via'], expiresInSeconds: number): Sent {
  const at = Date.now();
  return { via, at, expiresAt: at + expiresInSeconds * 1000 };
}

export default function PortalTrackPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [number, setNumber] = useState('');
  const [via, setVia] = useState<'phone' | 'email'>('phone');
  const [sent, setSent] = useState<Sent | null>(null);
  const [code, setCode] = useState('');
  const [wrongTries, setWrongTries] = useState(0);
  const [touched, setTouched] = useState(false);
  const now = useNow(sent !== null);
  const wait = sent ? Math.min(RESEND_SECONDS, Math.max(0, Math.ceil((sent.at + RESEND_SECONDS * 1000 - now) / 1000))) : 0;
  const expired = sent ? now >= sent.expiresAt : false;

  const send = useMutation({
    mutationFn: () => portalApi.requestCode({ ticketNumber: number.trim(), via }),
    onSuccess: (r) => {
      setSent(sentNow(via, r.expiresInSeconds));
      setCode('');
      setWrongTries(0);
      verify.reset();
    },
  });
  const verify = useMutation({
    mutationFn: (c: string) => portalApi.verifyCode({ ticketNumber: number.trim(), code: c }),
    onSuccess: async (me) => {
      await qc.invalidateQueries({ queryKey: SESSION_KEY });
      navigate(ticketPath(me.ticketNumber ?? number.trim()));
    },
    onError: () => {
      setWrongTries((n) => n + 1);
      setCode('');
    },
  });

  const numberMissing = !number.trim();
  const requestCode = () => {
    setTouched(true);
    if (!numberMissing) send.mutate();
  };
  const submitCode = (c: string) => {
    if (c.length === 6 && !expired && wrongTries < MAX_TRIES) verify.mutate(c);
  };
  const problem = verify.isError ? codeProblem(verify.error, { expired, wrongTries, maxTries: MAX_TRIES }) : expired ? 'expired' : null;
  const dead = problem === 'expired' || problem === 'tooMany';
  const problemText = problem === 'other'
    ? errorMessage(t, verify.error)
    : problem ? t(`portal.track.problem.${problem}`, { count: MAX_TRIES - wrongTries }) : null;
  const changeNumber = (v: string) => {
    setNumber(v);
    setSent(null);
    verify.reset();
  };

  return (
    <div data-testid="portal-track">
      <PortalTitle title={t('portal.track.title')} sub={t('portal.track.sub')} />
      <Card size="small">
        <Form layout="vertical" requiredMark={false} onFinish={requestCode} size="large">
          <Form.Item
            label={t('portal.track.number')}
            validateStatus={touched && numberMissing ? 'error' : undefined}
            help={touched && numberMissing ? t('portal.track.numberRequired') : undefined}
          >
            <Input
              value={number} onChange={(e) => changeNumber(e.target.value)} placeholder={t('portal.track.numberPlaceholder')}
              autoComplete="off" autoCapitalize="characters" data-testid="track-number" disabled={verify.isPending}
            />
          </Form.Item>
          <Form.Item label={t('portal.track.via')}>
            <Segmented
              block value={via} onChange={(v) => { setVia(v as 'phone' | 'email'); setSent(null); }} data-testid="track-via"
              options={[
                { value: 'phone', label: t('portal.track.phone'), icon: <MobileOutlined /> },
                { value: 'email', label: t('portal.track.email'), icon: <MailOutlined /> },
              ]}
            />
          </Form.Item>
          {send.isError ? (
            <Alert
              type="error" showIcon style={{ marginBottom: 12 }} data-testid="track-send-error"
              title={codeProblem(send.error, { expired: false, wrongTries: 0, maxTries: MAX_TRIES }) === 'rateLimited' ? t('portal.track.problem.rateLimited') : errorMessage(t, send.error)}
            />
          ) : null}
          {!sent ? (
            <Button type="primary" block htmlType="submit" loading={send.isPending} data-testid="track-send">{t('portal.track.send')}</Button>
          ) : null}
        </Form>
        {sent ? (
          <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="track-code-step">
            <Alert
              type="info" showIcon
              title={t(sent.via === 'phone' ? 'portal.track.sentPhone' : 'portal.track.sentEmail')}
              description={t('portal.track.validFor', { minutes: Math.max(1, Math.round((sent.expiresAt - sent.at) / 60_000)) })}
            />
            <div>
              <Typography.Text>{t('portal.track.code')}</Typography.Text>
              <div style={{ marginTop: 8 }}>
                <Input.OTP
                  length={6} size="large" value={code} data-testid="track-code" inputMode="numeric"
                  formatter={(s) => s.replace(/\D/g, '')}
                  onChange={(v) => { setCode(v); submitCode(v); }}
                  disabled={verify.isPending || dead}
                  status={problem ? 'error' : undefined}
                />
              </div>
            </div>
            {problemText ? <Alert type="error" showIcon title={problemText} data-testid="track-code-error" /> : null}
            <div style={{ display: 'flex', gap: 12 }}>
              <Button style={{ flex: 1 }} size="large" disabled={wait > 0} loading={send.isPending} onClick={() => send.mutate()} data-testid="track-resend">
                {wait > 0 ? t('portal.track.resendIn', { seconds: wait }) : t('portal.track.resend')}
              </Button>
              <Button
                type="primary" size="large" style={{ flex: 1 }} loading={verify.isPending} disabled={code.length !== 6 || dead}
                onClick={() => submitCode(code)} data-testid="track-verify"
              >
                {t('portal.track.verify')}
              </Button>
            </div>
          </Space>
        ) : null}
      </Card>
      <Card size="small" style={{ marginTop: 12 }}>
        <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 8, flexWrap: 'wrap' }}>
          <Typography.Text type="secondary">{t('portal.track.haveAccount')}</Typography.Text>
          <Link to="/portal/login?next=/portal/tickets"><Button data-testid="track-login">{t('portal.signIn')}</Button></Link>
        </div>
      </Card>
    </div>
  );
}
