/**
 * 审批 on the ticket page: each approval instance of the ticket (running first, newest first) as
 * a read-only path — which node, who acted when, with what opinion — and the actions the
 * current user may take now (同意 / 驳回 / 退回 / 转交 / 加签, 撤回 and 催办 for the initiator).
 */
import { App, Button, Card, Drawer, Form, Input, Modal, Radio, Select, Space, Tag, Timeline, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlowInstanceView, FlowNodeInput, FlowPathStep, FlowTaskView } from '@closeloop/contract';
import { errorMessage } from '../../app/errors.js';
import { ErrorResult } from '../../components/error-result.js';
import { TimeText } from '../../components/time-text.js';
import { approvalsApi, useFlowFields } from './approvals-api.js';
import { FlowCanvas } from './flow-canvas.js';
import { useNames } from './flow-designer.js';
import { UserPicker } from './node-drawer.js';
import { earlierApproverNodes, findNode, walk } from './tree-ops.js';

const INSTANCE_COLOR = { running: 'processing', approved: 'success', rejected: 'error', cancelled: 'default' } as const;
const STEP_COLOR: Partial<Record<FlowPathStep['kind'], string>> = {
  approve: 'green', complete: 'green', auto_pass: 'green', skip: 'gray', reject: 'red', auto_reject: 'red', return: 'orange', withdraw: 'gray',
};

type Action = 'approve' | 'complete' | 'reject' | 'return' | 'transfer' | 'add_before' | 'add_after';

export function TicketApprovalsCard({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['ticket', ticketId, 'approvals'], queryFn: () => approvalsApi.ticketApprovals(ticketId) });
  if (q.isError) return <Card size="small" title={t('approvals.card.title')}><ErrorResult compact error={q.error} onRetry={() => void q.refetch()} /></Card>;
  const items = q.data?.items ?? [];
  if (!q.isPending && !items.length) return null;
  const ordered = [...items].sort((a, b) => Number(b.status === 'running') - Number(a.status === 'running'));
  return (
    <Card size="small" title={t('approvals.card.title')} loading={q.isPending} data-testid="ticket-approvals">
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        {ordered.map((x, i) => <InstanceView key={x.id} instance={x} ticketId={ticketId} collapsed={i > 0 && x.status !== 'running'} />)}
      </Space>
    </Card>
  );
}

function InstanceView({ instance, ticketId, collapsed }: { instance: FlowInstanceView; ticketId: string; collapsed: boolean }) {
  const { t } = useTranslation();
  const names = useNames();
  const [open, setOpen] = useState(!collapsed);
  const [chart, setChart] = useState(false);
  const nodeName = (id: string | null) => (id ? findNode(instance.tree, id)?.name ?? id : '');
  const myTasks = instance.tasks.filter((x) => instance.allowed.taskIds.includes(x.id));

  // The path so far, then the node(s) still waiting, then the end (when ended).
  const items = [
    ...instance.path.map((s) => ({
      key: s.id,
      color: STEP_COLOR[s.kind] ?? 'blue',
      content: <StepText step={s} nodeName={nodeName} user={names.user} />,
    })),
    ...instance.currentNodeIds.map((nid) => ({
      key: `cur-${nid}`,
      color: 'blue',
      content: <Pending nodeName={nodeName(nid)} tasks={instance.tasks.filter((x) => x.nodeId === nid && (x.status === 'running' || x.status === 'waiting'))} user={names.user} />,
    })),
    ...(instance.endedAt ? [{ key: 'end', color: instance.status === 'approved' ? 'green' : instance.status === 'rejected' ? 'red' : 'gray', content: <Typography.Text type="secondary">{t(`approvals.instance.ended.${instance.status}`)} · <TimeText value={instance.endedAt} /></Typography.Text> }] : []),
  ];

  return (
    <div data-testid="approval-instance" data-status={instance.status}>
      <Space wrap size={6} style={{ marginBottom: 8 }}>
        <Typography.Text strong>{t(`approvals.gate.${instance.gate}`)}</Typography.Text>
        <Typography.Text type="secondary">{instance.definitionName} · v{instance.versionNumber}</Typography.Text>
        <Tag color={INSTANCE_COLOR[instance.status]}>{t(`approvals.instance.status.${instance.status}`)}</Tag>
        {collapsed ? <a onClick={() => setOpen(!open)}>{open ? t('approvals.card.hide') : t('approvals.card.show')}</a> : null}
        <a onClick={() => setChart(true)} data-testid="approval-chart">{t('approvals.card.chart')}</a>
      </Space>
      <Drawer open={chart} onClose={() => setChart(false)} title={`${instance.definitionName} · v${instance.versionNumber}`} size={720} rootClassName="fd-drawer" destroyOnHidden>
        <InstanceChart instance={instance} />
      </Drawer>
      {open ? (
        <>
          <Timeline items={items} style={{ marginTop: 8, marginBottom: 0 }} />
          {myTasks.length || instance.allowed.withdraw || instance.allowed.urge ? (
            <Actions instance={instance} tasks={myTasks} ticketId={ticketId} />
          ) : null}
        </>
      ) : null}
    </div>
  );
}

