/** Route error boundary: a crashed or failed page still shows a message and a way out. */
import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { errorMessage } from '../app/errors.js';

export function RouteError() {
  const error = useRouteError();
  const { t } = useTranslation();
  // A new build replaced the lazy chunks this page still points to: loading again fixes it.
  const staleChunk = error instanceof Error && /dynamically imported module|Importing a module script failed/i.test(error.message);
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <Result
      status={notFound ? '404' : 'error'}
      title={notFound ? t('notFound.title') : t('common.pageFailed')}
      subTitle={staleChunk ? t('common.newVersion') : notFound ? t('notFound.text') : errorMessage(t, error)}
      extra={[
        <Button key="reload" type="primary" onClick={() => window.location.reload()}>{t('common.retry')}</Button>,
        <Button key="home" href="/">{t('common.backHome')}</Button>,
      ]}
    />
  );
}
