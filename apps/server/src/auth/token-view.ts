/** The API shape of an API token (never its hash) and the audit snapshot of one. */
import type { Token } from '@closeloop/contract';
import type { apiTokens } from '../db/schema.js';

export type TokenRow = typeof apiTokens.$inferSelect;

export function toToken(row: TokenRow): Token {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    userId: row.userId,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export function tokenSnapshot(row: TokenRow): Record<string, unknown> {
  return {
    name: row.name, prefix: row.prefix, scopes: row.scopes, userId: row.userId,
    expiresAt: row.expiresAt, revokedAt: row.revokedAt,
  };
}
