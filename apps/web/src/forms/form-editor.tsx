/**
 * 表单字段: the admin editor of a category's form. Fields are edited as a draft (add by type,
 * edit in a modal, reorder, delete) and published as a new version; tickets keep the version
 * they were created with. The version list shows what was published when, by whom.
 */
import {
  Alert, App, Button, Col, Drawer, Dropdown, Empty, Form, Input, InputNumber, Modal, Row, Select, Space, Switch, Table, Tabs, Tag, Tree,
} from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  FORM_COLUMN_TYPES, FORM_FIELD_TYPES, ROLES, type CascaderOption, type Category, type FormColumn, type FormField, type FormFieldType,
} from '@closeloop/contract';
import { ApiError } from '../app/api.js';
import { errorMessage } from '../app/errors.js';
import { formatTime } from '../app/format.js';
import { categoryName, useDepartments } from '../app/lookups.js';
import { formsApi, localLabel, useCategoryForm, useFormVersions } from './forms-api.js';
import { formatOptionLines, parseOptionLines } from './option-lines.js';

const KEY_RULE = /^[a-zA-Z][a-zA-Z0-9_]{0,39}$/;
const HAS_OPTIONS = new Set<FormFieldType>(['select', 'multiSelect', 'cascader']);

interface ColumnDraft {
  key?: string; label?: string; labelEn?: string; type?: FormColumn['type']; required?: boolean; unit?: string; optionsText?: string;
}
interface FieldDraft {
  key?: string; label?: string; labelEn?: string; type: FormFieldType; required?: boolean; help?: string;
  pattern?: string; patternMessage?: string; maxLength?: number;
  unit?: string; min?: number; max?: number; decimals?: number;
  optionsText?: string; allowPartial?: boolean; minItems?: number; maxItems?: number;
  role?: string; departmentId?: string;
  columns?: ColumnDraft[]; minRows?: number; maxRows?: number;
}

const opt = <T,>(v: T | undefined | null | '') => (v === undefined || v === null || v === '' ? undefined : v);
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function toDraft(f: FormField): FieldDraft {
  const d: FieldDraft = { ...(f as unknown as FieldDraft) };
  if (HAS_OPTIONS.has(f.type)) d.optionsText = formatOptionLines((f as { options: CascaderOption[] }).options);
  if (f.type === 'table') {
    d.columns = f.columns.map((c) => ({
      key: c.key, label: c.label, labelEn: c.labelEn, type: c.type, required: c.required,
      unit: c.type === 'number' ? c.unit : undefined, optionsText: c.type === 'select' ? formatOptionLines(c.options) : undefined,
    }));
  }
  return d;
}

/** The draft as a field definition; the server checks it again when publishing. */
function fromDraft(d: FieldDraft): FormField {
  const base = compact({
    key: d.key!.trim(), label: d.label!.trim(), labelEn: opt(d.labelEn?.trim()), required: !!d.required, help: opt(d.help?.trim()),
  });
  const options = () => parseOptionLines(d.optionsText ?? '', d.type === 'cascader').options;
  switch (d.type) {
    case 'text': return compact({ ...base, type: d.type, pattern: opt(d.pattern?.trim()), patternMessage: opt(d.patternMessage?.trim()), maxLength: opt(d.maxLength) });
    case 'longText': return compact({ ...base, type: d.type, maxLength: opt(d.maxLength) });
    case 'number': return compact({ ...base, type: d.type, unit: opt(d.unit?.trim()), min: opt(d.min), max: opt(d.max), decimals: opt(d.decimals) });
    case 'select': return { ...base, type: d.type, options: options() };
    case 'multiSelect': return compact({ ...base, type: d.type, options: options(), minItems: opt(d.minItems), maxItems: opt(d.maxItems) });
    case 'cascader': return { ...base, type: d.type, options: options(), allowPartial: !!d.allowPartial };
    case 'person': return compact({ ...base, type: d.type, role: opt(d.role), departmentId: opt(d.departmentId) });
    case 'attachment': return compact({ ...base, type: d.type, maxItems: opt(d.maxItems) });
    case 'table':
      return compact({
        ...base, type: d.type, minRows: opt(d.minRows), maxRows: opt(d.maxRows),
        columns: (d.columns ?? []).map((c): FormColumn => {
          const cb = compact({ key: (c.key ?? '').trim(), label: (c.label ?? '').trim(), labelEn: opt(c.labelEn?.trim()), required: !!c.required });
          if (c.type === 'number') return compact({ ...cb, type: 'number' as const, unit: opt(c.unit?.trim()) });
          if (c.type === 'select') return { ...cb, type: 'select' as const, options: parseOptionLines(c.optionsText ?? '', false).options };
          return { ...cb, type: c.type ?? 'text' } as FormColumn;
        }),
      });
    default: return { ...base, type: d.type } as FormField;
  }
}

