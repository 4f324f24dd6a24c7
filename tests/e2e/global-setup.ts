/**
 * Starts the built server on a free port with a fresh data folder and no demo data, waits for
 * /healthz, seeds what the scenarios need through the API as the admin (departments, a
 * category routed to a handler, an agent, two customers with logins and a ticket each), and
 * stops the server afterwards. Without Chromium it starts nothing and the suites skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { CHROMIUM, type E2eEnv } from './env.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ADMIN_PASSWORD = 'e2e-admin-pass-1';
const STAFF_PASSWORD = 'e2e-staff-pass-1';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealth(base: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log()}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server did not become healthy in 90 s:\n${log()}`);
}

/** A tiny API client with the admin's session cookie (and the Origin the CSRF check wants). */
function client(base: string) {
  let cookie = '';
  const call = async <T>(method: string, p: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}/api/v1${p}`, {
      method,
      headers: {
        Origin: base,
        ...(cookie ? { Cookie: cookie } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(method === 'POST' && p === '/tickets' ? { 'Idempotency-Key': crypto.randomUUID() } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const setCookie = res.headers.getSetCookie?.() ?? [];
    if (setCookie.length) cookie = setCookie.map((c) => c.split(';')[0]).join('; ');
    const text = await res.text();
    if (!res.ok) throw new Error(`seed ${method} ${p} → ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return call;
}

async function seed(base: string): Promise<Omit<E2eEnv, 'baseUrl' | 'resultsDir'>> {
  const api = client(base);
  await api('POST', '/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
  const cs = await api<{ id: string }>('POST', '/departments', { name: '客服部', code: 'cs' });
  const qa = await api<{ id: string }>('POST', '/departments', { name: '质量部', code: 'qa' });
  const agent = { username: 'agent_e2e', password: STAFF_PASSWORD, displayName: '客服小周' };
  const handler = { username: 'handler_e2e', password: STAFF_PASSWORD, displayName: '工程师老郑' };
  await api('POST', '/users', { ...agent, role: 'agent', departmentIds: [cs.id] });
  const handlerUser = await api<{ id: string }>('POST', '/users', { ...handler, role: 'handler', departmentIds: [qa.id] });
  const categoryName = '质量问题';
  const category = await api<{ id: string }>('POST', '/categories', {
    code: 'quality', name: categoryName, nameEn: 'Quality problem', processTemplate: 'full',
    defaultDepartmentId: qa.id, defaultOwnerId: handlerUser.id, defaultPriority: 'P2',
    customFields: [{ key: 'batchNo', label: '生产批次', labelEn: 'Batch', type: 'text', required: false }],
  });

  const customers = [
    { name: '王小明', phone: '13900000001', title: '王小明家冰箱不制冷', username: 'cust_wang' },
    { name: '李小红', phone: '13900000002', title: '李小红家洗衣机漏水', username: 'cust_li' },
  ];
  const made = [];
  for (const c of customers) {
    const ticket = await api<{ id: string; customer: { id: string } }>('POST', '/tickets', {
      title: c.title,
      description: `${c.name}反映：${c.title}，已持续三天。`,
      channel: 'phone',
      customer: { name: c.name, phone: c.phone },
      product: { model: 'BCD-218D' },
      occurredAt: new Date(Date.now() - 3 * 86400_000).toISOString(),
      urgency: 'high',
      category: category.id,
      readBackConfirmed: true,
    });
    const login = { username: c.username, password: STAFF_PASSWORD, displayName: c.name };
    await api('POST', '/users', { ...login, role: 'customer', customerId: ticket.customer.id });
    made.push({ ...login, customerName: c.name, ticketTitle: c.title, ticketId: ticket.id });
  }
  return {
    admin: { username: 'admin', password: ADMIN_PASSWORD, displayName: '系统管理员' },
    agent,
    handler,
    customerA: made[0]!,
    customerB: made[1]!,
    categoryName,
  };
}

export default async function setup(project: TestProject) {
  if (!fs.existsSync(CHROMIUM)) {
    process.stdout.write(`browser tests skipped: ${CHROMIUM} not found\n`);
    project.provide('e2e', null);
    return;
  }
  const main = path.join(root, 'apps/server/dist/main.js');
  if (!fs.existsSync(main) || !fs.existsSync(path.join(root, 'apps/web/dist/index.html'))) {
    throw new Error('browser tests need the built app: run `npm run build` first');
  }
  const resultsDir = path.join(root, 'test-results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'closeloop-e2e-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(process.execPath, [main], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      CLOSELOOP_DATA_DIR: dataDir,
      CLOSELOOP_ADMIN_PASSWORD: ADMIN_PASSWORD,
      CLOSELOOP_DEMO_DATA: 'false',
      CLOSELOOP_LOG_LEVEL: 'warn',
      CLOSELOOP_BASE_URL: baseUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (b: Buffer) => {
    output = (output + b.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(baseUrl, child, () => output);
    const seeded = await seed(baseUrl);
    project.provide('e2e', { ...seeded, baseUrl, resultsDir });
  } catch (err) {
    await stop();
    throw err;
  }
  return stop;
}
