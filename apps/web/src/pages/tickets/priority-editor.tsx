/** 调整优先级: staff may override the computed priority, always with a reason (kept in the history). */
import { App, Button, Form, Input, Modal, Select, Tooltip } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PRIORITIES, type Priority, type Ticket } from '@closeloop/contract';
import { ApiError, api } from '../../app/api.js';
import { errorMessage, fieldMessage, fieldPath } from '../../app/errors.js';
import { useMe } from '../../app/session.js';

export function PriorityEditor({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ priority: Priority; reason: string }>();
  const save = useMutation({
    mutationFn: (v: { priority: Priority; reason: string }) => api.patchTicket(ticket.id, { priority: v.priority, priorityReason: v.reason.trim() }),
    onSuccess: (updated) => {
      qc.setQueryData(['ticket', ticket.id], updated);
      void qc.invalidateQueries({ queryKey: ['ticket', ticket.id] });
      void qc.invalidateQueries({ queryKey: ['tickets'] });
      void qc.invalidateQueries({ queryKey: ['customer-tickets'] });
      message.success(t('priorityEdit.done'));
      setOpen(false);
    },
    onError: (err) => {
      if (err instanceof ApiError && err.fields.length) {
        form.setFields(err.fields.map((f) => ({ name: fieldPath(f.path === 'priorityReason' ? 'reason' : f.path) as never, errors: [fieldMessage(t, f)] })));
      } else {
        message.error(errorMessage(t, err));
      }
    },
  });
  const closed = ticket.status === 'closed' || ticket.status === 'cancelled';
  const mayEdit = me.role === 'admin' || me.role === 'manager' || me.role === 'agent' || (me.role === 'handler' && ticket.owner?.id === me.id);
  if (closed || !mayEdit) return null;
  return (
    <>
      <Tooltip title={t('priorityEdit.title')}>
        <Button
          type="text"
          size="small"
          icon={<EditOutlined />}
          aria-label={t('priorityEdit.title')}
          onClick={() => {
            form.setFieldsValue({ priority: ticket.priority, reason: '' });
            setOpen(true);
          }}
        />
      </Tooltip>
      <Modal open={open} title={t('priorityEdit.title')} onCancel={() => setOpen(false)} onOk={() => form.submit()} confirmLoading={save.isPending} forceRender>
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item name="priority" label={t('field.priority')} extra={t('newTicket.priorityHelp')}>
            <Select options={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))} />
          </Form.Item>
          <Form.Item name="reason" label={t('field.priorityReason')} rules={[{ required: true, whitespace: true, message: t('validation.requiredNamed', { field: t('field.priorityReason') }) }]}>
            <Input.TextArea rows={3} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
