/**
 * 审批流程设计器: edits one flow's draft (the tree, its name, categories and flow admin), checks it
 * with the server (校验) and publishes it as a new version (发布); errors show on their nodes.
 */
import { Alert, App, Button, Drawer, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, HistoryOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlowDefinition, FlowNodeInput, FlowValidationError } from '@closeloop/contract';
import { ApiError } from '../../app/api.js';
import { errorMessage } from '../../app/errors.js';
import { categoryName, useCategories, useDepartments, useUsers } from '../../app/lookups.js';
import { ErrorResult } from '../../components/error-result.js';
import { TimeText } from '../../components/time-text.js';
import { approvalsApi, useFlow, useFlowFields } from './approvals-api.js';
import { BranchDrawer } from './branch-drawer.js';
import { FlowCanvas } from './flow-canvas.js';
import type { Names } from './labels.js';
import { NodeDrawer, UserPicker } from './node-drawer.js';
import {
  addBranch, earlierApproverNodes, errorsByNode, fieldsToErrors, findNode, insertNode, makeNode, removeBranch, removeNode,
  shiftBranch, updateBranch, updateNode, walk, type DefaultNames, type TreeInput,
} from './tree-ops.js';

export const STATUS_COLOR = { draft: 'default', active: 'green', archived: 'default' } as const;

export function useNames(): Names {
  const users = useUsers();
  const depts = useDepartments();
  return useMemo(() => ({
    user: (id: string) => users.data?.find((u) => u.id === id)?.displayName ?? '…',
    department: (id: string) => depts.data?.find((d) => d.id === id)?.name ?? '…',
  }), [users.data, depts.data]);
}

export function FlowDesigner({ id, onBack }: { id: string; onBack: () => void }) {
  const { t } = useTranslation();
  const q = useFlow(id);
  if (q.isError) return <ErrorResult error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <Typography.Text type="secondary">{t('approvals.loading')}</Typography.Text>;
  return <Editor key={q.data.id} flow={q.data} onBack={onBack} />;
}

