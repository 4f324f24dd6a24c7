/** Entry point: config → database (migrated) → first-run data → HTTP server → background runner. */
import { openDatabase } from './db/client.js';
import { openConfigured } from './open-configured.js';
import { buildApp } from './app.js';
import { bootstrap } from './bootstrap.js';
import { startRunner } from './jobs/runner.js';
import { startTimerRunner } from './sla/timer-runner.js';
import { runApprovalTimeoutsOnce } from './approvals/timeout-runner.js';
import { createMailSettings } from './mail/mailer.js';
import { compactTicketCounts } from './tickets/compact-ticket-counts.js';
import { runFollowUpTimersOnce } from './followup/run-follow-up-timers.js';
import { attachmentStorage } from './attachments/storage.js';
import { startSmtpReceiver } from './mail-in/smtp-receiver.js';
import { startImapPoller } from './mail-in/imap-poller.js';
import { startDeliveryRunner } from './webhooks/delivery-runner.js';

async function main() {
  const opened = await openConfigured({ env: process.env, stderr: process.stderr });
  if (!opened.ok) process.exit(opened.exitCode);
  const { config, database } = opened;
  const app = await buildApp({ config, database });
  const firstRun = await bootstrap({ db: database.db, config, log: app.log });
  // On PostgreSQL the runner gets a small pool of its own, so a burst of requests that fills the
  // app's pool cannot starve notifications (and the reverse). PGlite has one connection anyway.
  const runnerDatabase = config.runner && database.kind === 'postgres'
    ? await openDatabase({ databaseUrl: config.databaseUrl, poolSize: 3, migrate: false, statementTimeoutMs: config.statementTimeoutMs })
    : null;
  const runnerDb = (runnerDatabase ?? database).db;
  const mail = createMailSettings(config);
  if (config.runner && !mail.mailer) app.log.info('e-mail is off (CLOSELOOP_SMTP_URL is not set): e-mail deliveries are recorded as skipped');
  const runner = config.runner ? startRunner({
    db: runnerDb,
    log: app.log,
    mail,
    // Counts read the summary plus pending deltas: folding the deltas in every second keeps that small.
    periodic: [
      { name: 'compact ticket counts', everyMs: 1_000, run: () => compactTicketCounts({ db: runnerDb }) },
      // Approval nodes with a timeout: remind, auto-pass or auto-reject once the business time is up.
      { name: 'approval timeouts', everyMs: 5_000, run: () => runApprovalTimeoutsOnce({ db: runnerDb, log: app.log }) },
      { name: 'follow-up timers', everyMs: 5_000, run: () => runFollowUpTimersOnce({ db: runnerDb }) },
    ],
  }) : null;
  // SLA timers (warnings, breaches, escalations, progress messages) are shared out the same way.
  const timerRunner = config.runner ? startTimerRunner({ db: runnerDb, log: app.log }) : null;
  // Webhook deliveries: signed, retried on a schedule, in order per ticket (webhooks/).
  const deliveryRunner = config.runner ? startDeliveryRunner({ db: runnerDb, log: app.log }) : null;
  await app.listen({ port: config.port, host: config.host });
  // E-mail in (docs/email-in.md): both feed the one intake; each is off unless configured.
  const mailInDeps = { db: database.db, storage: attachmentStorage(config), config };
  const smtpIn = config.mailIn.smtpPort !== undefined
    ? await startSmtpReceiver({ deps: mailInDeps, log: app.log, port: config.mailIn.smtpPort, host: config.mailIn.smtpHost })
    : null;
  if (smtpIn) app.log.info({ port: smtpIn.port }, 'mail in: SMTP receiver listening');
  const imapIn = config.runner && config.mailIn.imap
    ? startImapPoller({ deps: mailInDeps, imap: config.mailIn.imap, everyMs: config.mailIn.imapPollMs, log: app.log })
    : null;

  const lines = [
    '',
    `  closeloop 售后问题整改验收闭环管理 is running on ${config.baseUrl}`,
    `  database: ${database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)'}`,
    `  API docs: ${config.baseUrl}/api/docs`,
    ...firstRun.loginLines.map((l) => `  ${l}`),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    await smtpIn?.close();
    await imapIn?.stop();
    await runner?.stop();
    await timerRunner?.stop();
    await deliveryRunner?.stop();
    mail.mailer?.close();
    await runnerDatabase?.close();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`closeloop failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
