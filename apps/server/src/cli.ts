/**
 * The operator's command line (`npm run cli -- <command>`, or `closeloop <command>` when built):
 * create users, reset passwords, verify the audit chain. It reads the same configuration and opens
 * the same database as the server.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { eq, inArray, sql } from 'drizzle-orm';
import { zUserCreate } from '@closeloop/contract';
import { SYSTEM_ACTOR } from './auth/actor.js';
import { generatePassword } from './auth/password.js';
import { verifyAuditChain } from './audit/verify-chain.js';
import type { Db } from './db/client.js';
import { departments, users } from './db/schema.js';
import { AppError } from './http/app-error.js';
import { openConfigured } from './open-configured.js';
import { createUser } from './people/create-user.js';
import { updateUser } from './people/update-user.js';

export interface CliIo {
  env?: NodeJS.ProcessEnv;
  stdout?: { write(s: string): unknown };
  stderr?: { write(s: string): unknown };
}

const HELP = `closeloop — command line for operators

Usage: npm run cli -- <command> [options]     (built: closeloop <command> [options])

Commands:
  create-user --username <u> --password <p> --role <role> [--name <显示名>]
              [--department <code>]... [--email <e>] [--phone <p>] [--customer-id <uuid>]
      Creates a user. role: admin, manager, agent, handler, verifier, customer
      (customer needs --customer-id). --department may be repeated.
  reset-password --username <u> [--password <p>]
      Sets a new password (a random one is generated and printed when omitted) and
      ends the user's sessions.
  verify-audit
      Checks every chain of the audit log. Exit 0 when intact; exit 1 and the first broken
      link of each chain (chain, seq, event id, reason) when not.
  help
      This text.

The CLI reads the same environment as the server (DATABASE_URL, CLOSELOOP_DATA_DIR …).
On the embedded database it takes the data-folder lock: while the server runs on the same
folder it stops with "in use by another closeloop process" — stop the server first, or run
against PostgreSQL, where the CLI and running servers share the database.

Exit codes: 0 done, 1 failed, 2 wrong usage or configuration, 3 data folder in use.
`;

class UsageError extends Error {}

type Out = { write(s: string): unknown };

const OPTIONS = {
  username: { type: 'string' },
  password: { type: 'string' },
  role: { type: 'string' },
  name: { type: 'string' },
  department: { type: 'string', multiple: true },
  email: { type: 'string' },
  phone: { type: 'string' },
  'customer-id': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function only(values: Values, allowed: string[], command: string): void {
  const extra = Object.keys(values).filter((k) => !allowed.includes(k));
  if (extra.length) throw new UsageError(`${command} does not take --${extra.join(', --')}`);
}

async function createUserCommand(db: Db, v: Values, out: Out): Promise<number> {
  only(v, ['username', 'password', 'role', 'name', 'department', 'email', 'phone', 'customer-id'], 'create-user');
  const codes = [...new Set(v.department ?? [])];
  const found = codes.length
    ? await db.select({ id: departments.id, code: departments.code }).from(departments).where(inArray(departments.code, codes))
    : [];
  const missing = codes.filter((c) => !found.some((d) => d.code === c));
  if (missing.length) throw new UsageError(`no department with code ${missing.join(', ')}`);
  const parsed = zUserCreate.safeParse({
    username: v.username,
    displayName: v.name ?? v.username,
    password: v.password,
    role: v.role,
    email: v.email,
    phone: v.phone,
    customerId: v['customer-id'],
    departmentIds: found.map((d) => d.id),
  });
  if (!parsed.success) {
    const option: Record<string, string> = { displayName: 'name', customerId: 'customer-id', departmentIds: 'department' };
    const lines = parsed.error.issues.map((i) => {
      const key = String(i.path[0] ?? '');
      return `  --${option[key] ?? key}: ${i.message}`;
    });
    throw new UsageError(`invalid options:\n${lines.join('\n')}`);
  }
  const user = await createUser({ db, actor: SYSTEM_ACTOR, input: parsed.data });
  out.write(`created user ${user.username} (${user.role}, id ${user.id})\n`);
  return 0;
}

async function resetPasswordCommand(db: Db, v: Values, out: Out): Promise<number> {
  only(v, ['username', 'password'], 'reset-password');
  if (!v.username) throw new UsageError('--username is required');
  if (v.password !== undefined && (v.password.length < 8 || v.password.length > 256)) {
    throw new UsageError('--password must be 8 to 256 characters');
  }
  const [user] = await db.select({ id: users.id, username: users.username }).from(users)
    .where(eq(sql`lower(${users.username})`, v.username.toLowerCase())).limit(1);
  if (!user) throw new AppError('NOT_FOUND', `no user ${v.username}`);
  const password = v.password ?? generatePassword(16);
  await updateUser({ db, actor: SYSTEM_ACTOR, id: user.id, patch: { password } });
  out.write(`password of ${user.username} reset; their sessions have ended\n`);
  if (!v.password) out.write(`new password (shown once): ${password}\n`);
  return 0;
}

async function verifyAuditCommand(db: Db, v: Values, out: Out): Promise<number> {
  only(v, [], 'verify-audit');
  const result = await verifyAuditChain({ db });
  out.write(`checked ${result.events} events in ${result.chains} chains\n`);
  if (result.ok) {
    out.write('audit log intact\n');
    return 0;
  }
  out.write(`audit log BROKEN in ${result.breaks.length} chain(s); first broken link of each:\n`);
  for (const b of result.breaks) {
    out.write(`  chain ${b.chain}  seq ${b.seq}  event ${b.eventId}  ${b.reason}\n`);
  }
  return 1;
}

const COMMANDS: Record<string, (db: Db, v: Values, out: Out) => Promise<number>> = {
  'create-user': createUserCommand,
  'reset-password': resetPasswordCommand,
  'verify-audit': verifyAuditCommand,
};

/** Runs one command; answers the exit code. In-process callers (tests) pass their own env and streams. */
export async function runCli(argv: string[], io: CliIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    stderr.write(`${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  const [command, ...rest] = parsed.positionals;
  if (!command || command === 'help' || parsed.values.help) {
    stdout.write(HELP);
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    stderr.write(`unknown command: ${command}\n\n${HELP}`);
    return 2;
  }
  if (rest.length) {
    stderr.write(`unexpected arguments: ${rest.join(' ')}\n`);
    return 2;
  }
  const opened = await openConfigured({ env: io.env ?? process.env, stderr });
  if (!opened.ok) return opened.exitCode;
  const { database } = opened;
  try {
    return await run(database.db, parsed.values, stdout);
  } catch (err) {
    if (err instanceof UsageError) {
      stderr.write(`${err.message}\n`);
      return 2;
    }
    if (err instanceof AppError) {
      const fields = err.fields?.length ? ` (${err.fields.map((f) => f.path).join(', ')})` : '';
      stderr.write(`error: ${err.message}${fields}\n`);
      return 1;
    }
    stderr.write(`error: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  } finally {
    await database.close();
  }
}

function invokedDirectly(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  runCli(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
