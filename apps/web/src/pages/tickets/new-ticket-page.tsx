/**
 * 新建工单 — the guided intake form (SPEC §2): customer (looked up by phone or e-mail, with
 * their earlier tickets), the problem told as scene / phenomenon / tried measures, product,
 * times and urgency, category fields, attachments with preview; phone intake needs the
 * read-back confirmation. Server field errors land on their fields, in the user's language.
 */
import {
  Alert, App, Button, Card, Checkbox, Col, DatePicker, Form, Grid, Input, Modal, Radio, Row, Select, Space,
  Typography, Upload, type UploadFile,
} from 'antd';
import { InboxOutlined, SearchOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { CHANNELS, PRIORITIES, URGENCIES, type Customer, type TicketCreate } from '@closeloop/contract';
import { ApiError, api } from '../../app/api.js';
import { errorMessage, fieldLabelKey, fieldMessage, fieldPath } from '../../app/errors.js';
import { categoryName, useCategories } from '../../app/lookups.js';
import { isStaff, useMe } from '../../app/session.js';
import { uuid } from '../../app/uuid.js';
import { FormFieldsGrid, formValuesForApi } from '../../forms/form-field-input.js';
import { localLabel, useCategoryForm } from '../../forms/forms-api.js';
import { CustomerLookupResults } from './customer-lookup.js';
import { IntakeSuggestions } from '../followup/intake-suggestions.js';

interface FormValues {
  customer: { name?: string; phone?: string; email?: string };
  channel: TicketCreate['channel'];
  category?: string;
  title?: string;
  scene?: string;
  phenomenon?: string;
  triedMeasures?: string;
  description?: string;
  occurredAt?: Dayjs;
  urgency?: TicketCreate['urgency'];
  expectedBy?: Dayjs;
  priority?: TicketCreate['priority'];
  orderNo?: string;
  product: { model?: string; sku?: string; serial?: string; purchaseDate?: Dayjs };
  customFields?: Record<string, unknown>;
  readBackConfirmed?: boolean;
}

const blank = (s: string | undefined) => (s && s.trim() ? s.trim() : undefined);

/** Form values → the API body; empty optional fields are left out rather than sent empty. */
function toCreate(v: FormValues): TicketCreate {
  // Form engine: empty values dropped, table rows cleaned (forms/form-field-input.tsx).
  const customFields = formValuesForApi(v.customFields) as TicketCreate['customFields'];
  return {
    title: v.title?.trim() ?? '',
    description: v.description?.trim() ?? '',
    channel: v.channel,
    customer: { name: v.customer.name?.trim() ?? '', phone: blank(v.customer.phone), email: blank(v.customer.email) } as TicketCreate['customer'],
    product: {
      model: v.product.model?.trim() ?? '',
      sku: blank(v.product.sku),
      serial: blank(v.product.serial),
      purchaseDate: v.product.purchaseDate ? v.product.purchaseDate.format('YYYY-MM-DD') : undefined,
    },
    occurredAt: (v.occurredAt ?? dayjs()).format(),
    urgency: v.urgency ?? 'medium',
    expectedBy: v.expectedBy ? v.expectedBy.format() : undefined,
    category: v.category ?? '',
    priority: v.priority,
    orderNo: blank(v.orderNo),
    customFields: customFields && Object.keys(customFields).length ? customFields : undefined,
    scene: blank(v.scene),
    phenomenon: blank(v.phenomenon),
    triedMeasures: blank(v.triedMeasures),
    readBackConfirmed: v.channel === 'phone' ? !!v.readBackConfirmed : undefined,
  };
}

export default function NewTicketPage() {
  const { t } = useTranslation();
  const me = useMe();
  const staff = isStaff(me);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const isMobile = screens.md === false;
  const [form] = Form.useForm<FormValues>();
  const categories = useCategories();
  const channel = Form.useWatch('channel', form);
  const categoryId = Form.useWatch('category', form);
  const category = useMemo(() => categories.data?.find((c) => c.id === categoryId), [categories.data, categoryId]);
  const categoryForm = useCategoryForm(categoryId);
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [preview, setPreview] = useState<{ url: string; name: string } | null>(null);
  const [lookup, setLookup] = useState<{ phone?: string; email?: string }>({});
  const [usedCustomer, setUsedCustomer] = useState<string | undefined>();
  const [serverErrors, setServerErrors] = useState<string[]>([]);
  // One key per submission attempt: a retry after a lost answer cannot create a second ticket.
  const idempotencyKey = useRef(uuid());

  useEffect(() => {
    document.title = `${t('crumb.newTicket')} - ${t('app.shortName')}`;
  }, [t]);

  const initialValues: Partial<FormValues> = {
    channel: staff ? 'phone' : 'web',
    urgency: 'medium',
    occurredAt: dayjs().second(0).millisecond(0),
    customer: staff ? {} : { name: me.displayName, phone: me.phone ?? undefined, email: me.email ?? undefined },
    product: {},
  };

  const create = useMutation({
    mutationFn: async (values: FormValues) => {
      const ticket = await api.createTicket(toCreate(values), idempotencyKey.current);
      let uploadFailed = false;
      const pending = files.map((f) => f.originFileObj).filter((f): f is NonNullable<typeof f> => !!f);
      if (pending.length) {
        try {
          await api.upload(ticket.id, pending);
        } catch {
          uploadFailed = true;
        }
      }
      return { ticket, uploadFailed };
    },
    onSuccess: ({ ticket, uploadFailed }) => {
      idempotencyKey.current = uuid();
      void qc.invalidateQueries({ queryKey: ['tickets'] });
      message.success(t('newTicket.created', { number: ticket.number }));
      if (uploadFailed) message.warning(t('newTicket.uploadFailed'));
      navigate(`/tickets/${ticket.id}`);
    },
    onError: (err) => {
      if (err instanceof ApiError && err.status >= 400 && err.status < 500) idempotencyKey.current = uuid();
      if (err instanceof ApiError && err.fields.length) {
        const known = new Set<string>();
        form.setFields(err.fields.map((f) => {
          known.add(f.path);
          return { name: fieldPath(f.path) as never, errors: [fieldMessage(t, f)] };
        }));
        setServerErrors(err.fields.map((f) => `${labelOf(f.path)}${t('common.colon')}${fieldMessage(t, f)}`));
        const first = err.fields[0];
        if (first) form.scrollToField(fieldPath(first.path) as never, { block: 'center' });
      } else {
        setServerErrors([errorMessage(t, err)]);
      }
    },
  });

  const labelOf = (path: string) => {
    const key = `field.${fieldLabelKey(path)}`;
    const translated = t(key);
    if (translated !== key) return translated;
    const cf = path.startsWith('customFields.') ? categoryForm.data?.fields.find((d) => path.split('.')[1] === d.key) : undefined;
    return cf ? localLabel(cf) : path;
  };

  const applyCustomer = (c: Customer) => {
    setUsedCustomer(c.id);
    // What the record lacks, the agent may just have typed: keep it.
    const typed = (form.getFieldValue('customer') ?? {}) as FormValues['customer'];
    form.setFieldsValue({ customer: { name: c.name, phone: c.phone ?? typed.phone, email: c.email ?? typed.email } });
    void form.validateFields([['customer', 'name'], ['customer', 'phone'], ['customer', 'email']]).catch(() => undefined);
  };

  const runLookup = () => {
    const phone = blank(form.getFieldValue(['customer', 'phone']) as string | undefined);
    const email = blank(form.getFieldValue(['customer', 'email']) as string | undefined);
    setLookup(phone ? { phone } : email ? { email } : {});
  };

  const col = { xs: 24, md: 12, xl: 8 };
  const contactRule = ({ getFieldValue }: { getFieldValue: (n: (string | number)[]) => unknown }) => ({
    validator: () => (blank(getFieldValue(['customer', 'phone']) as string) || blank(getFieldValue(['customer', 'email']) as string)
      ? Promise.resolve() : Promise.reject(new Error(t('validation.contactRequired')))),
  });

  return (
    <Form<FormValues>
      form={form}
      layout="vertical"
      initialValues={initialValues}
      onFinish={(v) => { setServerErrors([]); create.mutate(v); }}
      onFinishFailed={({ errorFields }) => {
        setServerErrors([]);
        if (errorFields[0]) form.scrollToField(errorFields[0].name, { block: 'center' });
      }}
      scrollToFirstError={false}
      data-testid="new-ticket-form"
    >
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        {serverErrors.length ? (
          <Alert
            type="error"
            showIcon
            title={t('newTicket.fixErrors')}
            description={<ul style={{ margin: 0, paddingLeft: 18 }}>{serverErrors.map((e) => <li key={e}>{e}</li>)}</ul>}
            data-testid="form-errors"
          />
        ) : null}

        <Card size="small" title={t('newTicket.sectionCustomer')}>
          <Row gutter={16}>
            <Col {...col}>
              <Form.Item name={['customer', 'phone']} label={t('field.customerPhone')} dependencies={[['customer', 'email']]} rules={[contactRule]}>
                <Input
                  inputMode="tel"
                  maxLength={32}
                  placeholder={t('newTicket.phonePlaceholder')}
                  onBlur={staff ? runLookup : undefined}
                  suffix={staff ? <SearchOutlined onClick={runLookup} aria-label={t('customer.lookup')} style={{ cursor: 'pointer' }} /> : null}
                />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name={['customer', 'email']} label={t('field.customerEmail')} dependencies={[['customer', 'phone']]} rules={[contactRule]}>
                <Input inputMode="email" maxLength={254} placeholder={t('newTicket.emailPlaceholder')} onBlur={staff ? runLookup : undefined} />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name={['customer', 'name']} label={t('field.customerName')} rules={[{ required: true, whitespace: true, message: t('validation.requiredNamed', { field: t('field.customerName') }) }]}>
                <Input maxLength={64} />
              </Form.Item>
            </Col>
          </Row>
          {staff ? (
            <>
              <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8 }}>{t('newTicket.lookupHint')}</Typography.Text>
              <CustomerLookupResults phone={lookup.phone} email={lookup.email} onUse={applyCustomer} usedId={usedCustomer} />
            </>
          ) : null}
        </Card>

        <Card size="small" title={t('newTicket.sectionProblem')}>
          <Row gutter={16}>
            {staff ? (
              <Col {...col}>
                <Form.Item name="channel" label={t('field.channel')} rules={[{ required: true, message: t('validation.requiredNamed', { field: t('field.channel') }) }]}>
                  <Select options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))} />
                </Form.Item>
              </Col>
            ) : null}
            <Col {...col}>
              <Form.Item name="category" label={t('field.category')} rules={[{ required: true, message: t('validation.requiredNamed', { field: t('field.category') }) }]}>
                <Select
                  loading={categories.isLoading}
                  placeholder={t('common.pleaseSelect')}
                  options={(categories.data ?? []).filter((c) => c.active).map((c) => ({ value: c.id, label: categoryName(c) }))}
                  notFoundContent={categories.isError ? errorMessage(t, categories.error) : undefined}
                  data-testid="category-select"
                />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="urgency" label={t('field.urgency')} rules={[{ required: true, message: t('validation.requiredNamed', { field: t('field.urgency') }) }]}>
                <Radio.Group optionType="button" buttonStyle="solid" options={URGENCIES.map((u) => ({ value: u, label: t(`urgency.${u}`) }))} />
              </Form.Item>
            </Col>
            <Col xs={24}>
              <Form.Item name="title" label={t('field.title')} rules={[{ required: true, whitespace: true, message: t('validation.requiredNamed', { field: t('field.title') }) }]}>
                <Input maxLength={200} showCount placeholder={t('newTicket.titlePlaceholder')} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="scene" label={t('field.scene')} tooltip={t('newTicket.sceneHelp')}>
                <Input.TextArea rows={3} maxLength={2000} placeholder={t('newTicket.scenePlaceholder')} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="phenomenon" label={t('field.phenomenon')} tooltip={t('newTicket.phenomenonHelp')}>
                <Input.TextArea rows={3} maxLength={2000} placeholder={t('newTicket.phenomenonPlaceholder')} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="triedMeasures" label={t('field.triedMeasures')} tooltip={t('newTicket.triedHelp')}>
                <Input.TextArea rows={3} maxLength={2000} placeholder={t('newTicket.triedPlaceholder')} />
              </Form.Item>
            </Col>
            <Col xs={24}>
              <Form.Item name="description" label={t('field.description')} rules={[{ required: true, whitespace: true, message: t('validation.requiredNamed', { field: t('field.description') }) }]}>
                <Input.TextArea rows={4} maxLength={20000} placeholder={t('newTicket.descriptionPlaceholder')} />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="occurredAt" label={t('field.occurredAt')} rules={[{ required: true, message: t('validation.requiredNamed', { field: t('field.occurredAt') }) }]}>
                <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs().endOf('day'))} />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="expectedBy" label={t('field.expectedBy')} rules={[{ required: true, message: t('validation.requiredNamed', { field: t('field.expectedBy') }) }]}>
                <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} disabledDate={(d) => d.isBefore(dayjs().startOf('day'))} data-testid="expected-by" />
              </Form.Item>
            </Col>
            {staff ? (
              <Col {...col}>
                <Form.Item name="priority" label={t('field.priority')} tooltip={t('newTicket.priorityHelp')}>
                  <Select allowClear placeholder={t('newTicket.priorityAuto')} options={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))} />
                </Form.Item>
              </Col>
            ) : null}
            <Col {...col}>
              <Form.Item name="orderNo" label={t('field.orderNo')}>
                <Input maxLength={64} />
              </Form.Item>
            </Col>
          </Row>
          {channel === 'phone' ? (
            <Form.Item
              name="readBackConfirmed"
              valuePropName="checked"
              rules={[{ validator: (_r, v) => (v ? Promise.resolve() : Promise.reject(new Error(t('newTicket.readBackRequired')))) }]}
            >
              <Checkbox data-testid="read-back">{t('field.readBackConfirmed')}</Checkbox>
            </Form.Item>
          ) : null}
        </Card>

        <Card size="small" title={t('newTicket.sectionProduct')}>
          <Row gutter={16}>
            <Col xs={24} md={12} xl={6}>
              <Form.Item name={['product', 'model']} label={t('field.productModel')} rules={[{ required: true, whitespace: true, message: t('validation.requiredNamed', { field: t('field.productModel') }) }]}>
                <Input maxLength={100} data-testid="product-model" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Form.Item name={['product', 'sku']} label={t('field.productSku')}><Input maxLength={64} /></Form.Item>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Form.Item name={['product', 'serial']} label={t('field.productSerial')}><Input maxLength={64} /></Form.Item>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Form.Item name={['product', 'purchaseDate']} label={t('field.productPurchaseDate')}>
                <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs())} />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        {category && categoryForm.data?.fields.length ? (
          <Card size="small" title={t('newTicket.sectionCategory', { name: categoryName(category) })} data-testid="form-fields">
            <FormFieldsGrid fields={categoryForm.data.fields} />
          </Card>
        ) : null}

        {staff ? <IntakeSuggestions /> : null}
        <Card size="small" title={t('newTicket.sectionAttachments')}>
          <Upload.Dragger
            multiple
            listType="picture"
            fileList={files}
            beforeUpload={() => false}
            onChange={({ fileList }) => setFiles(fileList.slice(0, 10))}
            onPreview={(f) => {
              if (f.originFileObj && f.type?.startsWith('image/')) setPreview({ url: URL.createObjectURL(f.originFileObj), name: f.name });
            }}
            accept="image/*,video/*,.pdf,.doc,.docx,.xls,.xlsx,.txt,.zip"
          >
            <p className="ant-upload-drag-icon"><InboxOutlined /></p>
            <p>{t('newTicket.uploadHint')}</p>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('newTicket.uploadSub')}</Typography.Text>
          </Upload.Dragger>
        </Card>

        <div
          style={{
            position: 'sticky', bottom: 0, background: '#fff', padding: '10px 12px', borderTop: '1px solid #f0f0f0',
            display: 'flex', justifyContent: isMobile ? 'stretch' : 'flex-end', gap: 8, zIndex: 5,
          }}
        >
          <Button onClick={() => navigate(-1)} style={isMobile ? { flex: 1 } : undefined}>{t('common.cancel')}</Button>
          <Button type="primary" htmlType="submit" loading={create.isPending} style={isMobile ? { flex: 2 } : undefined} data-testid="submit-ticket">
            {t('newTicket.submit')}
          </Button>
        </div>
      </Space>
      <Modal open={!!preview} footer={null} title={preview?.name} onCancel={() => { if (preview) URL.revokeObjectURL(preview.url); setPreview(null); }}>
        {preview ? <img src={preview.url} alt={preview.name} style={{ width: '100%' }} /> : null}
      </Modal>
    </Form>
  );
}
