/** A failed request, said in the user's language, with a way to try again; never a blank page. */
import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../app/api.js';
import { errorMessage } from '../app/errors.js';

export function ErrorResult({ error, onRetry, compact = false }: { error: unknown; onRetry?: () => void; compact?: boolean }) {
  const { t } = useTranslation();
  const status = error instanceof ApiError && error.status === 404 ? '404' : error instanceof ApiError && error.status === 403 ? '403' : 'error';
  return (
    <Result
      status={compact ? 'warning' : status}
      title={t('common.loadFailed')}
      subTitle={errorMessage(t, error)}
      extra={onRetry ? <Button type="primary" onClick={onRetry} data-testid="retry">{t('common.retry')}</Button> : undefined}
      style={compact ? { padding: 16 } : undefined}
    />
  );
}
