/**
 * 工作日历: the calendars SLA targets count in. Weekly working periods (several per day), dated
 * holidays and 调休 working days, the official schedule fill, and a month view marking 休 / 班.
 */
import {
  Alert, App, Button, Calendar as MonthCalendar, Card, Col, DatePicker, Drawer, Form, Grid, Input, Modal, Popconfirm,
  Radio, Row, Select, Space, Switch, Table, Tag, Tooltip, Typography,
} from 'antd';
import { CalendarOutlined, DeleteOutlined, PlusOutlined, SyncOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { Calendar, CalendarDefinition, DayException, WorkPeriod } from '@closeloop/contract';
import { errorMessage } from '../../app/errors.js';
import { currentLang } from '../../app/i18n.js';
import { ErrorResult } from '../../components/error-result.js';
import { calendarsApi, useCalendars } from './calendars-api.js';
import { useSave } from './use-save.js';

const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const minutes = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6];
/** dayjs counts Sunday = 0; the definition's week starts on Monday. */
const mondayIndex = (d: Dayjs) => (d.day() + 6) % 7;

const ZONES = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Taipei', 'Asia/Tokyo', 'Asia/Singapore', 'Europe/Berlin', 'Europe/London', 'America/New_York', 'UTC'];
  }
})();

interface PeriodValue { start?: string; end?: string }
interface DayValue { date?: Dayjs; kind?: DayException['kind']; name?: string; source?: DayException['source'] }
interface Values {
  code?: string; name?: string; nameEn?: string; timezone?: string; alwaysOpen?: boolean;
  week?: PeriodValue[][]; days?: DayValue[];
}

const periodsText = (t: TFunction, periods: WorkPeriod[]) => periods.map((p) => `${p.start}–${p.end}`).join(t('calendars.listSeparator'));

/** A calendar's name in the current language (the English one when there is one). */
const calendarName = (c: Calendar) => (currentLang() === 'en-US' && c.nameEn ? c.nameEn : c.name);

/** What a date is in a calendar: its exception if any, else what its weekday says. */
function dayOf(def: CalendarDefinition, date: Dayjs): { exception?: DayException; working: boolean } {
  const key = date.format('YYYY-MM-DD');
  const exception = def.days.find((d) => d.date === key);
  if (exception) return { exception, working: exception.kind === 'workday' };
  return { working: (def.week[mondayIndex(date)] ?? []).length > 0 };
}

function weekSummary(t: TFunction, c: Calendar): string {
  if (c.definition.alwaysOpen) return t('calendars.alwaysOpen');
  // Group equal consecutive weekdays: 周一至周五 09:00–12:00、13:30–18:00.
  const groups: { from: number; to: number; text: string }[] = [];
  c.definition.week.forEach((p, i) => {
    const text = periodsText(t, p);
    const last = groups.at(-1);
    if (last && last.text === text) last.to = i;
    else groups.push({ from: i, to: i, text });
  });
  return groups.filter((g) => g.text).map((g) => {
    const days = g.from === g.to ? t(`calendars.weekday.${g.from}`) : t('calendars.dayRange', { from: t(`calendars.weekday.${g.from}`), to: t(`calendars.weekday.${g.to}`) });
    return `${days} ${g.text}`;
  }).join(t('calendars.groupSeparator')) || t('calendars.noWorkingTime');
}

/** Client-side checks with the same rules as the server, in the user's language. */
function periodRules(t: TFunction, form: ReturnType<typeof Form.useForm<Values>>[0], day: number, index: number, which: 'start' | 'end') {
  return [
    { required: true, message: t('calendars.periodFormat') },
    { pattern: HHMM, message: t('calendars.periodFormat') },
    {
      validator: async (_: unknown, value: string | undefined) => {
        if (!value || !HHMM.test(value)) return;
        const list = (form.getFieldValue(['week', day]) ?? []) as PeriodValue[];
        const own = list[index] ?? {};
        if (which === 'end' && own.start && HHMM.test(own.start) && minutes(value) <= minutes(own.start)) throw new Error(t('calendars.periodOrder'));
        if (which === 'start') {
          const prev = list[index - 1];
          if (prev?.end && HHMM.test(prev.end) && minutes(value) < minutes(prev.end)) throw new Error(t('calendars.periodOverlap'));
        }
      },
    },
  ];
}

