/**
 * The name an upload is shown and downloaded under. Original names are kept (Chinese names are
 * normal), but a name cannot smuggle a path, control characters or bidi overrides that make
 * `invoice‮fdp.exe` read as `invoice.exe.pdf`.
 */
export const MAX_FILENAME_CHARS = 200;

// C0/C1 controls, DEL, and the bidi marks/embeddings/overrides/isolates: matching them is the point.
// oxlint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function sanitizeFilename(raw: string | undefined | null): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base.normalize('NFC').replace(UNSAFE, '').trim();
  if (!cleaned || cleaned === '.' || cleaned === '..') return 'file';
  const chars = Array.from(cleaned); // code points: never cut a character in half
  if (chars.length <= MAX_FILENAME_CHARS) return cleaned;
  // Keep the extension: it tells people (and the text check) what the file is.
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 ? Array.from(cleaned.slice(dot)) : [];
  if (ext.length > 0 && ext.length <= 16) {
    return chars.slice(0, MAX_FILENAME_CHARS - ext.length).join('').trimEnd() + ext.join('');
  }
  return chars.slice(0, MAX_FILENAME_CHARS).join('');
}

/** `Content-Disposition` with an ASCII fallback and the exact UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(filename: string, type: 'inline' | 'attachment'): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
