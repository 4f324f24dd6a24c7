/**
 * The designer's canvas: 发起人 at the top, the nodes down the middle joined by lines with a "+"
 * between them, condition branches side by side (添加条件 on top, 其他情况 last), 流程结束 at the
 * bottom. Cards with validation errors get a red border and the messages under their body.
 */
import { Popover } from 'antd';
import { CloseOutlined, LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConditionBranchInput, ConditionNodeInput, FlowField, FlowNodeInput } from '@closeloop/contract';
import { branchSummary, nodeSummary, type Names } from './labels.js';
import type { InsertPoint, NewNodeKind } from './tree-ops.js';
import './designer.css';

export interface CanvasProps {
  nodes: FlowNodeInput[];
  fields: FlowField[];
  names: Names;
  errors: Map<string, Array<{ code: string; message: string }>>;
  readOnly?: boolean;
  /** Read-only view of an instance: how far each node got (passed, running now, rejected). */
  progress?: (id: string) => 'done' | 'current' | 'rejected' | undefined;
  onAdd: (at: InsertPoint, kind: NewNodeKind) => void;
  onOpenNode: (id: string) => void;
  onRemoveNode: (id: string) => void;
  onOpenBranch: (conditionId: string, branchId: string) => void;
  onAddBranch: (conditionId: string) => void;
  onRemoveBranch: (conditionId: string, branchId: string) => void;
  onShiftBranch: (conditionId: string, branchId: string, delta: -1 | 1) => void;
}

const KIND_COLORS: Record<NewNodeKind, string> = { approver: '#ff943e', cc: '#3296fa', handler: '#8f5ce6', condition: '#15bc83' };
const KIND_GLYPH: Record<NewNodeKind, string> = { approver: '审', cc: '抄', handler: '办', condition: '条' };

function AddLink({ at, p }: { at: InsertPoint; p: CanvasProps }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (p.readOnly) return <div className="fd-link" />;
  const testid = `fd-add-${at.container ?? 'root'}-${at.afterId ?? 'head'}`;
  return (
    <div className="fd-link">
      <Popover
        open={open}
        onOpenChange={setOpen}
        trigger="click"
        placement="right"
        destroyOnHidden
        content={(
          <div className="fd-add-menu" data-testid="fd-add-menu">
            {(['approver', 'cc', 'handler', 'condition'] as const).map((k) => (
              <button key={k} type="button" data-testid={`fd-add-${k}`} onClick={() => { setOpen(false); p.onAdd(at, k); }}>
                <span className="fd-dot" style={{ background: KIND_COLORS[k] }}>{KIND_GLYPH[k]}</span>
                {t(`approvals.kind.${k}`)}
              </button>
            ))}
          </div>
        )}
      >
        <button type="button" className="fd-add" aria-label={t('approvals.designer.addNode')} data-testid={testid}>+</button>
      </Popover>
    </div>
  );
}

function ErrorLines({ list }: { list?: Array<{ code: string; message: string }> }) {
  const { t } = useTranslation();
  if (!list?.length) return null;
  return (
    <div className="fd-node-errors" data-testid="fd-node-error">
      {list.map((e, i) => <div key={i}>{t(`approvals.errors.${e.code}`, { defaultValue: e.message })}</div>)}
    </div>
  );
}

function Card({ kind, title, body, errors, onOpen, onRemove, extra, testid, state }: {
  kind: string; title: ReactNode; body: ReactNode; errors?: Array<{ code: string; message: string }>;
  onOpen?: () => void; onRemove?: () => void; extra?: ReactNode; testid?: string; state?: string;
}) {
  const { t } = useTranslation();
  return (
    <div
      className={`fd-node is-${kind}${errors?.length ? ' has-error' : ''}${state ? ` st-${state}` : ''}`}
      role={onOpen ? 'button' : undefined}
      tabIndex={onOpen ? 0 : undefined}
      onClick={onOpen}
      onKeyDown={(e) => { if (onOpen && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); onOpen(); } }}
      data-testid={testid}
    >
      <div className="fd-node-head">
        <span className="fd-node-name">{title}</span>
        {extra}
        {onRemove ? (
          <button type="button" className="fd-node-remove" aria-label={t('common.delete')} onClick={(e) => { e.stopPropagation(); onRemove(); }}>
            <CloseOutlined />
          </button>
        ) : null}
      </div>
      <div className="fd-node-body">{body}</div>
      <ErrorLines list={errors} />
    </div>
  );
}