function toDefinition(v: Values): CalendarDefinition {
  return {
    timezone: v.timezone ?? 'Asia/Shanghai',
    alwaysOpen: !!v.alwaysOpen,
    week: WEEKDAYS.map((i) => (v.week?.[i] ?? []).map((p) => ({ start: p.start?.trim() ?? '', end: p.end?.trim() ?? '' }))),
    days: (v.days ?? []).filter((d) => d.date).map((d) => ({
      date: d.date!.format('YYYY-MM-DD'), kind: d.kind ?? 'holiday', name: d.name?.trim() ?? '', source: d.source ?? 'manual',
    })).sort((a, b) => a.date.localeCompare(b.date)),
  };
}

/** A date cell of the small month view (phones): the day number with 休 / 班 at its corner. */
function miniCell(t: TFunction, def: CalendarDefinition, d: Dayjs) {
  const { exception } = dayOf(def, d);
  return (
    <div className="ant-picker-cell-inner" style={{ position: 'relative' }}>
      {d.date()}
      {exception ? (
        <span style={{ position: 'absolute', top: -6, right: -8, fontSize: 10, lineHeight: '12px', color: exception.kind === 'holiday' ? '#389e0d' : '#d4380d' }}>
          {exception.kind === 'holiday' ? t('calendars.rest') : t('calendars.work')}
        </span>
      ) : null}
    </div>
  );
}

