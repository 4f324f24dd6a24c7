/**
 * Languages: zh-CN first (bundled), en-US loaded on demand. The choice is remembered in
 * localStorage (so the login page knows it) and on the user (PATCH /me, done by the caller).
 * Switching also switches dayjs and antd, so dates, pickers and pagination follow.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import relativeTime from 'dayjs/plugin/relativeTime';
import 'dayjs/locale/zh-cn';
import type { Locale } from 'antd/es/locale';
import zhCNAntd from 'antd/locale/zh_CN';
import zhCN from '../locales/zh-CN.json';

export const LANGS = ['zh-CN', 'en-US'] as const;
export type Lang = (typeof LANGS)[number];
export const LANG_STORAGE_KEY = 'closeloop.locale';

dayjs.extend(relativeTime);

const antdLocales: Partial<Record<Lang, Locale>> = { 'zh-CN': zhCNAntd };

export function isLang(v: unknown): v is Lang {
  return typeof v === 'string' && (LANGS as readonly string[]).includes(v);
}

export function storedLang(): Lang {
  try {
    const v = localStorage.getItem(LANG_STORAGE_KEY);
    return isLang(v) ? v : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export function currentLang(): Lang {
  return isLang(i18n.language) ? i18n.language : 'zh-CN';
}

export function antdLocaleFor(lang: string): Locale {
  return antdLocales[isLang(lang) ? lang : 'zh-CN'] ?? zhCNAntd;
}

async function loadLang(lang: Lang) {
  if (lang === 'en-US' && !i18n.hasResourceBundle('en-US', 'translation')) {
    const [messages, antd] = await Promise.all([import('../locales/en-US.json'), import('antd/locale/en_US')]);
    i18n.addResourceBundle('en-US', 'translation', messages.default, true, true);
    antdLocales['en-US'] = antd.default;
  }
}

/** Switches the UI language and remembers it in this browser. */
export async function setLanguage(lang: Lang): Promise<void> {
  await loadLang(lang);
  dayjs.locale(lang === 'zh-CN' ? 'zh-cn' : 'en');
  document.documentElement.lang = lang;
  try {
    localStorage.setItem(LANG_STORAGE_KEY, lang);
  } catch {
    // private mode: the language still applies for this visit
  }
  await i18n.changeLanguage(lang);
}

export async function initI18n(): Promise<void> {
  const lang = storedLang();
  await i18n.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: zhCN } },
    lng: 'zh-CN',
    fallbackLng: 'zh-CN',
    supportedLngs: [...LANGS],
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  });
  dayjs.locale('zh-cn');
  if (lang !== 'zh-CN') await setLanguage(lang);
}

export { i18n };