function Editor({ flow, onBack }: { flow: FlowDefinition; onBack: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const names = useNames();
  const categories = useCategories();
  const fieldsQ = useFlowFields(flow.gate);
  const fields = fieldsQ.data?.fields ?? [];
  const [tree, setTree] = useState<TreeInput>(flow.draft);
  const [meta, setMeta] = useState({ name: flow.name, categoryIds: flow.categoryIds, adminUserId: flow.adminUserId });
  const [version, setVersion] = useState(flow.version);
  const [dirty, setDirty] = useState(false);
  const [errors, setErrors] = useState<FlowValidationError[] | null>(null);
  const [openNode, setOpenNode] = useState<string | null>(null);
  const [openBranch, setOpenBranch] = useState<string | null>(null);
  const [showVersions, setShowVersions] = useState(false);
  const [current, setCurrent] = useState(flow);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => { e.preventDefault(); };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const defaults: DefaultNames = {
    approver: t('approvals.kind.approver'), cc: t('approvals.kind.cc'), handler: t('approvals.kind.handler'),
    condition: t('approvals.kind.condition'), branch: (n) => t('approvals.branch.defaultName', { n }), otherwise: t('approvals.branch.default'),
  };
  const edit = (next: TreeInput) => { setTree(next); setDirty(true); };
  const byNode = useMemo(() => errorsByNode(tree, errors ?? []), [tree, errors]);

  const accept = (d: FlowDefinition) => {
    setCurrent(d);
    setVersion(d.version);
    setDirty(false);
    qc.setQueryData(['approval-flows', d.id], d);
    void qc.invalidateQueries({ queryKey: ['approval-flows'], exact: true });
  };
  const save = async (): Promise<FlowDefinition> => {
    const d = await approvalsApi.update(flow.id, { ...meta, draft: tree, version });
    accept(d);
    return d;
  };
  const onError = (e: unknown) => {
    if (e instanceof ApiError && e.code === 'VALIDATION_FAILED' && e.fields.length) {
      setErrors(fieldsToErrors(e.fields));
      message.error(t('approvals.designer.fixErrors'));
    } else {
      message.error(errorMessage(t, e));
    }
  };
  const saveM = useMutation({ mutationFn: save, onSuccess: () => message.success(t('approvals.designer.saved')), onError });
  const validateM = useMutation({
    mutationFn: () => approvalsApi.validate(flow.id, tree),
    onSuccess: (v) => {
      setErrors(v.errors);
      if (v.ok) message.success(t('approvals.designer.valid'));
      else message.error(t('approvals.designer.invalid', { n: v.errors.length }));
    },
    onError,
  });
  const publishM = useMutation({
    mutationFn: async () => {
      const v = await approvalsApi.validate(flow.id, tree);
      setErrors(v.errors);
      if (!v.ok) return null;
      const saved = dirty ? await save() : current;
      return approvalsApi.publish(flow.id, saved.version);
    },
    onSuccess: (d) => {
      if (!d) { message.error(t('approvals.designer.invalid', { n: errors?.length ?? 0 })); return; }
      accept(d);
      setTree(d.draft);
      message.success(t('approvals.designer.published', { n: d.activeVersion?.number ?? '' }));
    },
    onError,
  });

  const nodeOpen = openNode ? findNode(tree, openNode) ?? null : null;
  const branchOpen = openBranch
    ? walk(tree.nodes).flatMap(({ node }) => (node.kind === 'condition' ? node.branches : [])).find((b) => b.id === openBranch) ?? null
    : null;
  const flowErrors = byNode.get('');

  const back = () => {
    if (!dirty) { onBack(); return; }
    modal.confirm({ title: t('approvals.designer.leaveTitle'), content: t('approvals.designer.leaveBody'), okText: t('approvals.designer.leave'), onOk: onBack });
  };

  return (
    <div data-testid="flow-designer">
      <div className="fd-toolbar">
        <Space wrap>
          <Button icon={<ArrowLeftOutlined />} onClick={back}>{t('approvals.designer.back')}</Button>
          <Typography.Text strong>{t(`approvals.gate.${flow.gate}`)}</Typography.Text>
          {current.activeVersion ? <Tag color="green">{t('approvals.designer.activeVersion', { n: current.activeVersion.number })}</Tag> : <Tag>{t('approvals.designer.notPublished')}</Tag>}
          {dirty ? <Tag color="orange">{t('approvals.designer.unsaved')}</Tag> : null}
        </Space>
        <Space wrap>
          <Button icon={<HistoryOutlined />} onClick={() => setShowVersions(true)} data-testid="fd-versions">{t('approvals.designer.versions')}</Button>
          <Button onClick={() => validateM.mutate()} loading={validateM.isPending} data-testid="fd-validate">{t('approvals.designer.validate')}</Button>
          <Button onClick={() => saveM.mutate()} loading={saveM.isPending} disabled={!dirty} data-testid="fd-save">{t('approvals.designer.save')}</Button>
          <Button type="primary" onClick={() => publishM.mutate()} loading={publishM.isPending} data-testid="fd-publish">{t('approvals.designer.publish')}</Button>
        </Space>
      </div>
      <Form layout="inline" style={{ marginBottom: 12, rowGap: 8 }}>
        <Form.Item label={t('approvals.list.name')}>
          <Input value={meta.name} maxLength={64} style={{ width: 200 }} onChange={(e) => { setMeta({ ...meta, name: e.target.value }); setDirty(true); }} data-testid="fd-flow-name" />
        </Form.Item>
        <Form.Item label={t('approvals.list.categories')}>
          <Select
            mode="multiple" style={{ minWidth: 240, maxWidth: 480 }} value={meta.categoryIds} placeholder={t('approvals.list.noCategories')}
            onChange={(ids: string[]) => { setMeta({ ...meta, categoryIds: ids }); setDirty(true); }}
            options={(categories.data ?? []).map((c) => ({ value: c.id, label: categoryName(c) }))}
            data-testid="fd-flow-categories"
          />
        </Form.Item>
        <Form.Item label={t('approvals.list.admin')} tooltip={t('approvals.list.adminHint')}>
          <div style={{ width: 200 }}>
            <UserPicker multiple={false} value={[meta.adminUserId]} onChange={(ids) => { if (ids[0]) { setMeta({ ...meta, adminUserId: ids[0] }); setDirty(true); } }} />
          </div>
        </Form.Item>
      </Form>
      {errors && !errors.length ? <Alert className="fd-flow-errors" type="success" showIcon title={t('approvals.designer.valid')} /> : null}
      {errors?.length ? (
        <Alert
          className="fd-flow-errors" type="error" showIcon data-testid="fd-errors"
          title={t('approvals.designer.invalid', { n: errors.length })}
          description={flowErrors?.length ? flowErrors.map((e, i) => <div key={i}>{t(`approvals.errors.${e.code}`, { defaultValue: e.message })}</div>) : t('approvals.designer.seeNodes')}
        />
      ) : null}
      <FlowCanvas
        nodes={tree.nodes}
        fields={fields}
        names={names}
        errors={byNode}
        onAdd={(at, kind) => {
          const node = makeNode(kind, defaults);
          edit(insertNode(tree, at, node));
          if (kind !== 'condition') setOpenNode(node.id);
        }}
        onOpenNode={setOpenNode}
        onRemoveNode={(nid) => edit(removeNode(tree, nid))}
        onOpenBranch={(_, bid) => setOpenBranch(bid)}
        onAddBranch={(cid) => {
          const c = findNode(tree, cid);
          edit(addBranch(tree, cid, defaults.branch(c?.kind === 'condition' ? c.branches.length : 1)));
        }}
        onRemoveBranch={(cid, bid) => edit(removeBranch(tree, cid, bid))}
        onShiftBranch={(cid, bid, d) => edit(shiftBranch(tree, cid, bid, d))}
      />
      <NodeDrawer
        node={nodeOpen}
        earlier={openNode ? earlierApproverNodes(tree, openNode) : []}
        fields={fields}
        onChange={(n: FlowNodeInput) => { edit(updateNode(tree, n.id, () => n)); setErrors((e) => e && e.filter((x) => x.nodeId !== n.id)); }}
        onClose={() => setOpenNode(null)}
      />
      <BranchDrawer
        branch={branchOpen}
        fields={fields}
        onChange={(b) => { edit(updateBranch(tree, b.id, () => b)); setErrors((e) => e && e.filter((x) => x.nodeId !== b.id)); }}
        onClose={() => setOpenBranch(null)}
      />
      <Drawer open={showVersions} onClose={() => setShowVersions(false)} title={t('approvals.designer.versions')} size={520}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={[...current.versions].sort((a, b) => b.number - a.number)}
          data-testid="fd-version-table"
          columns={[
            { key: 'n', title: t('approvals.version.number'), render: (_, v) => `v${v.number}` },
            { key: 's', title: t('approvals.version.status'), render: (_, v) => <Tag color={STATUS_COLOR[v.status]}>{t(`approvals.version.${v.status}`)}</Tag> },
            { key: 'at', title: t('approvals.version.publishedAt'), render: (_, v) => (v.publishedAt ? <TimeText value={v.publishedAt} /> : '—') },
            { key: 'by', title: t('approvals.version.publishedBy'), render: (_, v) => (v.publishedBy ? names.user(v.publishedBy) : '—') },
          ]}
        />
      </Drawer>
    </div>
  );
}
