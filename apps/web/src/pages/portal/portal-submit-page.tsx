/**
 * 提交问题: a guided form (what happened, where, what was tried), the product, how to reach the
 * customer, and photos / videos checked against the server's limits as they are picked. After
 * sending, the ticket number is shown large, with the way to the ticket.
 */
import { Alert, Button, Card, Form, Input, Result, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError } from '../../app/api.js';
import { errorMessage, fieldMessage } from '../../app/errors.js';
import { uuid } from '../../app/uuid.js';
import { FilePicker } from './file-picker.js';
import { PortalTitle } from './portal-shell.js';
import type { PortalSubmit } from '@closeloop/contract';
import { portalApi, ticketPath } from './portal-api.js';
import { SESSION_KEY, usePortalSession } from './use-portal-session.js';

interface Values {
  title?: string;
  scene: string;
  symptom: string;
  triedSteps?: string;
  productModel: string;
  serial?: string;
  orderNo?: string;
  name?: string;
  phone?: string;
  email?: string;
}

interface Done { number: string; uploadError: unknown }

/** Server field paths → the form's fields, to show a refusal where it belongs. */
const FIELD_OF: Record<string, keyof Values> = {
  scene: 'scene', symptom: 'symptom', triedSteps: 'triedSteps', title: 'title', 'product.model': 'productModel', 'product.serial': 'serial',
  orderNo: 'orderNo', 'contact.name': 'name', 'contact.phone': 'phone', 'contact.email': 'email',
};

const trimmed = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);

const PHONE = /^(\+?86)?1[3-9]\d{9}$|^0\d{2,3}\d{7,8}$/;

