import { z } from 'zod';
import { ROLES, TOKEN_SCOPES } from './enums.js';
import { zId, zInstant, zText } from './common.js';

export const zRole = z.enum(ROLES);
export const zLocale = z.enum(['zh-CN', 'en-US']);

export const zLogin = z.object({ username: zText(64), password: z.string().min(1).max(256) });
export type Login = z.infer<typeof zLogin>;

export const zDepartmentRef = z.object({ id: zId, name: z.string(), isHead: z.boolean() });

export const zUser = z.object({
  id: zId,
  username: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  role: zRole,
  active: z.boolean(),
  locale: zLocale,
  customerId: zId.nullable(),
  /** The person's working hours (e-mail quiet hours); null = the default calendar. */
  calendarId: zId.nullable(),
  departments: z.array(zDepartmentRef),
  createdAt: zInstant,
});
export type User = z.infer<typeof zUser>;

/** GET /me: the user plus what the UI needs to decide what to show. */
export const zMe = zUser.extend({ scopes: z.array(z.enum(TOKEN_SCOPES)) });
export type Me = z.infer<typeof zMe>;

export const zUserCreate = z.object({
  username: z.string().trim().regex(/^[a-zA-Z0-9_.-]{2,64}$/, '2–64 letters, digits, _ . -'),
  displayName: zText(64),
  password: z.string().min(8).max(256),
  role: zRole,
  email: z.string().trim().email().max(254).optional(),
  phone: z.string().trim().min(3).max(32).optional(),
  locale: zLocale.default('zh-CN'),
  departmentIds: z.array(zId).max(20).default([]),
  /** Required when role = customer: the customer record this login belongs to. */
  customerId: zId.optional(),
  calendarId: zId.nullable().optional(),
});
export type UserCreate = z.infer<typeof zUserCreate>;

export const zUserUpdate = z.object({
  displayName: zText(64).optional(),
  role: zRole.optional(),
  email: z.string().trim().email().max(254).nullable().optional(),
  phone: z.string().trim().min(3).max(32).nullable().optional(),
  locale: zLocale.optional(),
  active: z.boolean().optional(),
  departmentIds: z.array(zId).max(20).optional(),
  password: z.string().min(8).max(256).optional(),
  /** null = back to the default calendar. */
  calendarId: zId.nullable().optional(),
});
export type UserUpdate = z.infer<typeof zUserUpdate>;

export const zDepartment = z.object({
  id: zId,
  name: z.string(),
  /** English name shown in the en-US UI; null = the Chinese name. */
  nameEn: z.string().nullable(),
  code: z.string(),
  parentId: zId.nullable(),
  headUserId: zId.nullable(),
  memberCount: z.number().int(),
});
export type Department = z.infer<typeof zDepartment>;

export const zDepartmentCreate = z.object({
  name: zText(64),
  nameEn: z.string().trim().max(64).optional(),
  code: z.string().trim().regex(/^[a-z0-9_-]{2,32}$/, '2–32 lower-case letters, digits, _ -'),
  parentId: zId.optional(),
  headUserId: zId.optional(),
});
export const zDepartmentUpdate = zDepartmentCreate.partial().extend({
  parentId: zId.nullable().optional(),
  headUserId: zId.nullable().optional(),
});

export const zTokenCreate = z.object({
  name: zText(64),
  scopes: z.array(z.enum(TOKEN_SCOPES)).min(1),
  /** Days until it expires; none = no expiry. */
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export const zToken = z.object({
  id: zId,
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.enum(TOKEN_SCOPES)),
  userId: zId,
  createdAt: zInstant,
  lastUsedAt: zInstant.nullable(),
  expiresAt: zInstant.nullable(),
  revokedAt: zInstant.nullable(),
});
/** Only the create answer carries the secret, once. */
export const zTokenCreated = zToken.extend({ token: z.string() });

// ---- sign-in, profile, lists (added by the auth work) --------------------------------------
/** PATCH /me: what a user may change about themselves (the UI remembers the language here). */
export const zMeUpdate = z.object({ displayName: zText(64).optional(), locale: zLocale.optional() });
export type MeUpdate = z.infer<typeof zMeUpdate>;

export const zPasswordChange = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(8).max(256),
});
export type PasswordChange = z.infer<typeof zPasswordChange>;

export const zUserListQuery = z.object({
  role: zRole.optional(),
  departmentId: zId.optional(),
  /** Text in username or display name. */
  q: z.string().trim().max(64).optional(),
  active: z.enum(['true', 'false']).optional(),
});
export type UserListQuery = z.infer<typeof zUserListQuery>;

export const zUserList = z.object({ items: z.array(zUser) });
export const zDepartmentList = z.object({ items: z.array(zDepartment) });
export const zTokenList = z.object({ items: z.array(zToken) });
export type DepartmentCreate = z.infer<typeof zDepartmentCreate>;
export type DepartmentUpdate = z.infer<typeof zDepartmentUpdate>;
export type TokenCreate = z.infer<typeof zTokenCreate>;
export type Token = z.infer<typeof zToken>;
export type TokenCreated = z.infer<typeof zTokenCreated>;
