/** 回访设置 of a category (settings → categories): warranty notice, link validity, auto-close, effectiveness check, warranty window. */
import { useState } from 'react';
import { App, Button, Form, Input, InputNumber, Modal, Skeleton } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { FollowupSettingsUpdate } from '@closeloop/contract';
import { errorMessage } from '../../app/errors.js';
import { followupApi } from './followup-api.js';

export function CategoryFollowupButton({ categoryId }: { categoryId: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button type="link" size="small" onClick={() => setOpen(true)}>{t('followup.settings.button')}</Button>
      {open ? <SettingsModal categoryId={categoryId} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function SettingsModal({ categoryId, onClose }: { categoryId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<FollowupSettingsUpdate>();
  const q = useQuery({ queryKey: ['follow-up-settings', categoryId], queryFn: () => followupApi.settings(categoryId) });
  const save = useMutation({
    mutationFn: (v: FollowupSettingsUpdate) => followupApi.updateSettings(categoryId, {
      ...v,
      warrantyNotice: v.warrantyNotice?.trim() || null,
      warrantyNoticeEn: v.warrantyNoticeEn?.trim() || null,
      effectivenessDays: v.effectivenessDays ?? null,
    }),
    onSuccess: () => {
      message.success(t('common.saved'));
      void qc.invalidateQueries({ queryKey: ['follow-up-settings', categoryId] });
      onClose();
    },
    onError: (err) => message.error(errorMessage(t, err)),
  });
  const days = t('followup.settings.days');
  return (
    <Modal open title={t('followup.settings.title')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending} destroyOnHidden>
      {q.isPending ? <Skeleton active /> : (
        <Form form={form} layout="vertical" initialValues={q.data} onFinish={(v) => save.mutate(v)}>
          <Form.Item name="warrantyNotice" label={t('followup.settings.warrantyNotice')} extra={t('followup.settings.warrantyHint')}>
            <Input.TextArea rows={2} maxLength={500} placeholder="3个月内如有问题免费上门" />
          </Form.Item>
          <Form.Item name="warrantyNoticeEn" label={t('followup.settings.warrantyNoticeEn')}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
          <Form.Item name="linkValidDays" label={t('followup.settings.linkValidDays')} rules={[{ required: true }]}>
            <InputNumber min={1} max={60} suffix={days} />
          </Form.Item>
          <Form.Item name="autoCloseDays" label={t('followup.settings.autoCloseDays')} rules={[{ required: true }]}>
            <InputNumber min={1} max={90} suffix={days} />
          </Form.Item>
          <Form.Item name="effectivenessDays" label={t('followup.settings.effectivenessDays')} extra={t('followup.settings.effectivenessHint')}>
            <InputNumber min={1} max={90} suffix={days} />
          </Form.Item>
          <Form.Item name="warrantyDays" label={t('followup.settings.warrantyDays')} extra={t('followup.settings.warrantyDaysHint')} rules={[{ required: true }]}>
            <InputNumber min={1} max={3650} suffix={days} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
