/** Comments: public ones the customer sees, internal notes only staff see. */
import { App, Avatar, Button, Empty, Form, Input, List, Radio, Space, Tag, Typography } from 'antd';
import { UserOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.js';
import { errorMessage } from '../../app/errors.js';
import { isStaff, useMe } from '../../app/session.js';
import { ErrorResult } from '../../components/error-result.js';
import { TimeText } from '../../components/time-text.js';

export function CommentsPanel({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const staff = isStaff(me);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ body: string; visibility: 'public' | 'internal' }>();
  const q = useQuery({ queryKey: ['ticket', ticketId, 'comments'], queryFn: async () => (await api.comments(ticketId)).items });
  const add = useMutation({
    mutationFn: (v: { body: string; visibility: 'public' | 'internal' }) => api.addComment(ticketId, v.body.trim(), staff ? v.visibility : 'public'),
    onSuccess: () => {
      form.resetFields();
      message.success(t('comments.added'));
      void qc.invalidateQueries({ queryKey: ['ticket', ticketId] });
    },
    onError: (err) => message.error(errorMessage(t, err)),
  });

  return (
    <div>
      <Form form={form} layout="vertical" initialValues={{ visibility: 'public' }} onFinish={(v) => add.mutate(v)}>
        <Form.Item name="body" rules={[{ required: true, whitespace: true, message: t('comments.required') }]} style={{ marginBottom: 8 }}>
          <Input.TextArea rows={3} maxLength={20000} placeholder={t('comments.placeholder')} data-testid="comment-body" />
        </Form.Item>
        <div style={{ display: 'flex', justifyContent: 'space-between', flexWrap: 'wrap', gap: 8, marginBottom: 16 }}>
          {staff ? (
            <Form.Item name="visibility" noStyle>
              <Radio.Group
                data-testid="comment-visibility"
                options={[
                  { value: 'public', label: t('visibility.public') },
                  { value: 'internal', label: t('visibility.internal') },
                ]}
              />
            </Form.Item>
          ) : <span />}
          <Button type="primary" htmlType="submit" loading={add.isPending} data-testid="comment-submit">{t('comments.submit')}</Button>
        </div>
      </Form>
      {q.isError ? <ErrorResult compact error={q.error} onRetry={() => void q.refetch()} /> : (
        <List
          loading={q.isLoading}
          dataSource={q.data ?? []}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('comments.empty')} /> }}
          renderItem={(c) => (
            <List.Item data-testid="comment-item">
              <List.Item.Meta
                avatar={<Avatar size="small" icon={<UserOutlined />} />}
                title={
                  <Space size={6} wrap>
                    <span>{c.author?.displayName ?? t('actorKind.system')}</span>
                    {c.visibility === 'internal' ? <Tag color="orange">{t('visibility.internal')}</Tag> : <Tag>{t('visibility.public')}</Tag>}
                    <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}><TimeText value={c.createdAt} relative /></Typography.Text>
                  </Space>
                }
                description={<div style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', color: 'rgba(0,0,0,0.85)' }}>{c.body}</div>}
              />
            </List.Item>
          )}
        />
      )}
    </div>
  );
}
