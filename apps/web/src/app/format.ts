/** Dates and numbers the way Chinese business software shows them: 2026-11-23 14:05, 3小时前, 1,234. */
import dayjs from 'dayjs';
import { currentLang } from './i18n.js';

export function formatTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '';
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD') : '';
}

export function fromNow(iso: string): string {
  return dayjs(iso).fromNow();
}

export function formatNumber(n: number): string {
  return new Intl.NumberFormat(currentLang()).format(n);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
