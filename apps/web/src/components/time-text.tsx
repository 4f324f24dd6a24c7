/** A time as "2026-11-23 14:05" or "3小时前", with the other form on hover. */
import { Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatTime, fromNow } from '../app/format.js';

export function TimeText({ value, relative = false }: { value: string | null | undefined; relative?: boolean }) {
  useTranslation(); // re-render on language change: relative words are translated by dayjs
  if (!value) return <span>—</span>;
  const exact = formatTime(value);
  return (
    <Tooltip title={relative ? exact : fromNow(value)}>
      <time dateTime={value} title={exact}>{relative ? fromNow(value) : exact}</time>
    </Tooltip>
  );
}
