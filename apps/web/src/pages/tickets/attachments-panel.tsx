/** Attachments: image thumbnails with preview, downloads for the rest, upload more. */
import { App, Button, Empty, Image, List, Space, Typography, Upload } from 'antd';
import { FileOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, attachmentUrl } from '../../app/api.js';
import { errorMessage } from '../../app/errors.js';
import { formatBytes } from '../../app/format.js';
import { ErrorResult } from '../../components/error-result.js';
import { TimeText } from '../../components/time-text.js';

export function AttachmentsPanel({ ticketId, canUpload }: { ticketId: string; canUpload: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const q = useQuery({ queryKey: ['ticket', ticketId, 'attachments'], queryFn: async () => (await api.attachments(ticketId)).items });
  const upload = useMutation({
    mutationFn: (files: File[]) => api.upload(ticketId, files),
    onSuccess: () => {
      message.success(t('attachments.uploaded'));
      void qc.invalidateQueries({ queryKey: ['ticket', ticketId] });
    },
    onError: (err) => message.error(errorMessage(t, err)),
  });

  return (
    <div>
      {canUpload ? (
        <Upload
          multiple
          showUploadList={false}
          beforeUpload={(file) => {
            upload.mutate([file]);
            return false;
          }}
        >
          <Button icon={<UploadOutlined />} loading={upload.isPending} style={{ marginBottom: 12 }}>{t('attachments.upload')}</Button>
        </Upload>
      ) : null}
      {q.isError ? <ErrorResult compact error={q.error} onRetry={() => void q.refetch()} /> : (
        <Image.PreviewGroup>
          <List
            loading={q.isLoading}
            dataSource={q.data ?? []}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('attachments.empty')} /> }}
            renderItem={(a) => (
              <List.Item
                extra={a.contentType.startsWith('image/') ? (
                  <Image src={attachmentUrl(a, true)} alt={a.filename} width={64} height={64} style={{ objectFit: 'cover', borderRadius: 4 }} />
                ) : null}
              >
                <List.Item.Meta
                  avatar={a.contentType.startsWith('image/') ? <PaperClipOutlined /> : <FileOutlined />}
                  title={<a href={attachmentUrl(a)} download={a.filename} style={{ wordBreak: 'break-all' }}>{a.filename}</a>}
                  description={
                    <Space size={8} wrap>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatBytes(a.size)}</Typography.Text>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{a.uploadedBy?.displayName}</Typography.Text>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}><TimeText value={a.createdAt} relative /></Typography.Text>
                    </Space>
                  }
                />
              </List.Item>
            )}
          />
        </Image.PreviewGroup>
      )}
    </div>
  );
}
