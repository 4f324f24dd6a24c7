/**
 * 提交方案: root-cause analysis (direct / root cause, 5-Why, class, responsible department) and
 * the rectification plan — measures with one owner, a concrete action, a due date and a
 * verification criterion. Vague actions (尽快, 加强 …) are flagged, not refused.
 */
import { Button, Card, Col, DatePicker, Drawer, Form, Grid, Input, Row, Select, Space } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ROOT_CAUSE_CLASSES, type Ticket, type Transition } from '@closeloop/contract';
import { ApiError } from '../../app/api.js';
import { fieldMessage, fieldPath } from '../../app/errors.js';
import { useDepartments, useUsers } from '../../app/lookups.js';
import { useTicketCommand } from './use-ticket-command.js';

const VAGUE = /尽快|加强|注意|适当|及时|尽量|进一步|as soon as possible|asap|strengthen|improve/i;

interface MeasureValues { action?: string; ownerId?: string; dueDate?: Dayjs; criterion?: string }
interface PlanValues {
  directCause?: string;
  rootCause?: string;
  rootCauseClass?: (typeof ROOT_CAUSE_CLASSES)[number];
  fiveWhys?: { why?: string }[];
  responsibleDepartmentId?: string;
  summary?: string;
  measures: MeasureValues[];
}

export function SubmitPlanDrawer({ ticket, onClose }: { ticket: Ticket; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<PlanValues>();
  const screens = Grid.useBreakpoint();
  const departments = useDepartments();
  const users = useUsers();
  const transition = useTicketCommand(ticket);
  const required = (field: string) => [{ required: true, whitespace: true, message: t('validation.requiredNamed', { field }) }];

  const submit = async () => {
    const v = await form.validateFields();
    const s = (x?: string) => (x && x.trim() ? x.trim() : undefined);
    const whys = (v.fiveWhys ?? []).map((w) => s(w.why)).filter((w): w is string => !!w);
    // Interim mapping onto the structured plan of issue #8 (the rectification pages replace this drawer).
    const cause = (text: string) => ({ text, certainty: 'hypothesis' as const, evidenceAttachmentIds: [] });
    const body: Transition = {
      command: 'submit_plan',
      acknowledgeWarnings: true,
      analysis: {
        rootCause: cause(v.rootCause!.trim()),
        ...(s(v.directCause) ? { directCause: cause(s(v.directCause)!) } : {}),
        ...(v.rootCauseClass ? { rootCauseClass: v.rootCauseClass } : {}),
        fiveWhys: whys.map((w, i) => ({ why: `Why ${i + 1}`, answer: w })),
        fishbone: [],
        evidenceAttachmentIds: [],
        ...(v.responsibleDepartmentId ? { responsibleDepartmentId: v.responsibleDepartmentId } : {}),
      },
      plan: {
        summary: v.summary!.trim(),
        measures: v.measures.map((m) => ({
          type: 'corrective' as const,
          action: m.action!.trim(),
          criterion: { kind: 'check' as const, text: m.criterion!.trim() },
          ownerId: m.ownerId ?? '',
          dueDate: m.dueDate ? m.dueDate.format('YYYY-MM-DD') : '',
        })),
      },
    };
    try {
      await transition.mutateAsync(body);
      onClose();
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) {
        form.setFields(err.fields.map((f) => {
          // analysis.rootCause → rootCause; plan.measures.0.action → measures.0.action
          const p = f.path.replace(/^analysis\./, '').replace(/^plan\./, '').replace(/^fiveWhys\.(\d+)$/, 'fiveWhys.$1.why');
          return { name: fieldPath(p) as never, errors: [fieldMessage(t, f)] };
        }));
      }
    }
  };

  return (
    <Drawer
      open
      title={t('command.submit_plan')}
      size={screens.md ? 760 : '100%'}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Space style={{ float: 'right' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={transition.isPending} onClick={submit} data-testid="plan-submit">{t('common.submit')}</Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" initialValues={{ measures: [{}], fiveWhys: [{}] }}>
        <Card size="small" title={t('plan.analysis')} style={{ marginBottom: 12 }}>
          <Form.Item name="directCause" label={t('field.directCause')}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
          <Form.List name="fiveWhys">
            {(fields, { add, remove }) => (
              <Form.Item label={t('field.fiveWhys')}>
                {fields.map((f, i) => (
                  <Space.Compact key={f.key} style={{ width: '100%', marginBottom: 6 }}>
                    <Form.Item name={[f.name, 'why']} noStyle><Input placeholder={t('plan.why', { n: i + 1 })} maxLength={500} /></Form.Item>
                    <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.delete')} />
                  </Space.Compact>
                ))}
                {fields.length < 10 ? <Button type="dashed" size="small" icon={<PlusOutlined />} onClick={() => add({})}>{t('plan.addWhy')}</Button> : null}
              </Form.Item>
            )}
          </Form.List>
          <Form.Item name="rootCause" label={t('field.rootCause')} rules={required(t('field.rootCause'))}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
          <Row gutter={12}>
            <Col xs={24} md={12}>
              <Form.Item name="rootCauseClass" label={t('field.rootCauseClass')}>
                <Select allowClear options={ROOT_CAUSE_CLASSES.map((c) => ({ value: c, label: t(`rootCauseClass.${c}`) }))} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="responsibleDepartmentId" label={t('field.responsibleDepartmentId')}>
                <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))} />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card size="small" title={t('plan.plan')}>
          <Form.Item name="summary" label={t('field.summary')} rules={required(t('field.summary'))}><Input.TextArea rows={2} maxLength={4000} /></Form.Item>
          <Form.List name="measures">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f, i) => (
                  <Card key={f.key} size="small" type="inner" title={t('plan.measure', { n: i + 1 })} style={{ marginBottom: 8 }}
                    extra={fields.length > 1 ? <Button type="text" danger size="small" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.delete')} /> : null}>
                    <Form.Item
                      name={[f.name, 'action']}
                      label={t('field.action')}
                      rules={[
                        ...required(t('field.action')),
                        { warningOnly: true, validator: (_r, v: string | undefined) => (v && VAGUE.test(v) ? Promise.reject(new Error(t('plan.vague'))) : Promise.resolve()) },
                      ]}
                    >
                      <Input.TextArea rows={2} maxLength={1000} placeholder={t('plan.actionPlaceholder')} />
                    </Form.Item>
                    <Row gutter={12}>
                      <Col xs={24} md={12}>
                        <Form.Item name={[f.name, 'ownerId']} label={t('field.measureOwner')}>
                          <Select allowClear showSearch={{ optionFilterProp: 'label' }}
                            options={(users.data ?? []).filter((u) => u.role !== 'customer' && u.active).map((u) => ({ value: u.id, label: u.displayName }))} />
                        </Form.Item>
                      </Col>
                      <Col xs={24} md={12}>
                        <Form.Item name={[f.name, 'dueDate']} label={t('field.dueDate')}><DatePicker style={{ width: '100%' }} /></Form.Item>
                      </Col>
                    </Row>
                    <Form.Item name={[f.name, 'criterion']} label={t('field.criterion')} rules={required(t('field.criterion'))}>
                      <Input maxLength={1000} placeholder={t('plan.criterionPlaceholder')} />
                    </Form.Item>
                  </Card>
                ))}
                {fields.length < 50 ? <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({})}>{t('plan.addMeasure')}</Button> : null}
              </>
            )}
          </Form.List>
        </Card>
      </Form>
    </Drawer>
  );
}
