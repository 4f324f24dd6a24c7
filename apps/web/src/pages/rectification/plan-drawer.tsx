/**
 * 提交整改方案 (submit_plan): the summary and the measures as an editable table — type, action, one
 * owner, due date and a criterion built from 指标 + 运算符 + 目标值 + 单位 + 持续/样本 or a 是/否 check.
 * A revision starts from the rejected version (measures keep their previousId for the diff) with
 * the rejection opinion beside it. Vague wording comes back as a 422 per row; 仍然提交 acknowledges it.
 */
import { Alert, Button, Card, Col, DatePicker, Drawer, Form, Grid, Input, InputNumber, Row, Select, Space, Table, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  METRIC_OPERATORS, PREVENTIVE_KINDS, type Criterion, type MeasureInput, type MetricOperator, type PlanVersion, type Ticket, type Transition,
} from '@closeloop/contract';
import { ApiError } from '../../app/api.js';
import { fieldMessage } from '../../app/errors.js';
import { useTicketCommand } from '../tickets/use-ticket-command.js';
import { PersonSelect } from './pickers.js';
import { useRectification } from './rect-api.js';
import { warningText } from './rect-format.js';

const OP_LABEL: Record<string, string> = { '<': '<', '<=': '≤', '=': '=', '>=': '≥', '>': '>' };

export interface MeasureRow {
  previousId?: string;
  type?: 'corrective' | 'preventive';
  preventiveKind?: (typeof PREVENTIVE_KINDS)[number];
  action?: string;
  ownerId?: string;
  dueDate?: Dayjs;
  criterion?: { kind?: 'metric' | 'check'; metric?: string; operator?: MetricOperator; target?: number; unit?: string; duration?: string; sample?: string; text?: string };
}
interface PlanValues { summary?: string; measures: MeasureRow[] }

/** A version's measures as rows of a revision (previousId = the measure revised). */
export function rowsFrom(version: PlanVersion): MeasureRow[] {
  return version.measures.filter((m) => m.status !== 'cancelled').map((m) => ({
    previousId: m.id,
    type: m.type,
    ...(m.preventiveKind ? { preventiveKind: m.preventiveKind } : {}),
    action: m.action,
    ownerId: m.owner?.id,
    dueDate: m.dueDate ? dayjs(m.dueDate) : undefined,
    criterion: { ...m.criterion },
  }));
}

function toMeasure(r: MeasureRow): MeasureInput {
  const c = r.criterion ?? {};
  const s = (x?: string) => (x && x.trim() ? x.trim() : undefined);
  const criterion: Criterion = c.kind === 'check'
    ? { kind: 'check', text: c.text?.trim() ?? '' }
    : {
      kind: 'metric', metric: c.metric?.trim() ?? '', operator: c.operator ?? '<', target: c.target as number, unit: c.unit?.trim() ?? '',
      ...(s(c.duration) ? { duration: s(c.duration) } : {}), ...(s(c.sample) ? { sample: s(c.sample) } : {}),
    };
  return {
    ...(r.previousId ? { previousId: r.previousId } : {}),
    type: r.type ?? 'corrective',
    ...(r.type === 'preventive' && r.preventiveKind ? { preventiveKind: r.preventiveKind } : {}),
    ownerId: r.ownerId ?? '',
    action: r.action?.trim() ?? '',
    dueDate: r.dueDate ? r.dueDate.format('YYYY-MM-DD') : '',
    criterion,
  };
}

function CriterionBuilder({ name }: { name: number }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const kind = Form.useWatch(['measures', name, 'criterion', 'kind'], form) ?? 'metric';
  const req = (f: string) => [{ required: true, message: t('validation.requiredNamed', { field: f }) }];
  return (
    <Space orientation="vertical" size={4} style={{ width: '100%' }}>
      <Form.Item name={[name, 'criterion', 'kind']} noStyle initialValue="metric">
        <Select size="small" style={{ width: 120 }} options={[
          { value: 'metric', label: t('rectification.criterion.metricKind') },
          { value: 'check', label: t('rectification.criterion.checkKind') },
        ]} data-testid={`m-${name}-ckind`} />
      </Form.Item>
      {kind === 'check' ? (
        <Form.Item name={[name, 'criterion', 'text']} rules={req(t('rectification.criterion.checkText'))} style={{ marginBottom: 0 }}>
          <Input placeholder={t('rectification.criterion.checkPlaceholder')} maxLength={1000} data-testid={`m-${name}-ctext`} />
        </Form.Item>
      ) : (
        <>
          <Form.Item style={{ marginBottom: 0 }}>
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item name={[name, 'criterion', 'metric']} noStyle rules={req(t('rectification.criterion.metric'))}>
              <Input placeholder={t('rectification.criterion.metric')} maxLength={100} style={{ width: '34%' }} data-testid={`m-${name}-metric`} />
            </Form.Item>
            <Form.Item name={[name, 'criterion', 'operator']} noStyle initialValue="<">
              <Select style={{ width: 64 }} options={METRIC_OPERATORS.map((o) => ({ value: o, label: OP_LABEL[o] }))} data-testid={`m-${name}-op`} />
            </Form.Item>
            <Form.Item name={[name, 'criterion', 'target']} noStyle rules={req(t('rectification.criterion.target'))}>
              <InputNumber placeholder={t('rectification.criterion.target')} style={{ width: '26%' }} data-testid={`m-${name}-target`} />
            </Form.Item>
            <Form.Item name={[name, 'criterion', 'unit']} noStyle>
              <Input placeholder={t('rectification.criterion.unit')} maxLength={20} style={{ width: '20%' }} data-testid={`m-${name}-unit`} />
            </Form.Item>
          </Space.Compact>
          </Form.Item>
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item name={[name, 'criterion', 'duration']} noStyle>
              <Input placeholder={t('rectification.criterion.durationPlaceholder')} maxLength={100} data-testid={`m-${name}-duration`} />
            </Form.Item>
            <Form.Item name={[name, 'criterion', 'sample']} noStyle>
              <Input placeholder={t('rectification.criterion.samplePlaceholder')} maxLength={100} />
            </Form.Item>
          </Space.Compact>
        </>
      )}
    </Space>
  );
}