function StepText({ step, nodeName, user }: { step: FlowPathStep; nodeName: (id: string | null) => string; user: (id: string) => string }) {
  const { t } = useTranslation();
  const actor = step.actorName ?? (step.actorId ? user(step.actorId) : t('approvals.step.system'));
  const others = step.targetUserIds.map(user).join('、');
  return (
    <div data-testid="approval-step">
      <Space size={6} wrap>
        {step.nodeId ? <Typography.Text type="secondary">{nodeName(step.nodeId)}</Typography.Text> : null}
        <Typography.Text strong>{actor}</Typography.Text>
        <span>{t(`approvals.step.${step.kind}`)}{others ? ` ${others}` : ''}{step.targetNodeId ? ` → ${step.targetNodeId === 'initiator' ? t('approvals.rejectTo.initiator') : nodeName(step.targetNodeId)}` : ''}</span>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}><TimeText value={step.at} /></Typography.Text>
      </Space>
      {step.opinion ? <div style={{ background: '#fafafa', borderRadius: 4, padding: '4px 8px', marginTop: 4, whiteSpace: 'pre-wrap' }}>{step.opinion}</div> : null}
    </div>
  );
}

function Pending({ nodeName, tasks, user }: { nodeName: string; tasks: FlowTaskView[]; user: (id: string) => string }) {
  const { t } = useTranslation();
  return (
    <div data-testid="approval-pending">
      <Space size={6} wrap>
        <Typography.Text type="secondary">{nodeName}</Typography.Text>
        <span>{tasks.map((x) => user(x.assigneeId)).join('、') || '—'}</span>
        <Tag color="processing">{t('approvals.card.waiting')}</Tag>
      </Space>
    </div>
  );
}

