/**
 * First-run work at start-up: the `admin` user (password from CLOSELOOP_ADMIN_PASSWORD or a random
 * one printed once), the standard calendars, on an empty database the demo data, and uploads a crash left half-staged.
 * Returns the lines to print.
 */
import type { FastifyBaseLogger } from 'fastify';
import { removeOrphanedFiles, removeStaleUploads } from './attachments/remove-stale-uploads.js';
import { attachmentStorage } from './attachments/storage.js';
import { ensureAdmin } from './auth/ensure-admin.js';
import { ensureCalendars } from './calendars/ensure-calendars.js';
import { ensureSlaDefaults } from './sla/ensure-sla-defaults.js';
import { openPendingPlanGates } from './approvals/open-pending-gates.js';
import type { Config } from './config.js';
import type { Db } from './db/client.js';
import { DEMO_CUSTOMER_LOGINS, DEMO_STAFF, ROLE_LABELS } from './demo/org.js';
import { DEMO_APPROVAL_LINES } from './demo/approvals.js';
import { hasDemoMarker, seedDemo, type SeedDemoResult } from './demo/seed-demo.js';

export interface BootstrapResult {
  loginLines: string[];
}

const RESET_HINT = 'npm run cli -- reset-password --username';

export async function bootstrap(opts: { db: Db; config: Config; log: FastifyBaseLogger }): Promise<BootstrapResult> {
  const { db, config, log } = opts;
  const lines: string[] = [];

  const stale = await removeStaleUploads({ config });
  if (stale) log.info({ removed: stale }, 'removed uploads left half-staged by an earlier crash');
  const orphans = await removeOrphanedFiles({ db, storage: attachmentStorage(config) });
  if (orphans) log.info({ removed: orphans }, 'removed stored files no attachment refers to (an earlier crash)');

  const admin = await ensureAdmin({ db, config });
  // Configuration every installation needs (SLA counts in business time), demo data or not.
  const calendars = await ensureCalendars({ db });
  if (calendars.created) log.info('created the standard and the 7×24 calendars');
  const sla = await ensureSlaDefaults({ db });
  if (sla.created) log.info('created the default SLA policies (P1 / P2 / P3) and tier targets');
  // Plans waiting for review from before approval flows: open their gate (approvals/).
  const gates = await openPendingPlanGates({ db });
  if (gates.opened || gates.passed) log.info(gates, 'opened the plan approval gate of tickets waiting in plan_review');
  if (admin.created && admin.generatedPassword) {
    lines.push(`Login: admin / ${admin.generatedPassword}  (shown once; set CLOSELOOP_ADMIN_PASSWORD to choose it)`);
  } else if (admin.created) {
    lines.push('Login: admin / (the password in CLOSELOOP_ADMIN_PASSWORD)');
  } else {
    lines.push(`Login: admin / the password printed on first start (reset with: ${RESET_HINT} admin)`);
  }

  if (config.demoData) {
    const demo = await seedDemo({ db, log });
    if (demo.seeded) lines.push(...demoLines(demo));
    else if (await hasDemoMarker(db)) {
      const examples = [...firstOfEachRole(DEMO_STAFF).map((s) => s.username), DEMO_CUSTOMER_LOGINS[0]?.username];
      lines.push(`Demo users (${examples.filter(Boolean).join(', ')} …): the password printed on first start (reset with: ${RESET_HINT} <user>)`);
    }
  }
  return { loginLines: lines };
}

type StaffRole = keyof typeof ROLE_LABELS;

/** Usernames of each role, in the order the banner lists roles. */
function byRole(staff: readonly { username: string; role: string }[]) {
  return (Object.keys(ROLE_LABELS) as StaffRole[])
    .map((role) => ({ role, label: ROLE_LABELS[role], names: staff.filter((s) => s.role === role).map((s) => s.username) }))
    .filter((r) => r.names.length);
}

function firstOfEachRole(staff: readonly { username: string; role: string }[]) {
  return byRole(staff).map((r) => ({ username: r.names[0]!, label: r.label }));
}

/** The demo logins, one example per role, and the one password they share. */
function demoLines(demo: SeedDemoResult): string[] {
  const staff = demo.staff ?? [];
  const firstOfRole = firstOfEachRole(staff).map((s) => `${s.username} / ${s.label}`);
  const ranges = byRole(staff).map((r) => (r.names.length > 1 ? `${r.label} ${r.names[0]}–${r.names.at(-1)}` : `${r.label} ${r.names[0]}`));
  const [customer, ...otherCustomers] = demo.customerLogins ?? [];
  return [
    `Demo data: ${demo.ticketCount} tickets over the last 60 days (demo passwords are shown once)`,
    `Demo staff: ${firstOfRole.join(', ')} … password ${demo.password}`,
    `  all demo staff: ${ranges.join(' · ')}`,
    ...DEMO_APPROVAL_LINES,
    ...(customer ? [`Demo customer: ${customer} / ${demo.password}${otherCustomers.length ? `  (also ${otherCustomers.join(', ')})` : ''}`] : []),
  ];
}
