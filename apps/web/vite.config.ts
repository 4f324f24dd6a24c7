/**
 * Vite: React, the contract alias, the dev proxy to the API server, vendor chunks that keep the
 * first screen lean (antd parts the shell needs, react; echarts only with the pages that chart),
 * and the first-screen size report.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { firstScreenReport } from './build/first-screen-report.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// The lead's dev server listens on 3000; another API can be named for a parallel setup.
const api = process.env.CLOSELOOP_DEV_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: here,
  plugins: [react(), firstScreenReport()],
  resolve: {
    alias: { '@closeloop/contract': path.resolve(here, '../../packages/contract/src/index.ts') },
  },
  server: {
    port: 5173,
    // changeOrigin stays off: the API accepts a cookie write when Origin matches the Host it got.
    proxy: { '/api': { target: api }, '/healthz': { target: api } },
  },
  build: {
    outDir: path.resolve(here, 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      // The web app imports only the contract's enums at run time; its zod schemas are
      // top-level calls a bundler must otherwise keep, so the contract is declared pure.
      treeshake: { moduleSideEffects: [{ test: /packages[\\/]contract[\\/]src[\\/]/, sideEffects: false }] },
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/, priority: 30 },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 30 },
            // Only the antd modules the shell needs at start; page-only components split with their pages.
            { name: 'antd', test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+|@emotion|stylis)[\\/]/, tags: ['$initial'], priority: 20 },
            { name: 'vendor', test: /node_modules[\\/]/, tags: ['$initial'], priority: 10 },
          ],
        },
      },
    },
  },
});
