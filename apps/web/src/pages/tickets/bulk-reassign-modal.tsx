/**
 * 批量转派: the chosen tickets go to a department and/or person, one reassign command per
 * ticket (each checked by the server on its own), with a result per ticket when some fail.
 */
import { Alert, App, Form, Input, Modal, Progress } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TicketSummary } from '@closeloop/contract';
import { api } from '../../app/api.js';
import { errorMessage } from '../../app/errors.js';
import { ReassignTargetFields } from './reassign-target-fields.js';

interface Props {
  open: boolean;
  tickets: TicketSummary[];
  onClose: (done: boolean) => void;
}

export function BulkReassignModal({ open, tickets, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ departmentId?: string; ownerId?: string; reason?: string }>();
  const [progress, setProgress] = useState<number | null>(null);
  const [failures, setFailures] = useState<string[]>([]);

  const run = async () => {
    const v = await form.validateFields();
    setFailures([]);
    setProgress(0);
    const failed: string[] = [];
    let done = 0;
    // One at a time: keeps the server's per-ticket checks and audit order simple and visible.
    for (const ticket of tickets) {
      try {
        await api.transition(ticket.id, {
          command: 'reassign',
          ...(v.departmentId ? { departmentId: v.departmentId } : {}),
          ...(v.ownerId ? { ownerId: v.ownerId } : {}),
          ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}),
        });
      } catch (err) {
        failed.push(`${ticket.number}${t('common.colon')}${errorMessage(t, err)}`);
      }
      done++;
      setProgress(Math.round((done / tickets.length) * 100));
    }
    await qc.invalidateQueries({ queryKey: ['tickets'] });
    setFailures(failed);
    const ok = tickets.length - failed.length;
    if (!failed.length) {
      message.success(t('bulk.success', { count: ok }));
      setProgress(null);
      form.resetFields();
      onClose(true);
    } else {
      message.warning(t('bulk.partial', { ok, failed: failed.length }));
    }
  };

  return (
    <Modal
      open={open}
      title={t('bulk.title', { count: tickets.length })}
      okText={t('bulk.submit')}
      onOk={run}
      confirmLoading={progress !== null && progress < 100}
      onCancel={() => { setProgress(null); setFailures([]); onClose(false); }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <ReassignTargetFields />
        <Form.Item name="reason" label={t('bulk.reason')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
      {progress !== null ? <Progress percent={progress} size="small" /> : null}
      {failures.length ? (
        <Alert type="warning" showIcon title={t('bulk.failedList')} description={<ul style={{ margin: 0, paddingLeft: 18 }}>{failures.map((f) => <li key={f}>{f}</li>)}</ul>} />
      ) : null}
    </Modal>
  );
}
