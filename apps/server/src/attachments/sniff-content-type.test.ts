import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sniffContentType } from './sniff-content-type.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-sniff-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
function sniff(bytes: Buffer | string, filename: string, validUtf8 = true) {
  const p = path.join(dir, String(n++));
  fs.writeFileSync(p, bytes);
  return sniffContentType({ path: p, filename, validUtf8 });
}

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describe('sniffContentType', () => {
  it('goes by the bytes, not the name', async () => {
    expect(await sniff(PNG, 'scan.pdf')).toBe('image/png');
    expect(await sniff('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'photo.jpg')).toBe('application/pdf');
  });

  it('refuses executables and script-capable documents whatever they are called', async () => {
    expect(await sniff(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]), 'photo.jpg')).toBeNull();
    expect(await sniff('<html><script>alert(1)</script></html>', 'photo.jpg')).toBeNull();
    expect(await sniff('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'logo.svg')).toBeNull();
  });

  it('accepts text only under a text name and as UTF-8', async () => {
    expect(await sniff('型号,数量\nKFR-35,2\n', '清单.csv')).toBe('text/plain');
    expect(await sniff('型号,数量\n', '清单.doc')).toBeNull();
    expect(await sniff('abc', 'log.txt', false)).toBeNull();
    // An HTML page renamed .txt is served as text/plain with nosniff, so it cannot run.
    expect(await sniff('<b>hi</b>', 'note.txt')).toBe('text/plain');
  });
});
