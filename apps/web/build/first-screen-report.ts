/**
 * Vite plugin: after the build, measures what a visitor downloads before the first screen can
 * render — the entry chunk plus every chunk it imports statically (lazy routes excluded) — as
 * gzip, prints it and writes it to dist/build-report.json so size regressions are visible.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

interface ChunkLike {
  type: 'chunk';
  fileName: string;
  isEntry: boolean;
  imports: string[];
  dynamicImports: string[];
  code: string;
}

const kb = (n: number) => Math.round(n / 102.4) / 10;

export function firstScreenReport(): Plugin {
  let outDir = 'dist';
  return {
    name: 'closeloop-first-screen-report',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    writeBundle(_options, bundle) {
      const chunks = new Map<string, ChunkLike>();
      for (const item of Object.values(bundle)) {
        if (item.type === 'chunk') chunks.set(item.fileName, item as unknown as ChunkLike);
      }
      const entry = [...chunks.values()].find((c) => c.isEntry);
      if (!entry) return;
      const seen = new Set<string>();
      const visit = (name: string) => {
        if (seen.has(name)) return;
        seen.add(name);
        for (const dep of chunks.get(name)?.imports ?? []) visit(dep);
      };
      visit(entry.fileName);
      const sizeOf = (c: ChunkLike) => ({
        file: c.fileName,
        bytes: Buffer.byteLength(c.code),
        gzipBytes: gzipSync(c.code, { level: 9 }).length,
      });
      const firstScreen = [...seen].map((n) => sizeOf(chunks.get(n)!));
      const lazy = [...chunks.values()].filter((c) => !seen.has(c.fileName)).map(sizeOf);
      const total = firstScreen.reduce((s, c) => s + c.gzipBytes, 0);
      const report = {
        firstScreenJs: { gzipBytes: total, rawBytes: firstScreen.reduce((s, c) => s + c.bytes, 0), chunks: firstScreen },
        lazyJs: { gzipBytes: lazy.reduce((s, c) => s + c.gzipBytes, 0), chunks: lazy.length },
      };
      fs.writeFileSync(path.join(outDir, 'build-report.json'), `${JSON.stringify(report, null, 2)}\n`);
      process.stdout.write(
        `first-screen JS: ${kb(total)} kB gzip (entry + ${firstScreen.length - 1} static chunks); ` +
        `lazy JS: ${kb(report.lazyJs.gzipBytes)} kB gzip in ${lazy.length} chunks\n`,
      );
    },
  };
}
