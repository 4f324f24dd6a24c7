/**
 * The 转派 target of one ticket or many: a department and/or an owner (at least one). The owner
 * list follows the chosen department. Used inside an antd Form (single and bulk reassign).
 */
import { Form, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDepartments, useUsers } from '../../app/lookups.js';

export function ReassignTargetFields() {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const departmentId = Form.useWatch('departmentId', form) as string | undefined;
  const departments = useDepartments();
  const users = useUsers(departmentId ? { departmentId } : {});
  return (
    <>
      <Form.Item name="departmentId" label={t('ticket.department')}>
        <Select allowClear showSearch={{ optionFilterProp: 'label' }} onChange={() => form.setFieldValue('ownerId', undefined)}
          options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))} />
      </Form.Item>
      <Form.Item
        name="ownerId"
        label={t('ticket.owner')}
        dependencies={['departmentId']}
        rules={[({ getFieldValue }) => ({
          validator: (_r, value) => (value || getFieldValue('departmentId') ? Promise.resolve() : Promise.reject(new Error(t('bulk.needTarget')))),
        })]}
      >
        <Select allowClear showSearch={{ optionFilterProp: 'label' }} loading={users.isLoading}
          options={(users.data ?? []).filter((u) => u.role !== 'customer' && u.active).map((u) => ({ value: u.id, label: u.displayName }))} />
      </Form.Item>
    </>
  );
}
