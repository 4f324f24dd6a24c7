/**
 * 导出: one button for every list. A small list downloads at once; a large one (or any, when
 * the server says so) becomes a background job shown in a Modal with its progress and a
 * download link when it is done.
 */
import { App, Button, Modal, Progress, Result, Typography } from 'antd';
import { DownloadOutlined, ExportOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExportJob, ExportList } from '@closeloop/contract';
import { getExportJob, startExport } from './exports-api.js';

export function ExportButton(props: { list: ExportList; query?: Record<string, unknown>; size?: 'small' | 'middle'; label?: string }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [job, setJob] = useState<ExportJob | null>(null);
  const poll = useQuery({
    queryKey: ['exports', job?.id],
    queryFn: () => getExportJob(job!.id),
    enabled: !!job,
    initialData: job ?? undefined,
    refetchInterval: (q) => (q.state.data?.status === 'running' || q.state.data?.status === 'queued' ? 1000 : false),
  });
  const current = poll.data ?? job;

  const run = async () => {
    setBusy(true);
    try {
      const started = await startExport({ list: props.list, query: props.query, locale: i18n.language === 'en-US' ? 'en-US' : 'zh-CN' });
      if (started.kind === 'job') setJob(started.job);
      else void message.success(t('spreadsheets.exported', { name: started.fileName }));
    } catch (err) {
      void message.error(`${t('spreadsheets.exportFailed')}: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  const percent = current?.rowsTotal ? Math.min(100, Math.round((current.rowsDone / current.rowsTotal) * 100)) : current?.status === 'done' ? 100 : 0;
  return (
    <>
      <Button size={props.size ?? 'small'} icon={<ExportOutlined />} loading={busy} onClick={() => void run()} data-testid={`export-${props.list}`}>
        {props.label ?? t('spreadsheets.export')}
      </Button>
      <Modal open={!!job} title={t('spreadsheets.backgroundTitle')} onCancel={() => setJob(null)} footer={null} destroyOnHidden>
        {current?.status === 'failed' ? (
          <Result status="error" title={t('spreadsheets.exportFailed')} subTitle={current.error} />
        ) : (
          <>
            <Progress percent={percent} status={current?.status === 'done' ? 'success' : 'active'} data-testid="export-progress" />
            <Typography.Paragraph type="secondary">
              {t('spreadsheets.rowsDone', { done: current?.rowsDone ?? 0, total: current?.rowsTotal ?? '…' })}
            </Typography.Paragraph>
            {current?.status === 'done' && current.downloadUrl ? (
              <a href={current.downloadUrl} download={current.fileName} data-testid="export-download">
                <Button type="primary" icon={<DownloadOutlined />}>{t('spreadsheets.download', { name: current.fileName })}</Button>
              </a>
            ) : <Typography.Text type="secondary">{t('spreadsheets.backgroundHint')}</Typography.Text>}
          </>
        )}
      </Modal>
    </>
  );
}