export function CalendarsTab() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const screens = Grid.useBreakpoint();
  const calendars = useCalendars();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [editing, setEditing] = useState<Calendar | 'new' | null>(null);
  const [month, setMonth] = useState<Dayjs>(() => dayjs());
  const [dayEdit, setDayEdit] = useState<Dayjs | null>(null);
  const [form] = Form.useForm<Values>();
  const [dayForm] = Form.useForm<{ mode: 'week' | 'holiday' | 'workday'; name?: string }>();
  const isNew = editing === 'new';
  const items = calendars.data?.items ?? [];
  const selected = items.find((c) => c.id === selectedId) ?? items[0];
  const officialYears = calendars.data?.officialYears ?? [];
  const missingYears = officialYears.filter((y) => !y.available).map((y) => y.year);

  const save = useSave<Values>({
    form,
    invalidate: ['calendars'],
    onDone: () => setEditing(null),
    save: (v) => {
      const common = { name: v.name?.trim(), nameEn: v.nameEn?.trim() || undefined, definition: toDefinition(v) };
      return isNew
        ? calendarsApi.create({ ...common, code: v.code?.trim() })
        : calendarsApi.update((editing as Calendar).id, { ...common, version: (editing as Calendar).version });
    },
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['calendars'] });
  const makeDefault = useMutation({
    mutationFn: (c: Calendar) => calendarsApi.update(c.id, { isDefault: true }),
    onSuccess: () => { message.success(t('common.saved')); refresh(); },
    onError: (err) => message.error(errorMessage(t, err)),
  });
  const fill = useMutation({
    mutationFn: ({ id, year }: { id: string; year: number }) => calendarsApi.fillOfficial(id, year),
    onSuccess: (r) => {
      if (!r.available) message.warning(t('calendars.notPublished', { year: r.year }));
      else if (!r.changed) message.info(t('calendars.fillUnchanged', { year: r.year }));
      else {
        const replaced = r.replaced.length ? t('calendars.filledReplaced', { n: r.replaced.length, dates: r.replaced.join('、') }) : '';
        message.success(t('calendars.filled', { year: r.year, holidays: r.holidays, workdays: r.workdays }) + replaced);
      }
      refresh();
    },
    onError: (err) => message.error(errorMessage(t, err)),
  });
  const saveDay = useMutation({
    mutationFn: ({ c, days }: { c: Calendar; days: DayException[] }) =>
      calendarsApi.update(c.id, { definition: { ...c.definition, days }, version: c.version }),
    onSuccess: () => { message.success(t('common.saved')); setDayEdit(null); refresh(); },
    onError: (err) => message.error(errorMessage(t, err)),
  });

  const open = (c: Calendar | 'new') => {
    form.resetFields();
    const def: CalendarDefinition = c === 'new'
      ? { timezone: 'Asia/Shanghai', alwaysOpen: false, week: [0, 1, 2, 3, 4].map(() => [{ start: '09:00', end: '12:00' }, { start: '13:30', end: '18:00' }]).concat([[], []]), days: [] }
      : c.definition;
    form.setFieldsValue({
      ...(c === 'new' ? {} : { code: c.code, name: c.name, nameEn: c.nameEn ?? undefined }),
      timezone: def.timezone, alwaysOpen: def.alwaysOpen, week: def.week,
      days: def.days.map((d) => ({ ...d, date: dayjs(d.date) })),
    });
    setEditing(c);
  };

  const confirmFill = (c: Calendar, year: number) => {
    modal.confirm({
      title: t('calendars.fillTitle', { year }),
      content: t('calendars.fillConfirm', { year }),
      okText: t('calendars.fillOfficial'),
      onOk: () => fill.mutateAsync({ id: c.id, year }),
    });
  };

  const openDay = (date: Dayjs) => {
    if (!selected || selected.definition.alwaysOpen) return;
    const { exception } = dayOf(selected.definition, date);
    dayForm.setFieldsValue({ mode: exception?.kind ?? 'week', name: exception?.name ?? '' });
    setDayEdit(date);
  };
  const submitDay = (v: { mode: 'week' | 'holiday' | 'workday'; name?: string }) => {
    if (!selected || !dayEdit) return;
    const key = dayEdit.format('YYYY-MM-DD');
    const others = selected.definition.days.filter((d) => d.date !== key);
    const days = v.mode === 'week' ? others
      : [...others, { date: key, kind: v.mode, name: v.name?.trim() ?? '', source: 'manual' as const }].sort((a, b) => a.date.localeCompare(b.date));
    saveDay.mutate({ c: selected, days });
  };

  const mark = (date: Dayjs, compact: boolean) => {
    if (!selected || selected.definition.alwaysOpen) return null;
    const { exception, working } = dayOf(selected.definition, date);
    if (!exception) return null;
    const rest = exception.kind === 'holiday';
    const weekendWork = !rest && mondayIndex(date) >= 5;
    const label = rest ? t('calendars.rest') : t('calendars.work');
    const tag = <Tag color={rest ? 'green' : 'volcano'} style={{ marginInlineEnd: 4, paddingInline: 4, lineHeight: '18px' }}>{label}</Tag>;
    if (compact) return tag;
    return (
      <Tooltip title={`${exception.name || label}${exception.source === 'official' ? ` · ${t('calendars.sourceOfficial')}` : ''}`}>
        <div style={{ fontSize: 12, lineHeight: '20px', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>
          {tag}
          <span style={{ color: working ? (weekendWork ? '#d4380d' : undefined) : '#389e0d' }}>{exception.name}</span>
        </div>
      </Tooltip>
    );
  };

  const required = (field: string) => [{ required: true, whitespace: true, message: t('validation.requiredNamed', { field }) }];
  const fullscreen = !!screens.md;
  const fillButtons = selected && !selected.definition.alwaysOpen ? (
    <Space wrap>
      {officialYears.map((y) => (
        <Button key={y.year} size="small" icon={<SyncOutlined />} loading={fill.isPending && fill.variables?.year === y.year}
          disabled={!y.available} title={y.available ? undefined : t('calendars.notPublished', { year: y.year })}
          onClick={() => confirmFill(selected, y.year)}>
          {t('calendars.fillYear', { year: y.year })}
        </Button>
      ))}
    </Space>
  ) : null;

  return (
    <>
      {missingYears.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('calendars.notPublished', { year: missingYears.join('、') })}
          description={t('calendars.notPublishedHint', { years: missingYears.join('、') })}
        />
      )}
      <Space style={{ marginBottom: 12, display: 'flex', justifyContent: 'flex-end' }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>{t('calendars.newCalendar')}</Button>
      </Space>
      {calendars.isError ? <ErrorResult error={calendars.error} onRetry={() => void calendars.refetch()} /> : (
        <Table<Calendar>
          rowKey="id"
          size="small"
          loading={calendars.isLoading}
          dataSource={items}
          pagination={false}
          scroll={{ x: 860 }}
          locale={{ emptyText: t('calendars.empty') }}
          rowClassName={(c) => (c.id === selected?.id ? 'ant-table-row-selected' : '')}
          onRow={(c) => ({ onClick: () => setSelectedId(c.id), style: { cursor: 'pointer' } })}
          columns={[
            {
              title: t('field.name'), key: 'name', width: 220,
              render: (_: unknown, c) => (
                <Space size={4} wrap>
                  <span>{calendarName(c)}</span>
                  {c.isDefault ? <Tag color="blue">{t('calendars.default')}</Tag> : null}
                </Space>
              ),
            },
            { title: t('field.code'), dataIndex: 'code', width: 130 },
            { title: t('calendars.workingHours'), key: 'week', render: (_: unknown, c) => weekSummary(t, c) },
            { title: t('calendars.timezone'), key: 'tz', width: 140, render: (_: unknown, c) => c.definition.timezone },
            { title: t('calendars.dayColumn'), key: 'days', width: 110, render: (_: unknown, c) => (c.definition.alwaysOpen ? '—' : t('calendars.dayCount', { n: c.definition.days.length })) },
            {
              title: t('common.actions'), key: 'op', width: 150, fixed: 'right',
              render: (_: unknown, c) => (
                <Space size={0} onClick={(e) => e.stopPropagation()}>
                  <Button type="link" size="small" onClick={() => open(c)}>{t('common.edit')}</Button>
                  {!c.isDefault && (
                    <Popconfirm title={t('calendars.setDefaultConfirm', { name: calendarName(c) })} onConfirm={() => makeDefault.mutate(c)}>
                      <Button type="link" size="small">{t('calendars.setDefault')}</Button>
                    </Popconfirm>
                  )}
                </Space>
              ),
            },
          ]}
        />
      )}

      {selected && (
        <Card
          size="small"
          style={{ marginTop: 16 }}
          title={<Space><CalendarOutlined />{t('calendars.monthTitle', { name: calendarName(selected) })}</Space>}
          extra={fullscreen ? fillButtons : null}
        >
          {selected.definition.alwaysOpen ? (
            <Alert type="info" showIcon title={t('calendars.alwaysOpenHint')} />
          ) : (
            <>
              {fullscreen ? null : <div style={{ marginBottom: 8 }}>{fillButtons}</div>}
              <Space size={16} wrap style={{ marginBottom: 8 }}>
                <Typography.Text type="secondary">{weekSummary(t, selected)}</Typography.Text>
                <Space size={4}><Tag color="green">{t('calendars.rest')}</Tag>{t('calendars.legendRest')}</Space>
                <Space size={4}><Tag color="volcano">{t('calendars.work')}</Tag>{t('calendars.legendWork')}</Space>
                <Typography.Text type="secondary">{t('calendars.clickHint')}</Typography.Text>
              </Space>
              <MonthCalendar
                fullscreen={fullscreen}
                value={month}
                onPanelChange={(d) => setMonth(d)}
                onSelect={(d, info) => { setMonth(d); if (info.source === 'date') openDay(d); }}
                cellRender={fullscreen ? (d, info) => (info.type === 'date' ? mark(d, false) : info.originNode) : undefined}
                fullCellRender={fullscreen ? undefined : (d, info) => (info.type === 'date' ? miniCell(t, selected.definition, d) : info.originNode)}
              />
            </>
          )}
        </Card>
      )}

      <Modal
        open={!!dayEdit}
        title={dayEdit ? t('calendars.dayTitle', { date: dayEdit.format('YYYY-MM-DD'), weekday: t(`calendars.weekday.${mondayIndex(dayEdit)}`) }) : ''}
        onCancel={() => setDayEdit(null)}
        onOk={() => dayForm.submit()}
        confirmLoading={saveDay.isPending}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        forceRender
      >
        <Form form={dayForm} layout="vertical" onFinish={submitDay}>
          <Form.Item name="mode" label={t('calendars.kind')}>
            <Radio.Group optionType="button" options={[
              { value: 'week', label: t('calendars.followWeek') },
              { value: 'holiday', label: t('calendars.kindHoliday') },
              { value: 'workday', label: t('calendars.kindWorkday') },
            ]} />
          </Form.Item>
          <Form.Item noStyle shouldUpdate>
            {() => dayForm.getFieldValue('mode') === 'week' ? null : (
              <Form.Item name="name" label={t('calendars.dayName')}><Input maxLength={40} placeholder={t('calendars.dayNamePlaceholder')} /></Form.Item>
            )}
          </Form.Item>
        </Form>
      </Modal>

      <Drawer
        open={!!editing}
        title={isNew ? t('calendars.newCalendar') : t('calendars.editCalendar')}
        size={720}
        onClose={() => setEditing(null)}
        forceRender
        footer={<Space style={{ float: 'right' }}><Button onClick={() => setEditing(null)}>{t('common.cancel')}</Button><Button type="primary" loading={save.isPending} onClick={() => form.submit()}>{t('common.save')}</Button></Space>}
      >
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Row gutter={12}>
            <Col xs={24} md={12}><Form.Item name="name" label={t('field.name')} rules={required(t('field.name'))}><Input maxLength={64} /></Form.Item></Col>
            <Col xs={24} md={12}><Form.Item name="nameEn" label={t('settings.nameEn')}><Input maxLength={64} /></Form.Item></Col>
            <Col xs={24} md={12}>
              <Form.Item name="code" label={t('field.code')} rules={[...required(t('field.code')), { pattern: /^[a-z0-9_-]{2,32}$/, message: t('settings.codeRule') }]}>
                <Input disabled={!isNew} maxLength={32} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name={['timezone']} label={t('calendars.timezone')} rules={[{ required: true }]}>
                <Select showSearch={{ optionFilterProp: 'label' }} options={ZONES.map((z) => ({ value: z, label: z }))} />
              </Form.Item>
            </Col>
            <Col xs={24}>
              <Form.Item name="alwaysOpen" label={t('calendars.alwaysOpen')} valuePropName="checked" extra={t('calendars.alwaysOpenHint')}>
                <Switch />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item noStyle shouldUpdate={(a, b) => a.alwaysOpen !== b.alwaysOpen}>
            {() => form.getFieldValue('alwaysOpen') ? null : (
              <>
                <Card size="small" title={t('calendars.week')} style={{ marginBottom: 12 }}>
                  {WEEKDAYS.map((day) => (
                    <Form.List key={day} name={['week', day]}>
                      {(fields, { add, remove }) => (
                        <Row gutter={8} align="top" style={{ borderBottom: day < 6 ? '1px dashed #f0f0f0' : undefined, paddingTop: 8 }}>
                          <Col flex="56px" style={{ lineHeight: '32px', fontWeight: 500 }}>{t(`calendars.weekday.${day}`)}</Col>
                          <Col flex="auto">
                            {fields.length === 0 && <div style={{ lineHeight: '32px', color: '#999', marginBottom: 8 }}>{t('calendars.dayOff')}</div>}
                            {fields.map((f) => (
                              <Space key={f.key} align="start" size={4} style={{ display: 'flex' }}>
                                <Form.Item name={[f.name, 'start']} rules={periodRules(t, form, day, f.name, 'start')} style={{ marginBottom: 8 }}>
                                  <Input style={{ width: 80 }} placeholder="09:00" aria-label={t('calendars.start')} />
                                </Form.Item>
                                <span style={{ lineHeight: '32px' }}>–</span>
                                <Form.Item name={[f.name, 'end']} rules={periodRules(t, form, day, f.name, 'end')} style={{ marginBottom: 8 }}>
                                  <Input style={{ width: 80 }} placeholder="18:00" aria-label={t('calendars.end')} />
                                </Form.Item>
                                <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.delete')} />
                              </Space>
                            ))}
                          </Col>
                          <Col flex="100px" style={{ textAlign: 'right' }}>
                            <Button size="small" type="dashed" icon={<PlusOutlined />} style={{ marginTop: 4 }}
                              onClick={() => add(fields.length ? { start: '13:30', end: '18:00' } : { start: '09:00', end: '12:00' })}>
                              {t('calendars.addPeriod')}
                            </Button>
                          </Col>
                        </Row>
                      )}
                    </Form.List>
                  ))}
                </Card>
                <Form.List name="days">
                  {(fields, { add, remove }) => (
                    <Card size="small" title={t('calendars.exceptions')}
                      extra={<Button size="small" icon={<PlusOutlined />} onClick={() => add({ kind: 'holiday', name: '', source: 'manual' }, 0)}>{t('calendars.addException')}</Button>}>
                      {fields.length === 0 && <Typography.Text type="secondary">{t('calendars.noExceptions')}</Typography.Text>}
                      {fields.map((f) => (
                        <Row key={f.key} gutter={8} align="top">
                          <Col xs={12} md={7}>
                            <Form.Item name={[f.name, 'date']} rules={[{ required: true, message: t('validation.requiredNamed', { field: t('calendars.date') }) }]} style={{ marginBottom: 8 }}>
                              <DatePicker style={{ width: '100%' }} />
                            </Form.Item>
                          </Col>
                          <Col xs={12} md={6}>
                            <Form.Item name={[f.name, 'kind']} style={{ marginBottom: 8 }}>
                              <Select options={[{ value: 'holiday', label: t('calendars.kindHoliday') }, { value: 'workday', label: t('calendars.kindWorkday') }]} />
                            </Form.Item>
                          </Col>
                          <Col xs={16} md={7}>
                            <Form.Item name={[f.name, 'name']} style={{ marginBottom: 8 }}><Input maxLength={40} placeholder={t('calendars.dayName')} /></Form.Item>
                          </Col>
                          <Col xs={8} md={4} style={{ lineHeight: '32px', whiteSpace: 'nowrap' }}>
                            <Form.Item noStyle shouldUpdate>
                              {() => form.getFieldValue(['days', f.name, 'source']) === 'official'
                                ? <Tag color="blue">{t('calendars.sourceOfficial')}</Tag> : <Tag>{t('calendars.sourceManual')}</Tag>}
                            </Form.Item>
                            <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.delete')} />
                          </Col>
                        </Row>
                      ))}
                    </Card>
                  )}
                </Form.List>
              </>
            )}
          </Form.Item>
        </Form>
      </Drawer>
    </>
  );
}
