import { describe, expect, it } from 'vitest';
import { contentDisposition, MAX_FILENAME_CHARS, sanitizeFilename } from './sanitize-filename.js';

describe('sanitizeFilename', () => {
  it('keeps Chinese names as they are', () => {
    expect(sanitizeFilename('空调外机异响-现场照片.jpg')).toBe('空调外机异响-现场照片.jpg');
  });

  it('drops the path parts of Unix and Windows names', () => {
    expect(sanitizeFilename('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFilename('C:\\Users\\张三\\发票.pdf')).toBe('发票.pdf');
  });

  it('removes control characters and bidi overrides', () => {
    expect(sanitizeFilename('a\u0000b\r\nc.txt')).toBe('abc.txt');
    expect(sanitizeFilename('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
  });

  it('falls back to "file" when nothing is left', () => {
    expect(sanitizeFilename('')).toBe('file');
    expect(sanitizeFilename(undefined)).toBe('file');
    expect(sanitizeFilename('dir/..')).toBe('file');
    expect(sanitizeFilename('\u0001\u0002')).toBe('file');
  });

  it('shortens long names to 200 characters, keeping the extension and whole characters', () => {
    const name = sanitizeFilename(`${'很'.repeat(300)}.pdf`);
    expect(Array.from(name)).toHaveLength(MAX_FILENAME_CHARS);
    expect(name.endsWith('很.pdf')).toBe(true);
    const emoji = sanitizeFilename('😀'.repeat(250));
    expect(Array.from(emoji)).toHaveLength(MAX_FILENAME_CHARS);
    expect(emoji).toBe('😀'.repeat(MAX_FILENAME_CHARS));
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('现场照片.png', 'attachment'))
      .toBe(`attachment; filename="____.png"; filename*=UTF-8''%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.png`);
  });

  it('cannot be broken out of by quotes or semicolons in the name', () => {
    const header = contentDisposition(`a"; filename="evil.html`, 'inline');
    expect(header).toBe(`inline; filename="a_; filename=_evil.html"; filename*=UTF-8''a%22%3B%20filename%3D%22evil.html`);
  });
});