function NodeList({ nodes, container, p }: { nodes: FlowNodeInput[]; container: string | null; p: CanvasProps }) {
  return (
    <>
      {nodes.map((n) => (
        <div className="fd-list" key={n.id}>
          {n.kind === 'condition' ? <Branches node={n} p={p} /> : <NodeCard node={n} p={p} />}
          <AddLink at={{ container, afterId: n.id }} p={p} />
        </div>
      ))}
    </>
  );
}

function NodeCard({ node, p }: { node: Exclude<FlowNodeInput, ConditionNodeInput>; p: CanvasProps }) {
  const { t } = useTranslation();
  const summary = nodeSummary(t, node, p.names);
  return (
    <Card
      kind={node.kind}
      title={node.name}
      testid={`fd-node-${node.id}`}
      body={summary ?? <span className="fd-placeholder">{t(`approvals.designer.pick.${node.kind}`)}</span>}
      errors={p.errors.get(node.id)}
      state={p.progress?.(node.id)}
      onOpen={p.readOnly ? undefined : () => p.onOpenNode(node.id)}
      onRemove={p.readOnly ? undefined : () => p.onRemoveNode(node.id)}
    />
  );
}

function Branches({ node, p }: { node: ConditionNodeInput; p: CanvasProps }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en-US';
  const nodeErrors = p.errors.get(node.id);
  return (
    <div className="fd-list" data-testid={`fd-condition-${node.id}`}>
      <div className="fd-branch-box">
        {p.readOnly ? null : (
          <button type="button" className="fd-branch-add" onClick={() => p.onAddBranch(node.id)} data-testid="fd-add-branch">
            {t('approvals.designer.addBranch')}
          </button>
        )}
        {node.branches.map((b, i) => (
          <div className="fd-branch-col" key={b.id}>
            <span className="fd-hl top" />
            <BranchCard node={node} branch={b} index={i} p={p} en={en} />
            <AddLink at={{ container: b.id, afterId: null }} p={p} />
            <NodeList nodes={b.nodes} container={b.id} p={p} />
            <div className="fd-grow" />
            <span className="fd-hl bottom" />
          </div>
        ))}
      </div>
      {nodeErrors?.length ? <div className="fd-node is-branch has-error" style={{ marginTop: 8, cursor: 'default' }}><ErrorLines list={nodeErrors} /></div> : null}
    </div>
  );
}

function BranchCard({ node, branch, index, p, en }: { node: ConditionNodeInput; branch: ConditionBranchInput; index: number; p: CanvasProps; en: boolean }) {
  const { t } = useTranslation();
  const summary = branchSummary(t, branch, p.fields, p.names, en);
  const last = node.branches.length - 1;
  const movable = !p.readOnly && !branch.isDefault;
  return (
    <Card
      kind="branch"
      testid={`fd-branch-${index}`}
      title={branch.name}
      extra={(
        <span className="fd-prio">
          {movable && index > 0 ? <LeftOutlined aria-label={t('approvals.designer.moveLeft')} onClick={(e) => { e.stopPropagation(); p.onShiftBranch(node.id, branch.id, -1); }} /> : null}
          {' '}{branch.isDefault ? null : t('approvals.branch.priority', { n: index + 1 })}{' '}
          {movable && index < last - 1 ? <RightOutlined aria-label={t('approvals.designer.moveRight')} onClick={(e) => { e.stopPropagation(); p.onShiftBranch(node.id, branch.id, 1); }} /> : null}
        </span>
      )}
      body={summary ?? <span className="fd-placeholder">{t('approvals.designer.pick.condition')}</span>}
      errors={p.errors.get(branch.id)}
      state={p.progress?.(branch.id)}
      onOpen={branch.isDefault || p.readOnly ? undefined : () => p.onOpenBranch(node.id, branch.id)}
      onRemove={p.readOnly || branch.isDefault ? undefined : () => p.onRemoveBranch(node.id, branch.id)}
    />
  );
}

export function FlowCanvas(p: CanvasProps) {
  const { t } = useTranslation();
  return (
    <div className={`fd-canvas${p.readOnly ? ' fd-readonly' : ''}`} data-testid="fd-canvas">
      <div className="fd-tree">
        <Card kind="start" title={t('approvals.designer.initiator')} body={t('approvals.designer.initiatorBody')} />
        <AddLink at={{ container: null, afterId: null }} p={p} />
        <NodeList nodes={p.nodes} container={null} p={p} />
        <div className="fd-end">{t('approvals.designer.end')}</div>
      </div>
    </div>
  );
}
