#!/usr/bin/env node
// The one test command (`npm test`): type-check, lint, generated API client up to date, server unit + integration tests (PGlite,
// and PostgreSQL when TEST_DATABASE_URL is set), web unit tests, build, browser tests (when
// Chromium is installed). Prints what it skipped and a closing "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'closeloop-test-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
const skips = [];

function run(name, cmd, args, opts = {}) {
  process.stdout.write(`\n=== ${name}: ${cmd} ${args.join(' ')}\n`);
  const started = Date.now();
  const res = spawnSync(cmd, args, { cwd: opts.cwd ?? root, stdio: 'inherit', env: { ...process.env, ...opts.env } });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  const ok = res.status === 0;
  process.stdout.write(`=== ${name}: ${ok ? 'ok' : `FAILED (exit ${res.status ?? res.signal})`} in ${secs}s\n`);
  if (!ok) failures.push(name);
  return ok;
}

/** Runs a vitest suite with a JSON report and adds its counts to the totals. */
function vitest(name, args, opts = {}) {
  const out = path.join(reportDir, `${name.replace(/\W+/g, '-')}.json`);
  const ok = run(name, 'npx', ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], opts);
  if (fs.existsSync(out)) {
    const r = JSON.parse(fs.readFileSync(out, 'utf8'));
    totals.passed += r.numPassedTests ?? 0;
    totals.failed += r.numFailedTests ?? 0;
    totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    if (!ok && (r.numFailedTests ?? 0) === 0) totals.failed += 1; // a suite that failed to load
  } else if (!ok) {
    totals.failed += 1;
  }
  return ok;
}

if (!process.env.TEST_DATABASE_URL) {
  skips.push('PostgreSQL integration tests: TEST_DATABASE_URL is not set (PGlite only)');
}

run('typecheck', 'npm', ['run', '--silent', 'typecheck']);
run('lint', 'npm', ['run', '--silent', 'lint']);
// The web client's generated types must match the server's OpenAPI document (`npm run api:generate`).
run('api client drift', 'npm', ['run', '--silent', 'api:check']);
vitest('server tests', ['--root', 'apps/server']);
if (fs.existsSync(path.join(root, 'bench/vitest.config.ts'))) {
  vitest('bench tool tests', ['--config', 'bench/vitest.config.ts']);
}
if (fs.existsSync(path.join(root, 'apps/web/vitest.config.ts'))) {
  vitest('web unit tests', ['--root', 'apps/web']);
}
const built = run('build', 'npm', ['run', '--silent', 'build']);
if (!fs.existsSync('/usr/bin/chromium')) {
  skips.push('browser tests: /usr/bin/chromium not found (apt-get install chromium fonts-noto-cjk)');
} else if (!built) {
  failures.push('browser tests (not run: build failed)');
} else if (fs.existsSync(path.join(root, 'tests/e2e/vitest.config.ts'))) {
  vitest('browser tests', ['--config', 'tests/e2e/vitest.config.ts']);
}

process.stdout.write('\n');
for (const s of skips) process.stdout.write(`SKIPPED ${s}\n`);
for (const f of failures) process.stdout.write(`FAILED step: ${f}\n`);
process.stdout.write(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
fs.rmSync(reportDir, { recursive: true, force: true });
process.exit(failures.length || totals.failed ? 1 : 0);