type TreeNode = { key: string; title: string; children?: TreeNode[] };
const toTree = (o: CascaderOption[], prefix = ''): TreeNode[] =>
  o.map((n) => ({ key: `${prefix}/${n.code}`, title: `${n.label}（${n.code}）`, children: n.children ? toTree(n.children, `${prefix}/${n.code}`) : undefined }));

function OptionsEditor({ tree }: { tree: boolean }) {
  const { t } = useTranslation();
  const text = Form.useWatch('optionsText') as string | undefined;
  const parsed = useMemo(() => parseOptionLines(text ?? '', tree), [text, tree]);
  return (
    <Row gutter={12}>
      <Col xs={24} md={tree ? 14 : 24}>
        <Form.Item
          name="optionsText"
          label={t('forms.options')}
          extra={tree ? t('forms.treeHint') : t('forms.optionsHint')}
          rules={[{ required: true, message: t('forms.optionsRequired') }, {
            validator: async () => {
              if (parsed.errors.length) throw new Error(t('forms.optionLinesBad', { lines: parsed.errors.join(', ') }));
            },
          }]}
        >
          <Input.TextArea rows={8} style={{ fontFamily: 'monospace' }} placeholder={tree ? 'ac, 空调, Air conditioner\n  kfr35, KFR-35GW\n    comp, 压缩机' : 'jd, 京东\ntm, 天猫'} />
        </Form.Item>
      </Col>
      {tree ? (
        <Col xs={24} md={10}>
          <div style={{ marginBottom: 8, color: 'rgba(0,0,0,0.45)' }}>{t('forms.treePreview')}</div>
          {parsed.options.length ? <Tree treeData={toTree(parsed.options)} defaultExpandAll selectable={false} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
        </Col>
      ) : null}
    </Row>
  );
}

function ColumnsEditor() {
  const { t } = useTranslation();
  return (
    <Form.List name="columns" rules={[{ validator: async (_, v: unknown[] | undefined) => { if (!v?.length) throw new Error(t('forms.columnsRequired')); } }]}>
      {(cols, { add, remove, move }, { errors }) => (
        <Form.Item label={t('forms.columns')} required>
          {cols.map((c, i) => (
            <Row key={c.key} gutter={8} align="top" data-testid="column-row">
              <Col xs={12} md={4}><Form.Item name={[c.name, 'key']} rules={[{ required: true, pattern: KEY_RULE, message: t('settings.fieldKeyRule') }]}><Input placeholder={t('forms.key')} /></Form.Item></Col>
              <Col xs={12} md={5}><Form.Item name={[c.name, 'label']} rules={[{ required: true, whitespace: true, message: t('forms.labelRequired') }]}><Input placeholder={t('forms.label')} /></Form.Item></Col>
              <Col xs={12} md={4}><Form.Item name={[c.name, 'type']} initialValue="text"><Select options={FORM_COLUMN_TYPES.map((x) => ({ value: x, label: t(`forms.type.${x}`) }))} /></Form.Item></Col>
              <Col xs={12} md={5}>
                <Form.Item noStyle shouldUpdate>
                  {({ getFieldValue }) => {
                    const type = getFieldValue(['columns', c.name, 'type']) as string;
                    if (type === 'number') return <Form.Item name={[c.name, 'unit']}><Input placeholder={t('forms.unit')} /></Form.Item>;
                    if (type === 'select') return <Form.Item name={[c.name, 'optionsText']} rules={[{ required: true, message: t('forms.optionsRequired') }]}><Input.TextArea rows={2} placeholder={t('forms.columnOptions')} /></Form.Item>;
                    return <Form.Item name={[c.name, 'labelEn']}><Input placeholder={t('forms.labelEn')} /></Form.Item>;
                  }}
                </Form.Item>
              </Col>
              <Col xs={12} md={3}><Form.Item name={[c.name, 'required']} valuePropName="checked"><Switch checkedChildren={t('settings.required')} unCheckedChildren={t('settings.optional')} /></Form.Item></Col>
              <Col xs={12} md={3}>
                <Space size={0}>
                  <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, i - 1)} aria-label={t('forms.moveUp')} />
                  <Button type="text" size="small" danger icon={<DeleteOutlined />} onClick={() => remove(c.name)} aria-label={t('common.delete')} />
                </Space>
              </Col>
            </Row>
          ))}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ type: 'text', required: false })}>{t('forms.addColumn')}</Button>
          <Form.ErrorList errors={errors} />
        </Form.Item>
      )}
    </Form.List>
  );
}

