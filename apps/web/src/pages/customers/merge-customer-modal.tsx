/**
 * 合并客户: a manager picks the duplicate record of the customer shown (searched by name or
 * phone), sees what moves — its tickets and identities — and merges it into this one with a
 * reason. The duplicate's id is gone afterwards; its tickets appear under this customer.
 */
import { Alert, App, Button, Descriptions, Form, Input, Modal, Select, Space, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Customer } from '@closeloop/contract';
import { errorMessage } from '../../app/errors.js';
import { customersApi } from './customers-api.js';

export function MergeCustomerButton({ customer }: { customer: { id: string; name: string } }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} data-testid="merge-customer">{t('customerMerge.action')}</Button>
      {open ? <MergeCustomerModal customer={customer} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function MergeCustomerModal({ customer, onClose }: { customer: { id: string; name: string }; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [q, setQ] = useState('');
  const [picked, setPicked] = useState<Customer | null>(null);
  const [reason, setReason] = useState('');

  const found = useQuery({
    queryKey: ['customer-merge-search', q],
    queryFn: async () => (await customersApi.search(q)).items,
    enabled: q.trim().length >= 1,
  });
  const preview = useQuery({
    queryKey: ['customer-merge-preview', picked?.id],
    queryFn: () => customersApi.mergePreview(picked!.id),
    enabled: !!picked,
  });
  const merge = useMutation({
    mutationFn: () => customersApi.merge(picked!.id, { intoCustomerId: customer.id, reason: reason.trim() }),
    onSuccess: (r) => {
      message.success(t('customerMerge.done', { tickets: r.movedTickets, identities: r.movedIdentities }));
      void client.invalidateQueries();
      onClose();
    },
    onError: (err) => { message.error(errorMessage(t, err)); },
  });

  const options = (found.data ?? []).filter((c) => c.id !== customer.id).map((c) => ({
    value: c.id,
    label: `${c.name} · ${[c.phone, c.email, ...c.externalIds].filter(Boolean).join(' · ') || t('customerMerge.noContact')}`,
    customer: c,
  }));

  return (
    <Modal
      open
      title={t('customerMerge.title')}
      onCancel={onClose}
      okText={t('customerMerge.confirm')}
      okButtonProps={{ danger: true, disabled: !picked || !reason.trim() || !preview.data, loading: merge.isPending }}
      onOk={() => merge.mutate()}
      destroyOnHidden
      width={560}
    >
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('customerMerge.hint', { name: customer.name })}</Typography.Text>
        <Form layout="vertical" requiredMark>
          <Form.Item label={t('customerMerge.duplicate')} required>
            <Select
              showSearch={{ filterOption: false, onSearch: setQ }}
              placeholder={t('customerMerge.searchPlaceholder')}
              loading={found.isFetching}
              options={options}
              value={picked?.id}
              onChange={(_v, opt) => setPicked((opt as { customer: Customer }).customer)}
              notFoundContent={q ? t('customerMerge.none') : null}
              data-testid="merge-picker"
            />
          </Form.Item>
          {picked ? (
            <Alert
              type="warning"
              showIcon
              data-testid="merge-preview"
              title={t('customerMerge.moves', { from: picked.name, into: customer.name })}
              description={preview.data ? (
                <Descriptions size="small" column={1} items={[
                  { key: 't', label: t('customerMerge.tickets'), children: preview.data.tickets },
                  { key: 'i', label: t('customerMerge.identities'), children: preview.data.identities },
                ]} />
              ) : preview.isError ? errorMessage(t, preview.error) : t('customerMerge.counting')}
            />
          ) : null}
          <Form.Item label={t('customerMerge.reason')} required style={{ marginTop: 12 }}>
            <Input.TextArea rows={2} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)}
              placeholder={t('customerMerge.reasonPlaceholder')} data-testid="merge-reason" />
          </Form.Item>
        </Form>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('customerMerge.irreversible')}</Typography.Text>
      </Space>
    </Modal>
  );
}
