/**
 * Photos and videos for the portal: a tile to add more, a preview tile per file (the picture
 * itself, or the video's first frame), and the files refused on the spot with the reason
 * (too large, a kind the server does not take), before anything is sent.
 */
import { Alert, Button, Typography } from 'antd';
import { CloseOutlined, FileOutlined, PlusOutlined } from '@ant-design/icons';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../app/format.js';

/** 20 MB, not 20.0 MB: limits are round numbers. */
const limitText = (n: number) => formatBytes(n).replace(/\.0 /, ' ');
import { acceptAttribute, fileProblem, isImage, isVideo, type UploadLimits } from './file-check.js';

export interface Refusal { name: string; text: string }

function Preview({ file, onRemove }: { file: File; onRemove: () => void }) {
  const { t } = useTranslation();
  const url = useMemo(() => (isImage(file.type) || isVideo(file.type) ? URL.createObjectURL(file) : null), [file]);
  useEffect(() => () => { if (url) URL.revokeObjectURL(url); }, [url]);
  return (
    <div
      data-testid="file-preview"
      title={file.name}
      style={{ position: 'relative', width: 96, height: 96, borderRadius: 6, overflow: 'hidden', border: '1px solid #f0f0f0', background: '#fafafa' }}
    >
      {url && isImage(file.type) ? <img src={url} alt={file.name} style={{ width: '100%', height: '100%', objectFit: 'cover' }} /> : null}
      {url && isVideo(file.type) ? <video src={url} muted playsInline preload="metadata" style={{ width: '100%', height: '100%', objectFit: 'cover' }} /> : null}
      {!url ? (
        <div style={{ padding: 8, textAlign: 'center' }}>
          <FileOutlined style={{ fontSize: 24, color: 'rgba(0,0,0,0.45)' }} />
          <Typography.Text ellipsis style={{ display: 'block', fontSize: 12 }}>{file.name}</Typography.Text>
        </div>
      ) : null}
      <span style={{ position: 'absolute', left: 0, right: 0, bottom: 0, background: 'rgba(0,0,0,0.45)', color: '#fff', fontSize: 11, padding: '1px 4px' }}>
        {isVideo(file.type) ? `${t('portal.files.video')} · ` : ''}{formatBytes(file.size)}
      </span>
      <Button
        size="small" shape="circle" icon={<CloseOutlined />} aria-label={t('portal.files.remove', { name: file.name })}
        onClick={onRemove} style={{ position: 'absolute', top: 4, right: 4 }} data-testid="file-remove"
      />
    </div>
  );
}

export function FilePicker({ files, onChange, limits }: { files: File[]; onChange: (f: File[]) => void; limits: UploadLimits | undefined }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [refused, setRefused] = useState<Refusal[]>([]);

  const add = (chosen: File[]) => {
    if (!limits) return;
    const ok: File[] = [];
    const no: Refusal[] = [];
    for (const f of chosen) {
      const p = fileProblem(f, limits);
      if (p?.reason === 'tooLarge') no.push({ name: f.name, text: t('portal.files.tooLarge', { size: formatBytes(f.size), max: limitText(p.maxBytes) }) });
      else if (p?.reason === 'wrongType') no.push({ name: f.name, text: t('portal.files.wrongType') });
      else if (p?.reason === 'empty') no.push({ name: f.name, text: t('portal.files.empty') });
      else if (files.length + ok.length >= limits.maxFiles) no.push({ name: f.name, text: t('portal.files.tooMany', { max: limits.maxFiles }) });
      else ok.push(f);
    }
    setRefused(no);
    if (ok.length) onChange([...files, ...ok]);
  };

  return (
    <div>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
        {files.map((f, i) => (
          <Preview key={`${f.name}-${f.size}-${f.lastModified}-${i}`} file={f} onRemove={() => onChange(files.filter((_, j) => j !== i))} />
        ))}
        {!limits || files.length < limits.maxFiles ? (
          <button
            type="button" onClick={() => input.current?.click()} disabled={!limits} data-testid="file-add"
            style={{
              width: 96, height: 96, borderRadius: 6, border: '1px dashed #d9d9d9', background: '#fafafa', cursor: 'pointer',
              display: 'flex', flexDirection: 'column', alignItems: 'center', justifyContent: 'center', gap: 4, color: 'rgba(0,0,0,0.65)',
            }}
          >
            <PlusOutlined />
            <span style={{ fontSize: 12 }}>{t('portal.files.add')}</span>
          </button>
        ) : null}
      </div>
      <input
        ref={input} type="file" multiple style={{ display: 'none' }} accept={limits ? acceptAttribute(limits) : undefined} data-testid="file-input"
        onChange={(e) => { add(Array.from(e.target.files ?? [])); e.target.value = ''; }}
      />
      {limits ? (
        <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, marginTop: 6 }}>
          {t('portal.files.hint', { max: limitText(limits.maxBytes), count: limits.maxFiles })}
        </Typography.Text>
      ) : null}
      {refused.length ? (
        <Alert
          type="error" showIcon style={{ marginTop: 8 }} data-testid="file-refused"
          title={t('portal.files.refusedTitle')}
          description={<ul style={{ margin: 0, paddingInlineStart: 18 }}>{refused.map((r) => <li key={r.name}>「{r.name}」{r.text}</li>)}</ul>}
        />
      ) : null}
    </div>
  );
}
