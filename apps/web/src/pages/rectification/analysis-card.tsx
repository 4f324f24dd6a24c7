/**
 * 原因分析: the analysis as read (causes with 已验证 / 假设, the 5-Why chain, 发生 / 流出原因, fishbone,
 * class, responsible department, evidence) and its form in a drawer; 定性争议 raised and decided below it.
 */
import { Button, Card, Col, Descriptions, Drawer, Empty, Form, Grid, Input, Modal, Radio, Row, Select, Space, Tag, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  FISHBONE_BRANCHES, ROOT_CAUSE_CLASSES, type AnalysisInput, type Cause, type Dispute, type Rectification, type RootCauseAnalysis, type Ticket,
} from '@closeloop/contract';
import { ApiError } from '../../app/api.js';
import { fieldMessage, fieldPath } from '../../app/errors.js';
import { useDepartments } from '../../app/lookups.js';
import { hasRole, useMe } from '../../app/session.js';
import { TimeText } from '../../components/time-text.js';
import { EvidenceLinks, EvidencePicker } from './pickers.js';
import { rectApi, useRectCommand } from './rect-api.js';

const pre = { whiteSpace: 'pre-wrap', wordBreak: 'break-word' } as const;
const CAUSES = ['directCause', 'indirectCause', 'rootCause'] as const;
const QUALITY_CAUSES = ['occurrenceCause', 'escapeCause'] as const;
type CauseKey = (typeof CAUSES)[number] | (typeof QUALITY_CAUSES)[number];

/** Quality problems (the full process) get 发生 / 流出原因 and the fishbone. */
export const isQuality = (ticket: Ticket) => ticket.processTemplate === 'full';

export function canEditAnalysis(ticket: Ticket, me: ReturnType<typeof useMe>) {
  if (!['analyzing', 'plan_review', 'rectifying'].includes(ticket.status)) return false;
  return hasRole(me, 'admin', 'manager') || (ticket.owner?.id === me.id);
}

function CertaintyTag({ c }: { c: Cause['certainty'] }) {
  const { t } = useTranslation();
  return <Tag color={c === 'verified' ? 'success' : 'default'}>{t(`rectification.certainty.${c}`)}</Tag>;
}

function CauseView({ ticketId, cause }: { ticketId: string; cause: Cause }) {
  return (
    <Space orientation="vertical" size={2}>
      <span style={pre}><CertaintyTag c={cause.certainty} />{cause.text}</span>
      <EvidenceLinks ticketId={ticketId} ids={cause.evidenceAttachmentIds ?? []} />
    </Space>
  );
}

export function AnalysisView({ ticket, a }: { ticket: Ticket; a: RootCauseAnalysis }) {
  const { t } = useTranslation();
  const cause = (k: CauseKey) => (a[k] ? [{ key: k, label: t(`rectification.analysis.${k}`), children: <CauseView ticketId={ticket.id} cause={a[k]!} /> }] : []);
  const byBranch = FISHBONE_BRANCHES.map((b) => ({ b, entries: a.fishbone.filter((f) => f.branch === b) })).filter((x) => x.entries.length);
  return (
    <Descriptions
      size="small"
      column={1}
      bordered
      styles={{ label: { width: 120 } }}
      items={[
        ...cause('directCause'),
        ...cause('indirectCause'),
        ...(a.fiveWhys.length ? [{
          key: 'why', label: t('rectification.analysis.fiveWhys'),
          children: (
            <ol style={{ margin: 0, paddingLeft: 20 }} data-testid="five-whys">
              {a.fiveWhys.map((w, i) => (
                <li key={i} style={pre}><Typography.Text strong>{w.why}</Typography.Text> → {w.answer}</li>
              ))}
            </ol>
          ),
        }] : []),
        ...cause('rootCause'),
        ...cause('occurrenceCause'),
        ...cause('escapeCause'),
        ...(byBranch.length ? [{
          key: 'fish', label: t('rectification.analysis.fishbone'),
          children: (
            <Space orientation="vertical" size={2}>
              {byBranch.map(({ b, entries }) => (
                <div key={b}><Tag color="blue">{t(`rectification.fishbone.${b}`)}</Tag>{entries.map((e, i) => <span key={i} style={{ marginRight: 12 }}>{e.text}{e.certainty === 'verified' ? `（${t('rectification.certainty.verified')}）` : ''}</span>)}</div>
              ))}
            </Space>
          ),
        }] : []),
        ...(a.rootCauseClass ? [{ key: 'class', label: t('rectification.analysis.rootCauseClass'), children: t(`rootCauseClass.${a.rootCauseClass}`) }] : []),
        { key: 'dept', label: t('rectification.analysis.responsibleDepartment'), children: a.responsibleDepartment?.name ?? '—' },
        ...(a.evidenceAttachmentIds.length ? [{ key: 'ev', label: t('rectification.evidence.label'), children: <EvidenceLinks ticketId={ticket.id} ids={a.evidenceAttachmentIds} /> }] : []),
        { key: 'by', label: t('rectification.analysis.updated'), children: <span>{a.updatedBy?.displayName ?? '—'} · <TimeText value={a.updatedAt} /></span> },
      ]}
    />
  );
}

