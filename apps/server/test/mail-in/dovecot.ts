/**
 * A real IMAP server for tests: Debian's dovecot (dovecot-imapd) started in the foreground with a
 * generated configuration — a free port of 127.0.0.1, a temporary maildir, one static test user
 * with a plaintext password, no TLS. Runs as the current user, or (as root) as the packaged
 * `dovecot` / `dovenull` users, since dovecot refuses mail access as uid 0.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../../../bench/free-port.js';

export const DOVECOT = '/usr/sbin/dovecot';
export const hasDovecot = fs.existsSync(DOVECOT);

export interface Dovecot {
  port: number;
  user: string;
  password: string;
  stop(): Promise<void>;
}

function idOf(flag: '-u' | '-g', name: string): number | null {
  try {
    return Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
  } catch {
    return null;
  }
}

async function waitForPort(port: number, ms: number, log: string): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`dovecot did not listen on ${port}: ${await fsp.readFile(log, 'utf8').catch(() => '(no log)')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startDovecot(): Promise<Dovecot> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'closeloop-dovecot-'));
  const port = await freePort();
  const user = 'mailbox';
  const password = 'imap-test-password';
  const root = process.getuid?.() === 0;
  const me = os.userInfo().username;
  const internal = root && idOf('-u', 'dovecot') !== null ? 'dovecot' : me;
  const login = root && idOf('-u', 'dovenull') !== null ? 'dovenull' : me;
  const uid = root ? idOf('-u', internal)! : process.getuid!();
  const gid = root ? idOf('-g', internal)! : process.getgid!();
  const home = path.join(dir, 'home');
  await fsp.mkdir(home, { recursive: true });
  await fsp.mkdir(path.join(dir, 'run'), { recursive: true });
  if (root) {
    await fsp.chmod(dir, 0o755);
    await fsp.chown(home, uid, gid);
  }
  const log = path.join(dir, 'dovecot.log');
  const conf = path.join(dir, 'dovecot.conf');
  await fsp.writeFile(conf, [
    'protocols = imap',
    'listen = 127.0.0.1',
    `base_dir = ${path.join(dir, 'run')}`,
    `state_dir = ${path.join(dir, 'state')}`,
    `log_path = ${log}`,
    `default_internal_user = ${internal}`,
    `default_internal_group = ${root ? internal : (os.userInfo().username)}`,
    `default_login_user = ${login}`,
    'ssl = no',
    'disable_plaintext_auth = no',
    'auth_mechanisms = plain login',
    `first_valid_uid = ${Math.min(uid, 1)}`,
    `mail_location = maildir:${home}/%u/Maildir`,
    'service anvil {\n  chroot =\n}',
    `service imap-login {\n  chroot =\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${port}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
    'service pop3-login {\n  inet_listener pop3 {\n    port = 0\n  }\n}',
    'service submission-login {\n  inet_listener submission {\n    port = 0\n  }\n}',
    'service lmtp {\n  unix_listener lmtp {\n    mode = 0600\n  }\n}',
    `passdb {\n  driver = static\n  args = password=${password}\n}`,
    `userdb {\n  driver = static\n  args = uid=${uid} gid=${gid} home=${home}/%u\n}`,
    '',
  ].join('\n'));
  const child: ChildProcess = spawn(DOVECOT, ['-F', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => { output += c.toString(); });
  child.stderr?.on('data', (c: Buffer) => { output += c.toString(); });
  try {
    await waitForPort(port, 10_000, log);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${output}`, { cause: err });
  }
  return {
    port, user, password,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}
