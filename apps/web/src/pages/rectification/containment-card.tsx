/** 临时措施 (P1 quality problems): immediate actions per location with owner, quantity and result, before the permanent plan. */
import { Button, Card, Form, Input, InputNumber, Modal, Select, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CONTAINMENT_LOCATIONS, type Rectification, type Ticket } from '@closeloop/contract';
import { hasRole, useMe } from '../../app/session.js';
import { TimeText } from '../../components/time-text.js';
import { PersonSelect } from './pickers.js';
import { rectApi, useRectCommand } from './rect-api.js';

const OPEN = ['assigned', 'analyzing', 'plan_review', 'rectifying', 'accepting'];

export function ContainmentCard({ ticket, rect }: { ticket: Ticket; rect: Rectification }) {
  const { t } = useTranslation();
  const me = useMe();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const add = useRectCommand(ticket.id, (b: Parameters<typeof rectApi.addContainment>[1]) => rectApi.addContainment(ticket.id, b), 'rectification.containment.recorded');
  const relevant = ticket.priority === 'P1' && ticket.processTemplate === 'full';
  if (!relevant && !rect.containment.length) return null;
  const mayAdd = OPEN.includes(ticket.status) && (hasRole(me, 'admin', 'manager') || ticket.owner?.id === me.id);
  return (
    <Card
      size="small"
      title={t('rectification.containment.title')}
      extra={mayAdd ? <Button size="small" icon={<PlusOutlined />} onClick={() => { form.resetFields(); setOpen(true); }} data-testid="containment-add">{t('rectification.containment.add')}</Button> : null}
      data-testid="containment-card"
    >
      {!rect.containment.length ? <Typography.Text type="secondary">{t('rectification.containment.empty')}</Typography.Text> : (
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={rect.containment}
          scroll={{ x: 760 }}
          columns={[
            { title: t('rectification.containment.location'), width: 90, render: (_v, c) => t(`rectification.location.${c.location}`) },
            { title: t('rectification.containment.action'), render: (_v, c) => c.action },
            { title: t('rectification.containment.owner'), width: 90, render: (_v, c) => c.owner?.displayName ?? '—' },
            { title: t('rectification.containment.quantity'), width: 80, render: (_v, c) => c.quantity ?? '—' },
            { title: t('rectification.containment.result'), render: (_v, c) => c.result ?? '—' },
            { title: t('rectification.containment.recordedAt'), width: 150, render: (_v, c) => <TimeText value={c.recordedAt} /> },
          ]}
        />
      )}
      <Modal open={open} title={t('rectification.containment.add')} onCancel={() => setOpen(false)} okText={t('common.save')} confirmLoading={add.isPending}
        onOk={async () => {
          const v = await form.validateFields();
          await add.mutateAsync({
            location: v.location, action: v.action.trim(), ownerId: v.ownerId,
            ...(typeof v.quantity === 'number' ? { quantity: v.quantity } : {}),
            ...(v.result?.trim() ? { result: v.result.trim() } : {}),
          }).then(() => setOpen(false), () => undefined);
        }}>
        <Form form={form} layout="vertical" initialValues={{ location: 'customer' }}>
          <Form.Item name="location" label={t('rectification.containment.location')}>
            <Select options={CONTAINMENT_LOCATIONS.map((l) => ({ value: l, label: t(`rectification.location.${l}`) }))} />
          </Form.Item>
          <Form.Item name="action" label={t('rectification.containment.action')} rules={[{ required: true, whitespace: true, message: t('validation.requiredNamed', { field: t('rectification.containment.action') }) }]}>
            <Input.TextArea rows={2} maxLength={1000} placeholder={t('rectification.containment.actionPlaceholder')} />
          </Form.Item>
          <Form.Item name="ownerId" label={t('rectification.containment.owner')} rules={[{ required: true, message: t('validation.requiredNamed', { field: t('rectification.containment.owner') }) }]}>
            <PersonSelect />
          </Form.Item>
          <Form.Item name="quantity" label={t('rectification.containment.quantity')}><InputNumber min={0} precision={0} style={{ width: '100%' }} /></Form.Item>
          <Form.Item name="result" label={t('rectification.containment.result')}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