function CauseFields({ name, ticketId, required }: { name: CauseKey; ticketId: string; required?: boolean }) {
  const { t } = useTranslation();
  const label = t(`rectification.analysis.${name}`);
  return (
    <Form.Item label={label} required={required} style={{ marginBottom: 12 }}>
      <Form.Item
        name={[name, 'text']}
        noStyle
        rules={required ? [{ required: true, whitespace: true, message: t('validation.requiredNamed', { field: label }) }] : []}
      >
        <Input.TextArea rows={2} maxLength={2000} data-testid={`analysis-${name}`} />
      </Form.Item>
      <Space wrap size={8} style={{ marginTop: 6, width: '100%' }}>
        <Form.Item name={[name, 'certainty']} noStyle initialValue="hypothesis">
          <Radio.Group optionType="button" size="small" options={[
            { value: 'verified', label: t('rectification.certainty.verified') },
            { value: 'hypothesis', label: t('rectification.certainty.hypothesis') },
          ]} />
        </Form.Item>
        <div style={{ minWidth: 260 }}>
          <Form.Item name={[name, 'evidenceAttachmentIds']} noStyle><EvidencePicker ticketId={ticketId} /></Form.Item>
        </div>
      </Space>
    </Form.Item>
  );
}

type CauseValues = { text?: string; certainty?: Cause['certainty']; evidenceAttachmentIds?: string[] };
type AnalysisValues = Partial<Record<CauseKey, CauseValues>> & {
  fiveWhys?: { why?: string; answer?: string }[];
  fishbone?: { branch?: string; text?: string; certainty?: Cause['certainty'] }[];
  rootCauseClass?: AnalysisInput['rootCauseClass'];
  responsibleDepartmentId?: string;
  evidenceAttachmentIds?: string[];
};

function toValues(a: RootCauseAnalysis | null): AnalysisValues {
  if (!a) return { fiveWhys: [{}, {}, {}] };
  return {
    ...Object.fromEntries([...CAUSES, ...QUALITY_CAUSES].map((k) => [k, a[k] ?? undefined])),
    fiveWhys: a.fiveWhys.length ? a.fiveWhys : [{}],
    fishbone: a.fishbone,
    rootCauseClass: a.rootCauseClass,
    responsibleDepartmentId: a.responsibleDepartmentId ?? a.responsibleDepartment?.id,
    evidenceAttachmentIds: a.evidenceAttachmentIds,
  };
}

/** Form values → the PUT body: empty causes, whys and fishbone rows are left out. */
export function toAnalysisInput(v: AnalysisValues): AnalysisInput {
  const s = (x?: string) => (x && x.trim() ? x.trim() : undefined);
  const body: AnalysisInput = {
    fiveWhys: (v.fiveWhys ?? []).filter((w) => s(w.why) && s(w.answer)).map((w) => ({ why: s(w.why)!, answer: s(w.answer)! })),
    fishbone: (v.fishbone ?? []).filter((f) => f.branch && s(f.text)).map((f) => ({
      branch: f.branch as AnalysisInput['fishbone'][number]['branch'], text: s(f.text)!, certainty: f.certainty ?? 'hypothesis',
    })),
    evidenceAttachmentIds: v.evidenceAttachmentIds ?? [],
  };
  for (const k of [...CAUSES, ...QUALITY_CAUSES]) {
    const c = v[k];
    if (c && s(c.text)) body[k] = { text: s(c.text)!, certainty: c.certainty ?? 'hypothesis', evidenceAttachmentIds: c.evidenceAttachmentIds ?? [] };
  }
  if (v.rootCauseClass) body.rootCauseClass = v.rootCauseClass;
  if (v.responsibleDepartmentId) body.responsibleDepartmentId = v.responsibleDepartmentId;
  return body;
}

