/** A real i18next instance with the bundled locale files, for unit tests of translated text. */
import i18next, { type TFunction } from 'i18next';
import zhCN from './locales/zh-CN.json';
import enUS from './locales/en-US.json';

export async function translator(lng: 'zh-CN' | 'en-US'): Promise<TFunction> {
  const i = i18next.createInstance();
  await i.init({
    lng,
    fallbackLng: 'zh-CN',
    resources: { 'zh-CN': { translation: zhCN }, 'en-US': { translation: enUS } },
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  });
  return i.t;
}