export default function PortalSubmitPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const session = usePortalSession();
  const [form] = Form.useForm<Values>();
  const [files, setFiles] = useState<File[]>([]);
  const [done, setDone] = useState<Done | null>(null);
  // One key per filled-in form: a double tap or a retry after a lost answer makes one ticket.
  const idempotencyKey = useRef(uuid());
  const limits = useQuery({ queryKey: ['portal', 'upload-limits'], queryFn: portalApi.uploadLimits, staleTime: Infinity });
  // A signed-in customer's own record is used: no contact to fill in.
  const account = session.data?.kind === 'account';

  const submit = useMutation({
    mutationFn: async (v: Values): Promise<Done> => {
      const input: PortalSubmit = {
        scene: v.scene.trim(),
        symptom: v.symptom.trim(),
        ...(trimmed(v.triedSteps) ? { triedSteps: trimmed(v.triedSteps) } : {}),
        ...(trimmed(v.title) ? { title: trimmed(v.title) } : {}),
        product: { model: v.productModel.trim(), ...(trimmed(v.serial) ? { serial: trimmed(v.serial) } : {}) },
        ...(trimmed(v.orderNo) ? { orderNo: trimmed(v.orderNo) } : {}),
        ...(account ? {} : {
          contact: {
            name: (v.name ?? '').trim(),
            ...(trimmed(v.phone) ? { phone: trimmed(v.phone)!.replace(/\s/g, '') } : {}),
            ...(trimmed(v.email) ? { email: trimmed(v.email) } : {}),
          },
        }),
      };
      const { number } = await portalApi.submit(input, idempotencyKey.current);
      // The ticket exists now; a failed upload is said on the done page, not as a failed submit.
      let uploadError: unknown = null;
      if (files.length) await portalApi.upload(number, files).catch((err: unknown) => { uploadError = err; });
      return { number, uploadError };
    },
    onSuccess: async (r) => {
      setDone(r);
      window.scrollTo(0, 0);
      await qc.invalidateQueries({ queryKey: SESSION_KEY });
      void qc.invalidateQueries({ queryKey: ['portal', 'tickets'] });
    },
    onError: (err) => {
      if (err instanceof ApiError && err.code === 'VALIDATION_FAILED') {
        form.setFields(err.fields.filter((f) => FIELD_OF[f.path]).map((f) => ({ name: FIELD_OF[f.path]!, errors: [fieldMessage(t, f)] })));
      }
    },
  });

  if (done) {
    return (
      <Card data-testid="portal-submitted">
        <Result
          status="success"
          title={t('portal.submit.doneTitle')}
          subTitle={t('portal.submit.doneText')}
          extra={[
            <Button type="primary" size="large" key="go" onClick={() => navigate(ticketPath(done.number))} data-testid="portal-go-ticket">
              {t('portal.submit.viewTicket')}
            </Button>,
          ]}
        >
          {done.uploadError ? (
            <Alert type="warning" showIcon style={{ marginBottom: 16 }} data-testid="submit-upload-failed"
              title={t('portal.submit.uploadFailed')} description={errorMessage(t, done.uploadError)} />
          ) : null}
          <div style={{ textAlign: 'center' }}>
            <Typography.Text type="secondary">{t('portal.submit.numberLabel')}</Typography.Text>
            <Typography.Title level={2} copyable style={{ margin: '4px 0 0', letterSpacing: 1 }} data-testid="portal-ticket-number">{done.number}</Typography.Title>
            <Typography.Paragraph type="secondary" style={{ marginTop: 8, fontSize: 13 }}>{t('portal.submit.keepNumber')}</Typography.Paragraph>
          </div>
        </Result>
      </Card>
    );
  }

  const section = (title: string, children: React.ReactNode) => (
    <Card size="small" title={title} style={{ marginBottom: 12 }} styles={{ header: { minHeight: 44 } }}>{children}</Card>
  );

  return (
    <div data-testid="portal-submit">
      <PortalTitle title={t('portal.submit.title')} sub={t('portal.submit.sub')} />
      <Form form={form} layout="vertical" requiredMark onFinish={(v) => submit.mutate(v)} scrollToFirstError size="large">
        {section(t('portal.submit.problem'), (
          <>
            <Form.Item name="scene" label={t('portal.submit.scene')} extra={t('portal.submit.sceneHelp')} rules={[{ required: true, whitespace: true, message: t('portal.submit.sceneRequired') }]}>
              <Input.TextArea rows={2} maxLength={2000} placeholder={t('portal.submit.scenePlaceholder')} data-testid="submit-scene" />
            </Form.Item>
            <Form.Item name="symptom" label={t('portal.submit.symptom')} rules={[{ required: true, whitespace: true, message: t('portal.submit.symptomRequired') }]}>
              <Input.TextArea rows={3} maxLength={2000} placeholder={t('portal.submit.symptomPlaceholder')} data-testid="submit-symptom" />
            </Form.Item>
            <Form.Item name="triedSteps" label={t('portal.submit.tried')}>
              <Input.TextArea rows={2} maxLength={2000} placeholder={t('portal.submit.triedPlaceholder')} data-testid="submit-tried" />
            </Form.Item>
            <Form.Item name="title" label={t('portal.submit.fTitle')} extra={t('portal.submit.titleHelp')} style={{ marginBottom: 0 }}>
              <Input maxLength={200} placeholder={t('portal.submit.titlePlaceholder')} data-testid="submit-title" />
            </Form.Item>
          </>
        ))}
        {section(t('portal.submit.product'), (
          <>
            <Form.Item name="productModel" label={t('portal.submit.model')} rules={[{ required: true, whitespace: true, message: t('portal.submit.modelRequired') }]}>
              <Input maxLength={100} placeholder={t('portal.submit.modelPlaceholder')} data-testid="submit-model" />
            </Form.Item>
            <Form.Item name="serial" label={t('portal.submit.serial')}>
              <Input maxLength={64} placeholder={t('portal.submit.serialPlaceholder')} data-testid="submit-serial" />
            </Form.Item>
            <Form.Item name="orderNo" label={t('portal.submit.orderNo')} style={{ marginBottom: 0 }}>
              <Input maxLength={64} placeholder={t('portal.submit.orderNoPlaceholder')} data-testid="submit-order" />
            </Form.Item>
          </>
        ))}
        {section(t('portal.submit.media'), (
          <FilePicker files={files} onChange={setFiles} limits={limits.data} />
        ))}
        {account ? null : section(t('portal.submit.contact'), (
          <>
            <Form.Item name="name" label={t('portal.submit.name')} rules={[{ required: true, whitespace: true, message: t('portal.submit.nameRequired') }]}>
              <Input maxLength={64} autoComplete="name" placeholder={t('portal.submit.namePlaceholder')} data-testid="submit-name" />
            </Form.Item>
            <Form.Item
              name="phone" label={t('portal.submit.phone')} dependencies={['email']} required
              rules={[
                ({ getFieldValue }) => ({
                  validator: (_, v: string | undefined) => {
                    if (!v?.trim() && !(getFieldValue('email') as string | undefined)?.trim()) return Promise.reject(new Error(t('portal.submit.contactRequired')));
                    if (v?.trim() && !PHONE.test(v.trim().replace(/[\s-]/g, ''))) return Promise.reject(new Error(t('validation.phone')));
                    return Promise.resolve();
                  },
                }),
              ]}
            >
              <Input inputMode="tel" autoComplete="tel" maxLength={20} placeholder={t('portal.submit.phonePlaceholder')} data-testid="submit-phone" />
            </Form.Item>
            <Form.Item name="email" label={t('portal.submit.email')} rules={[{ type: 'email', message: t('validation.email') }]} extra={t('portal.submit.contactHelp')} style={{ marginBottom: 0 }}>
              <Input inputMode="email" autoComplete="email" maxLength={254} placeholder={t('portal.submit.emailPlaceholder')} data-testid="submit-email" />
            </Form.Item>
          </>
        ))}
        {submit.isError ? <Alert type="error" showIcon title={errorMessage(t, submit.error)} style={{ marginBottom: 12 }} data-testid="submit-error" /> : null}
        <Button type="primary" size="large" block htmlType="submit" loading={submit.isPending} disabled={limits.isPending} data-testid="submit-send">
          {t('portal.submit.send')}
        </Button>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8, textAlign: 'center' }}>{t('portal.submit.privacy')}</Typography.Paragraph>
      </Form>
    </div>
  );
}