function AnalysisDrawer({ ticket, analysis, onClose }: { ticket: Ticket; analysis: RootCauseAnalysis | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<AnalysisValues>();
  const screens = Grid.useBreakpoint();
  const departments = useDepartments();
  const save = useRectCommand(ticket.id, (body: AnalysisInput) => rectApi.saveAnalysis(ticket.id, body), 'rectification.analysis.saved');
  const quality = isQuality(ticket);

  const submit = async () => {
    const v = await form.validateFields();
    try {
      await save.mutateAsync(toAnalysisInput(v));
      onClose();
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) {
        form.setFields(err.fields.map((f) => ({ name: fieldPath(f.path.replace(/^analysis\./, '')) as never, errors: [fieldMessage(t, f)] })));
      }
    }
  };

  return (
    <Drawer
      open
      title={t('rectification.analysis.title')}
      size={screens.md ? 820 : '100%'}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Space style={{ float: 'right' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={submit} data-testid="analysis-save">{t('common.save')}</Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" initialValues={toValues(analysis)}>
        <CauseFields name="directCause" ticketId={ticket.id} />
        <CauseFields name="indirectCause" ticketId={ticket.id} />
        <Form.List name="fiveWhys">
          {(fields, { add, remove, move }) => (
            <Form.Item label={t('rectification.analysis.fiveWhys')} extra={t('rectification.analysis.fiveWhysHint')}>
              {fields.map((f, i) => (
                <Row key={f.key} gutter={8} align="top" style={{ marginBottom: 6 }} wrap={false}>
                  <Col flex="none" style={{ lineHeight: '32px', width: 24, textAlign: 'right' }}>{i + 1}.</Col>
                  <Col flex="auto">
                    <Row gutter={[8, 6]}>
                      <Col xs={24} md={12}>
                        <Form.Item name={[f.name, 'why']} noStyle>
                          <Input placeholder={t('rectification.analysis.why', { n: i + 1 })} maxLength={500} data-testid={`why-${i}`} />
                        </Form.Item>
                      </Col>
                      <Col xs={24} md={12}>
                        <Form.Item name={[f.name, 'answer']} noStyle>
                          <Input placeholder={t('rectification.analysis.answer')} maxLength={500} data-testid={`answer-${i}`} />
                        </Form.Item>
                      </Col>
                    </Row>
                  </Col>
                  <Col flex="none">
                    <Space.Compact>
                      <Button icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, i - 1)} aria-label={t('rectification.moveUp')} />
                      <Button icon={<ArrowDownOutlined />} disabled={i === fields.length - 1} onClick={() => move(i, i + 1)} aria-label={t('rectification.moveDown')} />
                      <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.delete')} />
                    </Space.Compact>
                  </Col>
                </Row>
              ))}
              {fields.length < 10 ? <Button type="dashed" size="small" icon={<PlusOutlined />} onClick={() => add({})} data-testid="why-add">{t('rectification.analysis.addWhy')}</Button> : null}
            </Form.Item>
          )}
        </Form.List>
        <CauseFields name="rootCause" ticketId={ticket.id} required />
        {quality ? (
          <>
            <CauseFields name="occurrenceCause" ticketId={ticket.id} />
            <CauseFields name="escapeCause" ticketId={ticket.id} />
            <Form.List name="fishbone">
              {(fields, { add, remove }) => (
                <Form.Item label={t('rectification.analysis.fishbone')} extra={t('rectification.analysis.fishboneHint')}>
                  {fields.map((f) => (
                    <Space.Compact key={f.key} style={{ width: '100%', marginBottom: 6 }}>
                      <Form.Item name={[f.name, 'branch']} noStyle initialValue="man">
                        <Select style={{ width: 90 }} options={FISHBONE_BRANCHES.map((b) => ({ value: b, label: t(`rectification.fishbone.${b}`) }))} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'text']} noStyle><Input maxLength={500} /></Form.Item>
                      <Form.Item name={[f.name, 'certainty']} noStyle initialValue="hypothesis">
                        <Select style={{ width: 96 }} options={[
                          { value: 'verified', label: t('rectification.certainty.verified') },
                          { value: 'hypothesis', label: t('rectification.certainty.hypothesis') },
                        ]} />
                      </Form.Item>
                      <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.delete')} />
                    </Space.Compact>
                  ))}
                  <Button type="dashed" size="small" icon={<PlusOutlined />} onClick={() => add({ branch: 'man', certainty: 'hypothesis' })}>{t('rectification.analysis.addFishbone')}</Button>
                </Form.Item>
              )}
            </Form.List>
          </>
        ) : null}
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <Form.Item name="rootCauseClass" label={t('rectification.analysis.rootCauseClass')}>
              <Select allowClear options={ROOT_CAUSE_CLASSES.map((c) => ({ value: c, label: t(`rootCauseClass.${c}`) }))} data-testid="analysis-class" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="responsibleDepartmentId" label={t('rectification.analysis.responsibleDepartment')}>
              <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))} data-testid="analysis-department" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="evidenceAttachmentIds" label={t('rectification.evidence.label')}><EvidencePicker ticketId={ticket.id} /></Form.Item>
      </Form>
    </Drawer>
  );
}

