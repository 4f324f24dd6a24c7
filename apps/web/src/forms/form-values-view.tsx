/**
 * A ticket's form values, read-only, by the form version the ticket keeps. Fields the category's
 * current form no longer has are shown too, marked as removed (they cannot be edited any more).
 */
import { Card, Descriptions, Table, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FormField, FormScalar, FormValue } from '@closeloop/contract';
import { useUsers } from '../app/lookups.js';
import { attachmentUrl } from '../app/api.js';
import { cascaderLabels, localLabel, optionLabel, useCategoryForm, useFormVersion } from './forms-api.js';

function ValueText({ field, value, userName }: { field: FormField; value: FormValue | undefined; userName: (id: string) => string }) {
  const { t } = useTranslation();
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) return <>—</>;
  switch (field.type) {
    case 'boolean': return <>{value ? t('common.yes') : t('common.no')}</>;
    case 'number': return <>{String(value)}{field.unit ? ` ${field.unit}` : ''}</>;
    case 'select': return <>{optionLabel(field.options, String(value))}</>;
    case 'multiSelect': return <>{(value as string[]).map((c) => <Tag key={c}>{optionLabel(field.options, c)}</Tag>)}</>;
    case 'cascader': return <>{cascaderLabels(field.options, value as string[]).join(' / ')}</>;
    case 'person': return <>{userName(String(value))}</>;
    case 'attachment':
      return <>{(value as string[]).map((id, i) => <a key={id} href={attachmentUrl({ id })} target="_blank" rel="noreferrer" style={{ marginRight: 8 }}>{t('forms.file', { n: i + 1 })}</a>)}</>;
    case 'table': {
      const rows = value as Array<Record<string, FormScalar>>;
      return (
        <Table
          size="small"
          pagination={false}
          rowKey={(_, i) => String(i)}
          dataSource={rows}
          columns={field.columns.map((c) => ({
            title: localLabel(c), key: c.key,
            render: (_: unknown, r: Record<string, FormScalar>) => {
              const v = r[c.key];
              if (v === undefined || v === null || v === '') return '—';
              if (c.type === 'select') return optionLabel(c.options, String(v));
              if (c.type === 'number' && c.unit) return `${v} ${c.unit}`;
              return String(v);
            },
          }))}
        />
      );
    }
    default: return <span style={{ whiteSpace: 'pre-wrap' }}>{String(value)}</span>;
  }
}

export function FormValuesCard({ formVersionId, categoryId, values }: {
  formVersionId: string | null; categoryId: string; values: Record<string, FormValue>;
}) {
  const { t } = useTranslation();
  const version = useFormVersion(formVersionId);
  const current = useCategoryForm(categoryId);
  const needsUsers = version.data?.fields.some((f) => f.type === 'person') ?? false;
  const users = useUsers({}, needsUsers);
  if (!version.data || !version.data.fields.length) return null;
  const currentKeys = new Set((current.data?.fields ?? []).map((f) => f.key));
  const userName = (id: string) => users.data?.find((u) => u.id === id)?.displayName ?? id;
  const outdated = current.data && current.data.version !== version.data.version;
  return (
    <Card
      size="small"
      title={t('forms.cardTitle')}
      extra={<Tooltip title={outdated ? t('forms.olderVersionHint', { current: current.data!.version }) : undefined}><Tag>{t('forms.versionTag', { version: version.data.version })}</Tag></Tooltip>}
      data-testid="form-values"
    >
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2 }}
        items={version.data.fields.map((f) => ({
          key: f.key,
          span: f.type === 'table' || f.type === 'longText' ? ('filled' as const) : undefined,
          label: (
            <>
              {localLabel(f)}
              {current.data && !currentKeys.has(f.key) ? <Tag style={{ marginLeft: 4 }} color="default">{t('forms.removedField')}</Tag> : null}
            </>
          ),
          children: <ValueText field={f} value={values[f.key]} userName={userName} />,
        }))}
      />
    </Card>
  );
}
