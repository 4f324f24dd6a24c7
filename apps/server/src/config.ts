/**
 * Configuration, read and validated once at start-up from environment variables. A wrong value
 * stops start-up with a message naming the variable; secrets are never printed.
 */
import path from 'node:path';
import { z } from 'zod';

const zPort = z.coerce.number().int().min(0).max(65535);
/** A duration in milliseconds, at least `min`; at most a day. */
const zMs = (min: number) => z.coerce.number().int().min(min).max(86_400_000);

function isSmtpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'smtp:' || u.protocol === 'smtps:') && u.hostname.length > 0;
  } catch {
    return false;
  }
}

/**
 * `name <local@domain>` or a bare `local@domain`. No line breaks or angle brackets inside the
 * parts: the value becomes the From: header of every e-mail.
 */
export function isMailbox(value: string): boolean {
  if (/[\r\n\0]/.test(value)) return false;
  const m = /^\s*(?:([^<>]*?)\s*<([^<>\s]+)>|([^<>\s]+))\s*$/u.exec(value);
  const address = m?.[2] ?? m?.[3];
  return !!address && /^[^@\s"(),:;<>[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(address);
}

const zEnv = z.object({
  PORT: zPort.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  CLOSELOOP_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  CLOSELOOP_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  CLOSELOOP_BASE_URL: z.string().url().optional(),
  CLOSELOOP_DEMO_DATA: z.enum(['true', 'false']).default('true'),
  CLOSELOOP_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CLOSELOOP_MAX_UPLOAD_MB: z.coerce.number().int().min(1).max(1024).default(20),
  CLOSELOOP_RUNNER: z.enum(['true', 'false']).default('true'),
  CLOSELOOP_TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  CLOSELOOP_LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
  // 0 turns the statement timeout off; the HTTP timeouts cannot be turned off.
  CLOSELOOP_STATEMENT_TIMEOUT_MS: zMs(0).default(10_000),
  CLOSELOOP_HEADERS_TIMEOUT_MS: zMs(100).default(10_000),
  CLOSELOOP_REQUEST_TIMEOUT_MS: zMs(100).default(120_000),
  CLOSELOOP_KEEP_ALIVE_TIMEOUT_MS: zMs(100).default(72_000),
  CLOSELOOP_CONNECTION_TIMEOUT_MS: zMs(100).default(120_000),
  CLOSELOOP_SMTP_URL: z
    .string()
    .refine(isSmtpUrl, 'must be an smtp:// or smtps:// URL, e.g. smtp://user:password@smtp.example.com:587')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  CLOSELOOP_MAIL_FROM: z
    .string()
    .refine(isMailbox, 'must be an address, optionally with a name: closeloop 售后 <noreply@example.com>')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  // Shared attachment storage for several instances (attachments/s3-storage.ts); off without a bucket.
  CLOSELOOP_S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name').optional()
    .or(z.literal('').transform(() => undefined)),
  CLOSELOOP_S3_ENDPOINT: z.string().url().optional().or(z.literal('').transform(() => undefined)),
  CLOSELOOP_S3_REGION: z.string().min(1).default('us-east-1'),
  CLOSELOOP_S3_ACCESS_KEY_ID: z.string().min(1).optional().or(z.literal('').transform(() => undefined)),
  CLOSELOOP_S3_SECRET_ACCESS_KEY: z.string().min(1).optional().or(z.literal('').transform(() => undefined)),
  CLOSELOOP_S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('false'),
  // E-mail in (docs/email-in.md): the SMTP receiver is off unless a port is given.
  CLOSELOOP_SMTP_IN_PORT: zPort.optional().or(z.literal('').transform(() => undefined)),
  CLOSELOOP_SMTP_IN_HOST: z.string().min(1).optional(),
  CLOSELOOP_IMAP_URL: z.string().regex(/^imaps?:\/\/[^/]+/, 'must be an imap:// or imaps:// URL, e.g. imaps://user:password@imap.example.com/INBOX')
    .optional().or(z.literal('').transform(() => undefined)),
  CLOSELOOP_IMAP_HOST: z.string().min(1).optional(),
  CLOSELOOP_IMAP_PORT: zPort.optional(),
  CLOSELOOP_IMAP_USER: z.string().min(1).optional(),
  CLOSELOOP_IMAP_PASSWORD: z.string().min(1).optional(),
  CLOSELOOP_IMAP_TLS: z.enum(['true', 'false']).default('true'),
  CLOSELOOP_IMAP_MAILBOX: z.string().min(1).default('INBOX'),
  CLOSELOOP_IMAP_POLL_MS: zMs(1000).default(60_000),
  /** Right-hand side of signed reply addresses (reply+<ticket>.<sig>@domain). */
  CLOSELOOP_MAIL_REPLY_DOMAIN: z.string().regex(/^[A-Za-z0-9.-]+$/, 'must be a domain name, e.g. support.example.com').optional(),
  CLOSELOOP_MAIL_REPLY_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Category code of tickets opened by e-mail (default: the first active category). */
  CLOSELOOP_MAIL_IN_CATEGORY: z.string().min(1).optional(),
}).superRefine((e, ctx) => {
  if (!!e.CLOSELOOP_S3_ACCESS_KEY_ID !== !!e.CLOSELOOP_S3_SECRET_ACCESS_KEY) {
    ctx.addIssue({
      code: 'custom', path: [e.CLOSELOOP_S3_ACCESS_KEY_ID ? 'CLOSELOOP_S3_SECRET_ACCESS_KEY' : 'CLOSELOOP_S3_ACCESS_KEY_ID'],
      message: 'set both CLOSELOOP_S3_ACCESS_KEY_ID and CLOSELOOP_S3_SECRET_ACCESS_KEY, or neither',
    });
  }
  if (e.CLOSELOOP_MAIL_REPLY_DOMAIN && !e.CLOSELOOP_MAIL_REPLY_SECRET) {
    ctx.addIssue({
      code: 'custom', path: ['CLOSELOOP_MAIL_REPLY_SECRET'],
      message: 'is required when CLOSELOOP_MAIL_REPLY_DOMAIN is set (it signs reply addresses)',
    });
  }
  if (e.CLOSELOOP_SMTP_URL && !e.CLOSELOOP_MAIL_FROM) {
    ctx.addIssue({
      code: 'custom', path: ['CLOSELOOP_MAIL_FROM'],
      message: 'is required when CLOSELOOP_SMTP_URL is set (the sender address of notification e-mails)',
    });
  }
  // Node refuses a header timeout longer than the whole-request timeout.
  if (e.CLOSELOOP_HEADERS_TIMEOUT_MS > e.CLOSELOOP_REQUEST_TIMEOUT_MS) {
    ctx.addIssue({
      code: 'custom', path: ['CLOSELOOP_HEADERS_TIMEOUT_MS'],
      message: `must not exceed CLOSELOOP_REQUEST_TIMEOUT_MS (${e.CLOSELOOP_REQUEST_TIMEOUT_MS})`,
    });
  }
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  adminPassword: string | undefined;
  /** Origin the app is reached at; cookie-authenticated writes must come from it. */
  baseUrl: string;
  demoData: boolean;
  logLevel: z.infer<typeof zEnv>['CLOSELOOP_LOG_LEVEL'];
  maxUploadBytes: number;
  /** Start the background runner in this instance. */
  runner: boolean;
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (login limits). */
  trustProxy: boolean;
  /** Body limit of JSON requests. */
  bodyLimitBytes: number;
  /** `auto`: readable lines when stdout is a terminal, JSON lines otherwise. */
  logFormat: 'auto' | 'pretty' | 'json';
  /** PostgreSQL statement_timeout of the app's connections (not migrations); 0 = none. */
  statementTimeoutMs: number;
  /** Slow clients are cut: request headers must arrive within this time… */
  headersTimeoutMs: number;
  /** …the whole request (headers and body) within this one… */
  requestTimeoutMs: number;
  /** …an idle keep-alive connection is closed after this one… */
  keepAliveTimeoutMs: number;
  /** …and a connection with no traffic either way (even mid-request) after this one. */
  connectionTimeoutMs: number;
  /** Outbound e-mail; undefined = off (deliveries are recorded as skipped). Contains a secret. */
  smtpUrl: string | undefined;
  /** From: of notification e-mails, e.g. `closeloop 售后 <noreply@example.com>`. */
  mailFrom: string | undefined;
  /** S3-compatible attachment storage; undefined = local disk under the data folder. Contains a secret. */
  s3: S3Config | undefined;
  /** E-mail in (docs/email-in.md). */
  mailIn: MailInConfig;
}

export interface S3Config {
  bucket: string;
  /** Undefined = AWS itself; set for MinIO, OSS, COS and other S3-compatible services. */
  endpoint: string | undefined;
  region: string;
  /** Undefined = the AWS SDK's default credential chain (environment, instance role). */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** `https://host/bucket/key` instead of `https://bucket.host/key` (MinIO and most self-hosted ones). */
  forcePathStyle: boolean;
}

export interface MailInConfig {
  smtpPort: number | undefined;
  smtpHost: string;
  /** Max message size in bytes (25 MB): bigger mail is refused with 552 or quarantined. */
  maxMessageBytes: number;
  imap: { host: string; port: number; secure: boolean; user: string; password: string; mailbox: string } | undefined;
  imapPollMs: number;
  replyDomain: string | undefined;
  /** Contains a secret. */
  replySecret: string | undefined;
  categoryCode: string | undefined;
}

function imapSettings(e: z.infer<typeof zEnv>): MailInConfig['imap'] {
  if (e.CLOSELOOP_IMAP_URL) {
    const u = new URL(e.CLOSELOOP_IMAP_URL);
    const secure = u.protocol === 'imaps:';
    return {
      host: u.hostname, port: u.port ? Number(u.port) : secure ? 993 : 143, secure,
      user: decodeURIComponent(u.username), password: decodeURIComponent(u.password),
      mailbox: decodeURIComponent(u.pathname.replace(/^\//, '')) || e.CLOSELOOP_IMAP_MAILBOX,
    };
  }
  if (!e.CLOSELOOP_IMAP_HOST || !e.CLOSELOOP_IMAP_USER || !e.CLOSELOOP_IMAP_PASSWORD) return undefined;
  const secure = e.CLOSELOOP_IMAP_TLS === 'true';
  return {
    host: e.CLOSELOOP_IMAP_HOST, port: e.CLOSELOOP_IMAP_PORT ?? (secure ? 993 : 143), secure,
    user: e.CLOSELOOP_IMAP_USER, password: e.CLOSELOOP_IMAP_PASSWORD, mailbox: e.CLOSELOOP_IMAP_MAILBOX,
  };
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = zEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const shownHost = e.HOST === '0.0.0.0' || e.HOST === '::' ? '127.0.0.1' : e.HOST;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.CLOSELOOP_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    adminPassword: e.CLOSELOOP_ADMIN_PASSWORD,
    baseUrl: (e.CLOSELOOP_BASE_URL ?? `http://${shownHost}:${e.PORT}`).replace(/\/$/, ''),
    demoData: e.CLOSELOOP_DEMO_DATA === 'true',
    logLevel: e.CLOSELOOP_LOG_LEVEL,
    maxUploadBytes: e.CLOSELOOP_MAX_UPLOAD_MB * 1024 * 1024,
    runner: e.CLOSELOOP_RUNNER === 'true',
    trustProxy: e.CLOSELOOP_TRUST_PROXY === 'true',
    bodyLimitBytes: 1024 * 1024,
    logFormat: e.CLOSELOOP_LOG_FORMAT,
    statementTimeoutMs: e.CLOSELOOP_STATEMENT_TIMEOUT_MS,
    headersTimeoutMs: e.CLOSELOOP_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: e.CLOSELOOP_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: e.CLOSELOOP_KEEP_ALIVE_TIMEOUT_MS,
    connectionTimeoutMs: e.CLOSELOOP_CONNECTION_TIMEOUT_MS,
    smtpUrl: e.CLOSELOOP_SMTP_URL,
    mailFrom: e.CLOSELOOP_MAIL_FROM,
    s3: e.CLOSELOOP_S3_BUCKET
      ? {
        bucket: e.CLOSELOOP_S3_BUCKET, endpoint: e.CLOSELOOP_S3_ENDPOINT, region: e.CLOSELOOP_S3_REGION,
        credentials: e.CLOSELOOP_S3_ACCESS_KEY_ID && e.CLOSELOOP_S3_SECRET_ACCESS_KEY
          ? { accessKeyId: e.CLOSELOOP_S3_ACCESS_KEY_ID, secretAccessKey: e.CLOSELOOP_S3_SECRET_ACCESS_KEY }
          : undefined,
        forcePathStyle: e.CLOSELOOP_S3_FORCE_PATH_STYLE === 'true',
      }
      : undefined,
    mailIn: {
      smtpPort: e.CLOSELOOP_SMTP_IN_PORT,
      smtpHost: e.CLOSELOOP_SMTP_IN_HOST ?? e.HOST,
      maxMessageBytes: 25 * 1024 * 1024,
      imap: imapSettings(e),
      imapPollMs: e.CLOSELOOP_IMAP_POLL_MS,
      replyDomain: e.CLOSELOOP_MAIL_REPLY_DOMAIN,
      replySecret: e.CLOSELOOP_MAIL_REPLY_SECRET,
      categoryCode: e.CLOSELOOP_MAIL_IN_CATEGORY,
    },
  };
}
