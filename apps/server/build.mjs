// Bundles the server (and CLI) into dist/ with esbuild; npm packages stay external,
// the workspace contract package is bundled in.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/main.ts', 'src/cli.ts'],
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  conditions: ['source'],
  banner: { js: '#!/usr/bin/env node' },
  plugins: [{
    name: 'externals',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) =>
        args.path.startsWith('@closeloop/') ? undefined : { path: args.path, external: true });
    },
  }],
});