function DisputeList({ ticket, rect }: { ticket: Ticket; rect: Rectification }) {
  const { t } = useTranslation();
  const me = useMe();
  const departments = useDepartments();
  const [raising, setRaising] = useState(false);
  const [deciding, setDeciding] = useState<Dispute | null>(null);
  const [form] = Form.useForm();
  const [decideForm] = Form.useForm();
  const raise = useRectCommand(ticket.id, (b: { departmentId: string; reason: string; proposedDepartmentId?: string }) => rectApi.raiseDispute(ticket.id, b), 'rectification.dispute.raised');
  const decide = useRectCommand(ticket.id, (b: { id: string; decision: 'upheld' | 'reassigned'; responsibleDepartmentId?: string; reasons: string }) =>
    rectApi.decideDispute(ticket.id, b.id, { decision: b.decision, reasons: b.reasons, ...(b.responsibleDepartmentId ? { responsibleDepartmentId: b.responsibleDepartmentId } : {}) }), 'rectification.dispute.decided');
  const manager = hasRole(me, 'admin', 'manager');
  const deptName = (id: string | null) => (id ? departments.data?.find((d) => d.id === id)?.name ?? '—' : '—');
  const responsible = rect.analysis?.responsibleDepartment;
  const mayRaise = !!responsible && (manager || me.departments.some((d) => d.id === responsible.id)) && !['closed', 'cancelled'].includes(ticket.status);
  const decisionField = Form.useWatch('decision', decideForm);
  if (!rect.disputes.length && !mayRaise) return null;
  const deptOptions = (departments.data ?? []).map((d) => ({ value: d.id, label: d.name }));
  return (
    <div style={{ marginTop: 12 }} data-testid="disputes">
      <Space style={{ marginBottom: 8 }}>
        <Typography.Text strong>{t('rectification.dispute.title')}</Typography.Text>
        {mayRaise ? <Button size="small" onClick={() => { form.resetFields(); setRaising(true); }} data-testid="dispute-raise">{t('rectification.dispute.raise')}</Button> : null}
      </Space>
      {rect.disputes.map((d) => (
        <Card key={d.id} size="small" type="inner" style={{ marginBottom: 8 }}>
          <Space orientation="vertical" size={2} style={{ width: '100%' }}>
            <Space wrap size={8}>
              <Tag color={d.status === 'open' ? 'orange' : 'default'}>{t(`rectification.dispute.status.${d.status}`)}</Tag>
              <span>{t('rectification.dispute.raisedBy', { dept: d.department.name, name: d.raisedBy?.displayName ?? '—' })}</span>
              <Typography.Text type="secondary"><TimeText value={d.raisedAt} /></Typography.Text>
              {d.underApproval ? <Tag color="processing">{t('approvals.disputeUnderApproval')}</Tag> : null}
              {d.status === 'open' && manager && !d.underApproval ? <Button size="small" type="link" onClick={() => { decideForm.resetFields(); setDeciding(d); }} data-testid="dispute-decide">{t('rectification.dispute.decide')}</Button> : null}
            </Space>
            <div style={pre}>{d.reason}{d.proposedDepartmentId ? `（${t('rectification.dispute.proposed', { dept: deptName(d.proposedDepartmentId) })}）` : ''}</div>
            {d.status === 'decided' ? (
              <div style={pre}>
                <Tag color={d.decision === 'reassigned' ? 'blue' : 'default'}>{t(`rectification.dispute.decision.${d.decision}`)}</Tag>
                {d.decision === 'reassigned' ? `${t('rectification.dispute.newDept', { dept: deptName(d.responsibleDepartmentId) })} · ` : ''}
                {d.reasons} <Typography.Text type="secondary">— {d.decidedBy?.displayName}</Typography.Text>
              </div>
            ) : null}
          </Space>
        </Card>
      ))}
      <Modal open={raising} title={t('rectification.dispute.raise')} onCancel={() => setRaising(false)} okText={t('common.submit')} confirmLoading={raise.isPending}
        onOk={async () => {
          const v = await form.validateFields();
          await raise.mutateAsync({ departmentId: v.departmentId, reason: v.reason.trim(), ...(v.proposedDepartmentId ? { proposedDepartmentId: v.proposedDepartmentId } : {}) }).then(() => setRaising(false), () => undefined);
        }}>
        <Form form={form} layout="vertical" initialValues={{ departmentId: responsible?.id }}>
          <Form.Item name="departmentId" label={t('rectification.dispute.department')} rules={[{ required: true }]}>
            <Select options={deptOptions.filter((o) => manager || me.departments.some((d) => d.id === o.value))} />
          </Form.Item>
          <Form.Item name="reason" label={t('rectification.dispute.reason')} rules={[{ required: true, whitespace: true, message: t('validation.requiredNamed', { field: t('rectification.dispute.reason') }) }]}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
          <Form.Item name="proposedDepartmentId" label={t('rectification.dispute.proposedLabel')}><Select allowClear options={deptOptions} /></Form.Item>
        </Form>
      </Modal>
      <Modal open={!!deciding} title={t('rectification.dispute.decide')} onCancel={() => setDeciding(null)} okText={t('common.confirm')} confirmLoading={decide.isPending}
        onOk={async () => {
          const v = await decideForm.validateFields();
          await decide.mutateAsync({ id: deciding!.id, decision: v.decision, reasons: v.reasons.trim(), responsibleDepartmentId: v.responsibleDepartmentId }).then(() => setDeciding(null), () => undefined);
        }}>
        <Form form={decideForm} layout="vertical" initialValues={{ decision: 'upheld', responsibleDepartmentId: deciding?.proposedDepartmentId ?? undefined }}>
          <Form.Item name="decision" label={t('rectification.dispute.decisionLabel')}>
            <Radio.Group options={[
              { value: 'upheld', label: t('rectification.dispute.decision.upheld') },
              { value: 'reassigned', label: t('rectification.dispute.decision.reassigned') },
            ]} />
          </Form.Item>
          {decisionField === 'reassigned' ? (
            <Form.Item name="responsibleDepartmentId" label={t('rectification.analysis.responsibleDepartment')} rules={[{ required: true }]}><Select options={deptOptions} /></Form.Item>
          ) : null}
          <Form.Item name="reasons" label={t('rectification.dispute.reasons')} rules={[{ required: true, whitespace: true, message: t('validation.requiredNamed', { field: t('rectification.dispute.reasons') }) }]}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}

export function AnalysisCard({ ticket, rect }: { ticket: Ticket; rect: Rectification }) {
  const { t } = useTranslation();
  const me = useMe();
  const [editing, setEditing] = useState(false);
  const editable = canEditAnalysis(ticket, me);
  const a = rect.analysis;
  if (!a && !editable) return null;
  return (
    <Card
      size="small"
      title={t('rectification.analysis.title')}
      extra={editable ? <Button size="small" type={a ? 'default' : 'primary'} icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="analysis-edit">{a ? t('common.edit') : t('rectification.analysis.start')}</Button> : null}
      data-testid="analysis-card"
    >
      {a ? <AnalysisView ticket={ticket} a={a} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('rectification.analysis.empty')} />}
      <DisputeList ticket={ticket} rect={rect} />
      {editing ? <AnalysisDrawer ticket={ticket} analysis={a} onClose={() => setEditing(false)} /> : null}
    </Card>
  );
}
