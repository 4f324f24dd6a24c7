/** Providers around the router: data cache, antd theme + locale (follows the language), antd App. */
import { App as AntApp, ConfigProvider, theme } from 'antd';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { useTranslation } from 'react-i18next';
import { antdLocaleFor } from './i18n.js';
import { queryClient } from './query-client.js';
import { router } from './router.js';

const FONT = '-apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Helvetica Neue", Arial, sans-serif';

export function Root() {
  const { i18n } = useTranslation();
  return (
    <QueryClientProvider client={queryClient}>
      <ConfigProvider
        locale={antdLocaleFor(i18n.language)}
        theme={{ algorithm: theme.defaultAlgorithm, token: { fontFamily: FONT, borderRadius: 4 } }}
        // Labels are the standard two-character verbs (受理, 转派); no letter-spacing inside them.
        button={{ autoInsertSpace: false }}
      >
        <AntApp>
          <RouterProvider router={router} />
        </AntApp>
      </ConfigProvider>
    </QueryClientProvider>
  );
}