function FieldModal({ draft, keys, onCancel, onOk }: {
  draft: FieldDraft | null; keys: string[]; onCancel: () => void; onOk: (d: FieldDraft) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FieldDraft>();
  const departments = useDepartments(draft?.type === 'person');
  useEffect(() => {
    if (draft) {
      form.resetFields();
      form.setFieldsValue(draft);
    }
  }, [draft, form]);
  if (!draft) return null;
  const type = draft.type;
  const n = (name: keyof FieldDraft, label: string, extra: Record<string, unknown> = {}) => (
    <Col xs={12} md={6}><Form.Item name={name} label={label}><InputNumber style={{ width: '100%' }} {...extra} /></Form.Item></Col>
  );
  return (
    <Modal
      open
      width={760}
      title={t('forms.fieldTitle', { type: t(`forms.type.${type}`) })}
      onCancel={onCancel}
      okText={t('common.confirm')}
      onOk={() => form.validateFields().then((v) => onOk({ ...draft, ...v, type }))}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" requiredMark>
        <Row gutter={12}>
          <Col xs={24} md={8}>
            <Form.Item name="label" label={t('forms.label')} rules={[{ required: true, whitespace: true, message: t('forms.labelRequired') }]}><Input maxLength={64} /></Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="labelEn" label={t('forms.labelEn')}><Input maxLength={64} /></Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              name="key"
              label={t('forms.key')}
              tooltip={t('forms.keyHint')}
              rules={[
                { required: true, pattern: KEY_RULE, message: t('settings.fieldKeyRule') },
                { validator: async (_, v: string | undefined) => { if (v && keys.includes(v.toLowerCase())) throw new Error(t('forms.keyTaken')); } },
              ]}
            >
              <Input maxLength={40} />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}><Form.Item name="help" label={t('forms.help')}><Input maxLength={500} /></Form.Item></Col>
          <Col xs={24} md={8}><Form.Item name="required" label={t('settings.required')} valuePropName="checked"><Switch /></Form.Item></Col>
        </Row>
        {type === 'text' ? (
          <Row gutter={12}>
            <Col xs={24} md={10}><Form.Item name="pattern" label={t('forms.pattern')} tooltip={t('forms.patternHint')}><Input placeholder="[A-Z]{2}\d{6}" /></Form.Item></Col>
            <Col xs={24} md={8}><Form.Item name="patternMessage" label={t('forms.patternMessage')}><Input maxLength={100} /></Form.Item></Col>
            {n('maxLength', t('forms.maxLength'), { min: 1, max: 2000, precision: 0 })}
          </Row>
        ) : null}
        {type === 'longText' ? <Row gutter={12}>{n('maxLength', t('forms.maxLength'), { min: 1, max: 20000, precision: 0 })}</Row> : null}
        {type === 'number' ? (
          <Row gutter={12}>
            <Col xs={12} md={6}><Form.Item name="unit" label={t('forms.unit')}><Input maxLength={16} placeholder="元" /></Form.Item></Col>
            {n('min', t('forms.min'))}
            {n('max', t('forms.max'))}
            {n('decimals', t('forms.decimals'), { min: 0, max: 6, precision: 0 })}
          </Row>
        ) : null}
        {HAS_OPTIONS.has(type) ? <OptionsEditor tree={type === 'cascader'} /> : null}
        {type === 'cascader' ? <Form.Item name="allowPartial" label={t('forms.allowPartial')} valuePropName="checked"><Switch /></Form.Item> : null}
        {type === 'multiSelect' ? <Row gutter={12}>{n('minItems', t('forms.minItems'), { min: 0, precision: 0 })}{n('maxItems', t('forms.maxItems'), { min: 1, precision: 0 })}</Row> : null}
        {type === 'attachment' ? <Row gutter={12}>{n('maxItems', t('forms.maxFiles'), { min: 1, max: 20, precision: 0 })}</Row> : null}
        {type === 'person' ? (
          <Row gutter={12}>
            <Col xs={12}><Form.Item name="role" label={t('forms.personRole')}><Select allowClear options={ROLES.filter((r) => r !== 'customer').map((r) => ({ value: r, label: t(`role.${r}`) }))} /></Form.Item></Col>
            <Col xs={12}><Form.Item name="departmentId" label={t('forms.personDepartment')}><Select allowClear options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))} /></Form.Item></Col>
          </Row>
        ) : null}
        {type === 'table' ? (
          <>
            <ColumnsEditor />
            <Row gutter={12}>{n('minRows', t('forms.minRows'), { min: 0, max: 200, precision: 0 })}{n('maxRows', t('forms.maxRows'), { min: 1, max: 200, precision: 0 })}</Row>
          </>
        ) : null}
      </Form>
    </Modal>
  );
}

