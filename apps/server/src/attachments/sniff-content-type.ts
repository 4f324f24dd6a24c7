/**
 * Decides what an upload is from its bytes. The client's Content-Type and extension are not
 * trusted: an .exe renamed to photo.jpg, or an HTML/SVG page that would run script when opened,
 * is refused. Text has no signature, so it is accepted only under a text name and as UTF-8.
 */
import { fileTypeFromFile } from 'file-type';

export const ALLOWED_TYPES: ReadonlySet<string> = new Set([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'video/mp4',
  'video/quicktime',
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
]);

export const TEXT_NAME = /\.(txt|csv|log)$/i;

export interface SniffOptions {
  path: string;
  filename: string;
  /** Whether the bytes decode as UTF-8, worked out while they were received. */
  validUtf8: boolean;
}

/** The content type to store and serve, or null when the file is not accepted. */
export async function sniffContentType(opts: SniffOptions): Promise<string | null> {
  const found = await fileTypeFromFile(opts.path);
  if (found) return ALLOWED_TYPES.has(found.mime) ? found.mime : null;
  if (TEXT_NAME.test(opts.filename) && opts.validUtf8) return 'text/plain';
  return null;
}