function Actions({ instance, tasks, ticketId }: { instance: FlowInstanceView; tasks: FlowTaskView[]; ticketId: string }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [action, setAction] = useState<Action | null>(null);
  const [form] = Form.useForm<{ opinion?: string; targetNodeId?: string; userIds?: string[] }>();
  const task = tasks.find((x) => x.kind !== 'cc') ?? null;
  const cc = tasks.find((x) => x.kind === 'cc') ?? null;
  const node = task ? findNode(instance.tree, task.nodeId) : undefined;
  const rejectTo = node?.kind === 'approver' ? node.rejectTo : undefined;
  const earlier = task ? earlierApproverNodes(instance.tree, task.nodeId) : [];
  // Targets: the nodes the node's 驳回至 names, or for 退回 any approver node passed on the way here.
  const passed = new Set(instance.tasks.filter((x) => x.status === 'approved').map((x) => x.nodeId));
  const returnTargets = earlier.filter((n) => passed.has(n.id));
  const rejectTargets: FlowNodeInput[] = rejectTo?.kind === 'nodes' ? walk(instance.tree.nodes).map((x) => x.node).filter((n) => rejectTo.nodeIds.includes(n.id)) : [];
  const canAddSigner = task?.kind === 'approve' && task.origin !== 'add_before' && task.origin !== 'add_after';

  const done = (v: FlowInstanceView) => {
    qc.setQueryData<{ items: FlowInstanceView[] }>(['ticket', ticketId, 'approvals'], (old) => old && { items: old.items.map((x) => (x.id === v.id ? v : x)) });
    void qc.invalidateQueries({ queryKey: ['ticket', ticketId] });
    void qc.invalidateQueries({ queryKey: ['approvals', 'box'] });
  };
  const run = useMutation({
    mutationFn: async (a: Action) => {
      const v = await form.validateFields();
      const opinion = v.opinion?.trim() || undefined;
      const id = task!.id;
      switch (a) {
        case 'approve': return approvalsApi.approve(id, { opinion, attachmentIds: [] });
        case 'complete': return approvalsApi.complete(id, { opinion, attachmentIds: [] });
        case 'reject': return approvalsApi.reject(id, { opinion: opinion!, attachmentIds: [], ...(v.targetNodeId ? { targetNodeId: v.targetNodeId } : {}) });
        case 'return': return approvalsApi.return(id, { opinion: opinion!, targetNodeId: v.targetNodeId ?? 'initiator' });
        case 'transfer': return approvalsApi.transfer(id, { userId: v.userIds![0]!, opinion });
        case 'add_before':
        case 'add_after': return approvalsApi.addSigner(id, { position: a === 'add_before' ? 'before' : 'after', userIds: v.userIds!, opinion });
      }
    },
    onSuccess: (v) => { done(v); setAction(null); message.success(t('approvals.card.doneMsg')); },
    onError: (e) => { if (!(e && typeof e === 'object' && 'errorFields' in e)) message.error(errorMessage(t, e)); },
  });
  const simple = useMutation({
    mutationFn: (a: 'withdraw' | 'urge' | 'read') => (a === 'withdraw' ? approvalsApi.withdraw(instance.id) : a === 'urge' ? approvalsApi.urge(instance.id) : approvalsApi.read(cc!.id)),
    onSuccess: (v, a) => { done(v); message.success(t(`approvals.card.${a}Done`)); },
    onError: (e) => message.error(errorMessage(t, e)),
  });
  const start = (a: Action) => { form.resetFields(); setAction(a); };
  const opinionRequired = action === 'reject' || action === 'return';
  const needsUsers = action === 'transfer' || action === 'add_before' || action === 'add_after';

  return (
    <div style={{ marginTop: 8 }} data-testid="approval-actions">
      <Space wrap size={8}>
        {task?.kind === 'approve' ? (
          <>
            <Button type="primary" onClick={() => start('approve')} data-testid="approval-approve">{t('approvals.action.approve')}</Button>
            <Button danger onClick={() => start('reject')} data-testid="approval-reject">{t('approvals.action.reject')}</Button>
            <Button onClick={() => start('return')} data-testid="approval-return">{t('approvals.action.return')}</Button>
          </>
        ) : null}
        {task?.kind === 'handle' ? <Button type="primary" onClick={() => start('complete')} data-testid="approval-complete">{t('approvals.action.complete')}</Button> : null}
        {task ? <Button onClick={() => start('transfer')} data-testid="approval-transfer">{t('approvals.action.transfer')}</Button> : null}
        {canAddSigner ? (
          <>
            <Button onClick={() => start('add_before')}>{t('approvals.action.add_before')}</Button>
            <Button onClick={() => start('add_after')}>{t('approvals.action.add_after')}</Button>
          </>
        ) : null}
        {cc && !cc.readAt ? <Button onClick={() => simple.mutate('read')}>{t('approvals.action.read')}</Button> : null}
        {instance.allowed.urge ? <Button onClick={() => simple.mutate('urge')} loading={simple.isPending && simple.variables === 'urge'} data-testid="approval-urge">{t('approvals.action.urge')}</Button> : null}
        {instance.allowed.withdraw ? (
          <Button
            onClick={() => modal.confirm({ title: t('approvals.card.withdrawTitle'), content: t('approvals.card.withdrawBody'), okText: t('approvals.action.withdraw'), onOk: () => simple.mutateAsync('withdraw') })}
            data-testid="approval-withdraw"
          >
            {t('approvals.action.withdraw')}
          </Button>
        ) : null}
      </Space>
      <Modal
        open={!!action}
        title={action ? t(`approvals.action.${action}`) : ''}
        onCancel={() => setAction(null)}
        onOk={() => action && run.mutate(action)}
        confirmLoading={run.isPending}
        okButtonProps={{ danger: action === 'reject', 'data-testid': 'approval-confirm' } as never}
        okText={t('common.confirm')}
        forceRender
      >
        <Form form={form} layout="vertical">
          {node ? <Typography.Paragraph type="secondary">{t('approvals.card.atNode', { node: node.name })}</Typography.Paragraph> : null}
          {action === 'reject' && rejectTargets.length ? (
            <Form.Item name="targetNodeId" label={t('approvals.card.rejectTarget')} rules={[{ required: true, message: t('approvals.card.pickTarget') }]}>
              <Radio.Group options={rejectTargets.map((n) => ({ value: n.id, label: n.name }))} />
            </Form.Item>
          ) : null}
          {action === 'reject' && rejectTo && rejectTo.kind !== 'nodes' ? (
            <Typography.Paragraph type="secondary">{t(`approvals.card.rejectGoes.${rejectTo.kind}`)}</Typography.Paragraph>
          ) : null}
          {action === 'return' ? (
            <Form.Item name="targetNodeId" label={t('approvals.card.returnTarget')} initialValue="initiator" rules={[{ required: true }]}>
              <Select options={[{ value: 'initiator', label: t('approvals.rejectTo.initiator') }, ...returnTargets.map((n) => ({ value: n.id, label: n.name }))]} />
            </Form.Item>
          ) : null}
          {needsUsers ? (
            <Form.Item name="userIds" label={action === 'transfer' ? t('approvals.card.transferTo') : t('approvals.card.signers')} rules={[{ required: true, message: t('approvals.drawer.pickUsers') }]}>
              <UserPicker multiple={action !== 'transfer'} value={[]} onChange={() => undefined} />
            </Form.Item>
          ) : null}
          <Form.Item
            name="opinion"
            label={t('approvals.card.opinion')}
            rules={opinionRequired ? [{ required: true, whitespace: true, message: t('approvals.card.opinionRequired') }] : []}
          >
            <Input.TextArea rows={3} maxLength={2000} placeholder={opinionRequired ? t('approvals.card.opinionRequired') : t('approvals.card.opinionOptional')} data-testid="approval-opinion" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}

/** The instance's version drawn like the designer, read-only: passed nodes green, running blue, a rejection red. */
function InstanceChart({ instance }: { instance: FlowInstanceView }) {
  const names = useNames();
  const fields = useFlowFields(instance.gate).data?.fields ?? [];
  const progress = (id: string): 'done' | 'current' | 'rejected' | undefined => {
    if (instance.currentNodeIds.includes(id)) return 'current';
    const tasks = instance.tasks.filter((x) => x.nodeId === id);
    if (tasks.some((x) => x.status === 'rejected')) return 'rejected';
    if (tasks.length && tasks.every((x) => x.status === 'approved' || x.status === 'skipped' || x.kind === 'cc')) return 'done';
    // A branch: taken when some node of it has tasks.
    const branch = walk(instance.tree.nodes).find((x) => x.container === id && instance.tasks.some((k) => k.nodeId === x.node.id));
    return branch ? 'done' : undefined;
  };
  const none = () => undefined;
  return (
    <FlowCanvas
      nodes={instance.tree.nodes}
      fields={fields}
      names={names}
      errors={new Map()}
      readOnly
      progress={progress}
      onAdd={none} onOpenNode={none} onRemoveNode={none} onOpenBranch={none} onAddBranch={none} onRemoveBranch={none} onShiftBranch={none}
    />
  );
}