function VersionsTable({ categoryId }: { categoryId: string }) {
  const { t } = useTranslation();
  const versions = useFormVersions(categoryId);
  return (
    <Table
      size="small"
      rowKey="id"
      loading={versions.isLoading}
      dataSource={versions.data?.items ?? []}
      pagination={false}
      columns={[
        { title: t('forms.version'), key: 'v', width: 90, render: (_: unknown, v) => <Tag color="blue">{t('forms.versionTag', { version: v.version })}</Tag> },
        { title: t('forms.fieldCount'), dataIndex: 'fieldCount', width: 90 },
        { title: t('forms.publishedBy'), key: 'by', width: 120, render: (_: unknown, v) => v.publishedBy ?? t('forms.system') },
        { title: t('forms.publishedAt'), key: 'at', width: 170, render: (_: unknown, v) => formatTime(v.publishedAt) },
        { title: t('forms.note'), key: 'note', render: (_: unknown, v) => v.note ?? '—' },
      ]}
    />
  );
}

export function FormEditorDrawer({ category, onClose }: { category: Category | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const current = useCategoryForm(category?.id);
  // The draft belongs to the version it started from: a newly published version starts a new one.
  const [draft, setDraft] = useState<{ baseId: string | undefined; fields: FormField[] } | null>(null);
  const baseId = current.data?.id;
  const fields = draft && draft.baseId === baseId ? draft.fields : current.data?.fields ?? [];
  const setFields = (fn: (fs: FormField[]) => FormField[]) => setDraft({ baseId, fields: fn(fields) });
  const [editing, setEditing] = useState<{ index: number | null; draft: FieldDraft } | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);


  const changed = JSON.stringify(fields) !== JSON.stringify(current.data?.fields ?? []);
  const publish = useMutation({
    mutationFn: () => formsApi.publish(category!.id, { fields, baseVersion: current.data?.version ?? 0, ...(note.trim() ? { note: note.trim() } : {}) }),
    onSuccess: (v) => {
      setError(null);
      message.success(t('forms.published', { version: v.version }));
      setNote('');
      void qc.invalidateQueries({ queryKey: ['forms'] });
      void qc.invalidateQueries({ queryKey: ['categories'] });
    },
    onError: (err) => {
      if (err instanceof ApiError && err.fields.length) {
        const f = err.fields[0]!;
        const m = /^fields\.(\d+)/.exec(f.path);
        const field = m ? fields[Number(m[1])] : undefined;
        setError(`${field ? localLabel(field) : f.path}${t('common.colon')}${f.message}`);
      } else {
        setError(errorMessage(t, err));
      }
    },
  });

  const move = (i: number, d: number) => setFields((fs) => {
    const next = [...fs];
    const [f] = next.splice(i, 1);
    next.splice(i + d, 0, f!);
    return next;
  });
  const keysExcept = (index: number | null) => fields.filter((_, i) => i !== index).map((f) => f.key.toLowerCase());

  return (
    <Drawer
      open={!!category}
      onClose={onClose}
      size={980}
      title={category ? t('forms.editorTitle', { name: categoryName(category) }) : ''}
      extra={current.data ? <Tag color="blue">{t('forms.currentVersion', { version: current.data.version })}</Tag> : null}
      destroyOnHidden
    >
      {category ? (
        <Tabs
          items={[
            {
              key: 'fields', label: t('forms.fieldsTab'),
              children: (
                <Space orientation="vertical" size={12} style={{ width: '100%' }}>
                  <Alert type="info" showIcon title={t('forms.versioningHint')} />
                  <Table
                    size="small"
                    rowKey="key"
                    dataSource={fields}
                    pagination={false}
                    data-testid="form-fields-table"
                    locale={{ emptyText: t('forms.noFields') }}
                    columns={[
                      { title: t('forms.order'), key: 'order', width: 90, render: (_: unknown, __: FormField, i: number) => (
                        <Space size={0}>
                          <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('forms.moveUp')} />
                          <Button type="text" size="small" icon={<ArrowDownOutlined />} disabled={i === fields.length - 1} onClick={() => move(i, 1)} aria-label={t('forms.moveDown')} />
                        </Space>
                      ) },
                      { title: t('forms.label'), key: 'label', render: (_: unknown, f: FormField) => <>{f.label}{f.labelEn ? <span style={{ color: '#999' }}> / {f.labelEn}</span> : null}</> },
                      { title: t('forms.key'), dataIndex: 'key', width: 140 },
                      { title: t('forms.typeTitle'), key: 'type', width: 110, render: (_: unknown, f: FormField) => <Tag>{t(`forms.type.${f.type}`)}</Tag> },
                      { title: t('settings.required'), key: 'req', width: 70, render: (_: unknown, f: FormField) => (f.required ? t('common.yes') : t('common.no')) },
                      { title: t('common.actions'), key: 'op', width: 110, render: (_: unknown, f: FormField, i: number) => (
                        <Space size={0}>
                          <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing({ index: i, draft: toDraft(f) })}>{t('common.edit')}</Button>
                          <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => setFields((fs) => fs.filter((_f, j) => j !== i))} />
                        </Space>
                      ) },
                    ]}
                  />
                  <Dropdown
                    menu={{
                      items: FORM_FIELD_TYPES.map((type) => ({ key: type, label: t(`forms.type.${type}`) })),
                      onClick: ({ key }) => setEditing({ index: null, draft: { type: key as FormFieldType, required: false, ...(key === 'table' ? { columns: [{ type: 'text', required: true }] } : {}) } }),
                    }}
                  >
                    <Button icon={<PlusOutlined />} data-testid="add-field">{t('forms.addField')}</Button>
                  </Dropdown>
                  {error ? <Alert type="error" showIcon title={error} closable={{ onClose: () => setError(null) }} /> : null}
                  <Space.Compact style={{ width: '100%' }}>
                    <Input placeholder={t('forms.notePlaceholder')} value={note} onChange={(e) => setNote(e.target.value)} maxLength={200} />
                    <Button type="primary" disabled={!changed} loading={publish.isPending} onClick={() => publish.mutate()} data-testid="publish-form">
                      {t('forms.publish')}
                    </Button>
                  </Space.Compact>
                </Space>
              ),
            },
            { key: 'versions', label: t('forms.versionsTab'), children: <VersionsTable categoryId={category.id} /> },
          ]}
        />
      ) : null}
      <FieldModal
        draft={editing?.draft ?? null}
        keys={editing ? keysExcept(editing.index) : []}
        onCancel={() => setEditing(null)}
        onOk={(d) => {
          const field = fromDraft(d);
          setFields((fs) => (editing!.index === null ? [...fs, field] : fs.map((f, i) => (i === editing!.index ? field : f))));
          setEditing(null);
        }}
      />
    </Drawer>
  );
}