export function SubmitPlanDrawer({ ticket, onClose }: { ticket: Ticket; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<PlanValues>();
  const screens = Grid.useBreakpoint();
  const rect = useRectification(ticket.id, ticket.updatedAt);
  const transition = useTicketCommand(ticket);
  const [warnings, setWarnings] = useState<Record<number, string[]>>({});
  const [topError, setTopError] = useState<string | null>(null);
  const base = rect.data?.revisionBase ?? null;
  const seed = base;
  const hasWarnings = Object.keys(warnings).length > 0;

  const submit = async (acknowledge: boolean) => {
    setTopError(null);
    await form.validateFields();
    // All values, also the unregistered previousId of each revised measure (validateFields drops it).
    const v = form.getFieldsValue(true) as PlanValues;
    const body: Transition = {
      command: 'submit_plan',
      plan: { summary: v.summary?.trim() ?? '', measures: v.measures.map(toMeasure) },
      ...(acknowledge ? { acknowledgeWarnings: true } : {}),
    };
    try {
      await transition.mutateAsync(body);
      onClose();
    } catch (err) {
      if (!(err instanceof ApiError)) return;
      if (err.code === 'UNACKNOWLEDGED_WARNINGS') {
        const w: Record<number, string[]> = {};
        for (const f of err.fields) {
          const m = /^plan\.measures\.(\d+)\./.exec(f.path);
          if (m) (w[Number(m[1])] ??= []).push(warningText(f, t));
        }
        setWarnings(w);
        return;
      }
      const other: string[] = [];
      form.setFields(err.fields.flatMap((f) => {
        const p = f.path.replace(/^plan\./, '');
        if (p.startsWith('analysis')) { other.push(t('rectification.plan.needAnalysis')); return []; }
        return [{ name: p.split('.').map((x) => (/^\d+$/.test(x) ? Number(x) : x)) as never, errors: [fieldMessage(t, f)] }];
      }));
      if (other.length) setTopError(other[0]!);
    }
  };

  if (rect.isPending) return null;
  const initial: PlanValues = seed
    ? { summary: seed.summary, measures: rowsFrom(seed) }
    : { measures: [{ type: 'corrective', criterion: { kind: 'metric', operator: '<' } }] };

  const planForm = (
    <Form form={form} layout="vertical" initialValues={initial}>
      <Form.Item name="summary" label={t('rectification.plan.summary')} rules={[{ required: true, whitespace: true, message: t('validation.requiredNamed', { field: t('rectification.plan.summary') }) }]}>
        <Input.TextArea rows={2} maxLength={4000} data-testid="plan-summary" />
      </Form.Item>
      <Form.List name="measures">
        {(fields, { add, remove, move }) => (
          <>
            <Table
              size="small"
              bordered
              pagination={false}
              rowKey="key"
              dataSource={fields}
              scroll={{ x: 1180 }}
              data-testid="measures-table"
              columns={[
                { title: '#', width: 40, render: (_v, _f, i) => i + 1 },
                {
                  title: t('rectification.measure.type'), width: 150,
                  render: (_v, f) => (
                    <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                      <Form.Item name={[f.name, 'type']} noStyle initialValue="corrective">
                        <Select style={{ width: '100%' }} options={[
                          { value: 'corrective', label: t('rectification.measure.corrective') },
                          { value: 'preventive', label: t('rectification.measure.preventive') },
                        ]} data-testid={`m-${f.name}-type`} />
                      </Form.Item>
                      <Form.Item noStyle shouldUpdate>
                        {() => (form.getFieldValue(['measures', f.name, 'type']) === 'preventive' ? (
                          <Form.Item name={[f.name, 'preventiveKind']} noStyle>
                            <Select allowClear style={{ width: '100%' }} placeholder={t('rectification.measure.preventiveKind')}
                              options={PREVENTIVE_KINDS.map((k) => ({ value: k, label: t(`rectification.preventive.${k}`) }))} />
                          </Form.Item>
                        ) : null)}
                      </Form.Item>
                    </Space>
                  ),
                },
                {
                  title: t('rectification.measure.action'), width: 280,
                  render: (_v, f) => (
                    <>
                      <Form.Item name={[f.name, 'action']} style={{ marginBottom: 0 }} rules={[{ required: true, whitespace: true, message: t('validation.requiredNamed', { field: t('rectification.measure.action') }) }]}>
                        <Input.TextArea rows={2} maxLength={1000} placeholder={t('rectification.measure.actionPlaceholder')} data-testid={`m-${f.name}-action`}
                          onChange={() => warnings[f.name] && setWarnings((w) => { const n = { ...w }; delete n[f.name]; return n; })} />
                      </Form.Item>
                      {warnings[f.name]?.map((w, i) => <Alert key={i} type="warning" showIcon message={w} style={{ marginTop: 4, padding: '2px 8px' }} data-testid={`m-${f.name}-warning`} />)}
                    </>
                  ),
                },
                {
                  title: t('rectification.measure.owner'), width: 170,
                  render: (_v, f) => (
                    <Form.Item name={[f.name, 'ownerId']} style={{ marginBottom: 0 }} rules={[{ required: true, message: t('validation.requiredNamed', { field: t('rectification.measure.owner') }) }]}>
                      <PersonSelect testId={`m-${f.name}-owner`} placeholder={t('common.pleaseSelect')} />
                    </Form.Item>
                  ),
                },
                {
                  title: t('rectification.measure.dueDate'), width: 140,
                  render: (_v, f) => (
                    <Form.Item name={[f.name, 'dueDate']} style={{ marginBottom: 0 }} rules={[{ required: true, message: t('validation.requiredNamed', { field: t('rectification.measure.dueDate') }) }]}>
                      <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isBefore(dayjs().startOf('day'))} data-testid={`m-${f.name}-due`} />
                    </Form.Item>
                  ),
                },
                { title: t('rectification.measure.criterion'), width: 340, render: (_v, f) => <CriterionBuilder name={f.name} /> },
                {
                  title: t('common.actions'), width: 100, fixed: screens.md ? 'right' : undefined,
                  render: (_v, f, i) => (
                    <Space.Compact>
                      <Button size="small" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, i - 1)} aria-label={t('rectification.moveUp')} />
                      <Button size="small" icon={<ArrowDownOutlined />} disabled={i === fields.length - 1} onClick={() => move(i, i + 1)} aria-label={t('rectification.moveDown')} />
                      <Button size="small" danger icon={<DeleteOutlined />} disabled={fields.length === 1} onClick={() => { remove(f.name); setWarnings({}); }} aria-label={t('common.delete')} />
                    </Space.Compact>
                  ),
                },
              ]}
            />
            {fields.length < 50 ? (
              <Button type="dashed" block icon={<PlusOutlined />} style={{ marginTop: 8 }} onClick={() => add({ type: 'corrective', criterion: { kind: 'metric', operator: '<' } })} data-testid="measure-add">
                {t('rectification.plan.addMeasure')}
              </Button>
            ) : null}
            <Typography.Paragraph type="secondary" style={{ marginTop: 8, fontSize: 12 }}>{t('rectification.plan.hint')}</Typography.Paragraph>
          </>
        )}
      </Form.List>
    </Form>
  );

  return (
    <Drawer
      open
      title={base ? t('rectification.plan.revise', { n: (rect.data?.plans[0]?.version ?? 0) + 1 }) : t('command.submit_plan')}
      size={screens.lg ? 1240 : '100%'}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Space style={{ float: 'right' }} wrap>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          {hasWarnings ? (
            <Button danger loading={transition.isPending} onClick={() => void submit(true)} data-testid="plan-submit-anyway">{t('rectification.plan.submitAnyway')}</Button>
          ) : null}
          <Button type="primary" loading={transition.isPending} onClick={() => void submit(false)} data-testid="plan-submit">{t('common.submit')}</Button>
        </Space>
      }
    >
      {topError ? <Alert type="error" showIcon message={topError} style={{ marginBottom: 12 }} /> : null}
      {hasWarnings ? <Alert type="warning" showIcon message={t('rectification.plan.warningsTitle')} description={t('rectification.plan.warningsText')} style={{ marginBottom: 12 }} /> : null}
      {base ? (
        <Row gutter={16}>
          <Col xs={24} xl={18}>{planForm}</Col>
          <Col xs={{ span: 24, order: -1 }} xl={{ span: 6, order: 1 }}>
            <Card size="small" title={t('rectification.plan.rejectedOpinion', { n: base.version })} style={{ marginBottom: 12, borderColor: '#ffccc7' }} data-testid="revision-opinion">
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 4 }}>{base.opinion || '—'}</Typography.Paragraph>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{base.decidedBy?.displayName}</Typography.Text>
            </Card>
          </Col>
        </Row>
      ) : planForm}
    </Drawer>
  );
}
