/** 简体中文 / English. `onChange` lets the signed-in layout also remember it on the user. */
import { Button, Dropdown } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { currentLang, isLang, setLanguage, type Lang } from '../app/i18n.js';

export function LanguageSwitch({ onChange, compact = false }: { onChange?: (lang: Lang) => void; compact?: boolean }) {
  const { t } = useTranslation();
  const lang = currentLang();
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: [lang],
        items: [
          { key: 'zh-CN', label: '简体中文' },
          { key: 'en-US', label: 'English' },
        ],
        onClick: async ({ key }) => {
          if (!isLang(key) || key === lang) return;
          await setLanguage(key);
          onChange?.(key);
        },
      }}
    >
      <Button type="text" icon={<GlobalOutlined />} aria-label={t('header.language')} data-testid="language-switch">
        {compact ? null : t('header.languageName')}
      </Button>
    </Dropdown>
  );
}
