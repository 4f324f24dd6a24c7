/** Pickers of the rectification forms: evidence (the ticket's attachments, or upload one) and people (with department and role). */
import { App, Button, Select, Space, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Attachment, User } from '@closeloop/contract';
import { api, attachmentUrl } from '../../app/api.js';
import { errorMessage } from '../../app/errors.js';
import { useUsers } from '../../app/lookups.js';

export function useTicketAttachments(ticketId: string) {
  return useQuery({ queryKey: ['ticket', ticketId, 'attachments'], queryFn: async () => (await api.attachments(ticketId)).items });
}

/** Attachment ids as evidence: pick from the ticket's attachments or upload new ones (they become ticket attachments too). */
export function EvidencePicker({ ticketId, value, onChange, disabled, testId }: {
  ticketId: string; value?: string[]; onChange?: (v: string[]) => void; disabled?: boolean; testId?: string;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const files = useTicketAttachments(ticketId);
  const upload = useMutation({
    mutationFn: (f: File) => api.upload(ticketId, [f]),
    onSuccess: (res) => {
      void qc.invalidateQueries({ queryKey: ['ticket', ticketId, 'attachments'] });
      onChange?.([...(value ?? []), ...res.items.map((a) => a.id)]);
    },
    onError: (err) => message.error(errorMessage(t, err)),
  });
  return (
    <Space.Compact style={{ width: '100%' }}>
      <Select
        mode="multiple"
        allowClear
        disabled={disabled}
        value={value ?? []}
        onChange={(v) => onChange?.(v)}
        placeholder={t('rectification.evidence.pick')}
        options={(files.data ?? []).map((a) => ({ value: a.id, label: a.filename }))}
        optionFilterProp="label"
        style={{ minWidth: 120, flex: 1 }}
        maxTagCount="responsive"
        data-testid={testId}
      />
      <Upload showUploadList={false} disabled={disabled} beforeUpload={(f) => { upload.mutate(f); return false; }}>
        <Button icon={<UploadOutlined />} loading={upload.isPending} disabled={disabled} aria-label={t('rectification.evidence.upload')}>
          {t('rectification.evidence.upload')}
        </Button>
      </Upload>
    </Space.Compact>
  );
}

/** The evidence of a record as download links. */
export function EvidenceLinks({ ticketId, ids }: { ticketId: string; ids: string[] }) {
  const files = useTicketAttachments(ticketId);
  if (!ids.length) return null;
  const byId = new Map((files.data ?? []).map((a: Attachment) => [a.id, a]));
  return (
    <Space size={8} wrap>
      {ids.map((id) => {
        const a = byId.get(id);
        return <a key={id} href={attachmentUrl({ id })} target="_blank" rel="noreferrer" style={{ wordBreak: 'break-all' }}>{a?.filename ?? id.slice(0, 8)}</a>;
      })}
    </Space>
  );
}

/** Who may own a step: active staff (not customers), shown with their department and role. */
export function usePeopleOptions(filter: (u: User) => boolean = () => true) {
  const { t } = useTranslation();
  const users = useUsers();
  const options = (users.data ?? [])
    .filter((u) => u.active && u.role !== 'customer' && filter(u))
    .map((u) => {
      const dept = u.departments.map((d) => d.name).join(t('common.listSep')) || t('rectification.noDepartment');
      return {
        value: u.id,
        label: u.displayName,
        search: `${u.displayName} ${u.username} ${dept}`,
        render: (
          <Space size={4} style={{ display: 'flex', justifyContent: 'space-between' }}>
            <span>{u.displayName}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{dept} · {t(`role.${u.role}`)}</Typography.Text>
          </Space>
        ),
      };
    });
  return { options, loading: users.isPending, users: users.data ?? [] };
}

export function PersonSelect({ value, onChange, filter, testId, placeholder }: {
  value?: string; onChange?: (v: string | undefined) => void; filter?: (u: User) => boolean; testId?: string; placeholder?: string;
}) {
  const { options, loading } = usePeopleOptions(filter);
  return (
    <Select
      allowClear
      showSearch={{ filterOption: (input, o) => String((o as { search?: string })?.search ?? '').toLowerCase().includes(input.toLowerCase()) }}
      loading={loading}
      value={value}
      onChange={(v) => onChange?.(v)}
      placeholder={placeholder}
      options={options.map((o) => ({ value: o.value, label: o.label, search: o.search, render: o.render }))}
      optionRender={(o) => (o.data as { render: React.ReactNode }).render}
      popupMatchSelectWidth={false}
      style={{ width: '100%', minWidth: 140 }}
      data-testid={testId}
    />
  );
}
