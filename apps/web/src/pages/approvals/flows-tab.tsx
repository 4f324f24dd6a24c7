/**
 * 设置 › 审批流程: the flows of each gate (方案审批, 补偿退款审批, 撤销审批, 定性争议) with the
 * categories they are attached to; 新建流程 and 设计 open the designer (?tab=approvals&flow=<id>).
 */
import { App, Button, Card, Empty, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { APPROVAL_GATES, type ApprovalGate } from '@closeloop/contract';
import { errorMessage } from '../../app/errors.js';
import { categoryName, useCategories } from '../../app/lookups.js';
import { useMe } from '../../app/session.js';
import { ErrorResult } from '../../components/error-result.js';
import { TimeText } from '../../components/time-text.js';
import { approvalsApi, useFlows, type FlowSummary } from './approvals-api.js';
import { FlowDesigner, STATUS_COLOR, useNames } from './flow-designer.js';
import { UserPicker } from './node-drawer.js';

export function ApprovalFlowsTab() {
  const [params, setParams] = useSearchParams();
  const flowId = params.get('flow');
  if (flowId) return <FlowDesigner id={flowId} onBack={() => setParams({ tab: 'approvals' })} />;
  return <FlowList onOpen={(id) => setParams({ tab: 'approvals', flow: id })} />;
}

function FlowList({ onOpen }: { onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const flows = useFlows();
  const categories = useCategories();
  const names = useNames();
  const [creating, setCreating] = useState<ApprovalGate | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => approvalsApi.remove(id),
    onSuccess: () => { void qc.invalidateQueries({ queryKey: ['approval-flows'] }); message.success(t('approvals.list.deleted')); },
    onError: (e) => message.error(errorMessage(t, e)),
  });
  if (flows.isError) return <ErrorResult error={flows.error} onRetry={() => void flows.refetch()} />;
  const catName = (id: string) => { const c = categories.data?.find((x) => x.id === id); return c ? categoryName(c) : '…'; };

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="approval-flows">
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('approvals.list.intro')}</Typography.Paragraph>
      {APPROVAL_GATES.map((gate) => {
        const items = (flows.data?.items ?? []).filter((f) => f.gate === gate);
        return (
          <Card
            key={gate}
            size="small"
            title={<Space>{t(`approvals.gate.${gate}`)}<Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>{t(`approvals.gateHint.${gate}`)}</Typography.Text></Space>}
            extra={<Button size="small" icon={<PlusOutlined />} onClick={() => setCreating(gate)} data-testid={`flow-new-${gate}`}>{t('approvals.list.new')}</Button>}
            data-testid={`flow-gate-${gate}`}
          >
            <Table<FlowSummary>
              size="small"
              rowKey="id"
              loading={flows.isLoading}
              pagination={false}
              dataSource={items}
              scroll={{ x: 720 }}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('approvals.list.empty')} /> }}
              columns={[
                { key: 'name', title: t('approvals.list.name'), render: (_, f) => <a onClick={() => onOpen(f.id)}>{f.name}</a> },
                {
                  key: 'cats', title: t('approvals.list.categories'),
                  render: (_, f) => (f.categoryIds.length ? <Space size={[4, 4]} wrap>{f.categoryIds.map((c) => <Tag key={c}>{catName(c)}</Tag>)}</Space> : <Typography.Text type="secondary">{t('approvals.list.noCategories')}</Typography.Text>),
                },
                {
                  key: 'ver', title: t('approvals.list.version'),
                  render: (_, f) => {
                    const active = f.versions.find((v) => v.status === 'active');
                    return active
                      ? <Tag color={STATUS_COLOR.active}>{t('approvals.designer.activeVersion', { n: active.number })}</Tag>
                      : <Tag>{t('approvals.designer.notPublished')}</Tag>;
                  },
                },
                { key: 'admin', title: t('approvals.list.admin'), render: (_, f) => names.user(f.adminUserId) },
                { key: 'at', title: t('approvals.list.updatedAt'), render: (_, f) => <TimeText value={f.updatedAt} relative /> },
                {
                  key: 'ops', title: t('approvals.list.ops'), width: 140,
                  render: (_, f) => (
                    <Space>
                      <a onClick={() => onOpen(f.id)} data-testid="flow-design">{t('approvals.list.design')}</a>
                      <Popconfirm title={t('approvals.list.deleteConfirm')} onConfirm={() => remove.mutate(f.id)}>
                        <a style={{ color: '#ff4d4f' }}>{t('common.delete')}</a>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]}
            />
          </Card>
        );
      })}
      <CreateFlowModal gate={creating} onClose={() => setCreating(null)} onCreated={(id) => { setCreating(null); onOpen(id); }} />
    </Space>
  );
}

function CreateFlowModal({ gate, onClose, onCreated }: { gate: ApprovalGate | null; onClose: () => void; onCreated: (id: string) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const me = useMe();
  const categories = useCategories();
  const [form] = Form.useForm<{ name: string; categoryIds: string[]; adminUserId: string[] }>();
  const create = useMutation({
    mutationFn: async () => {
      const v = await form.validateFields();
      return approvalsApi.create({ name: v.name.trim(), gate: gate!, categoryIds: v.categoryIds ?? [], adminUserId: v.adminUserId?.[0] ?? me.id, draft: { nodes: [] } });
    },
    onSuccess: (d) => { void qc.invalidateQueries({ queryKey: ['approval-flows'] }); onCreated(d.id); },
    onError: (e) => { if (!(e && typeof e === 'object' && 'errorFields' in e)) message.error(errorMessage(t, e)); },
  });
  return (
    <Modal
      open={!!gate}
      title={gate ? t('approvals.list.newTitle', { gate: t(`approvals.gate.${gate}`) }) : ''}
      onCancel={onClose}
      onOk={() => create.mutate()}
      okText={t('approvals.list.createAndDesign')}
      confirmLoading={create.isPending}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'flow-create' } as never}
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={{ adminUserId: [me.id], categoryIds: [] }}>
        <Form.Item name="name" label={t('approvals.list.name')} rules={[{ required: true, whitespace: true, message: t('approvals.list.nameRequired') }]}>
          <Input maxLength={64} placeholder={t('approvals.list.namePlaceholder')} data-testid="flow-name" />
        </Form.Item>
        <Form.Item name="categoryIds" label={t('approvals.list.categories')} extra={t('approvals.list.categoriesHint')}>
          <Select mode="multiple" options={(categories.data ?? []).map((c) => ({ value: c.id, label: categoryName(c) }))} data-testid="flow-categories" />
        </Form.Item>
        <Form.Item name="adminUserId" label={t('approvals.list.admin')} extra={t('approvals.list.adminHint')} rules={[{ required: true, message: t('approvals.list.adminRequired') }]}>
          <UserPicker multiple={false} value={[]} onChange={() => undefined} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
