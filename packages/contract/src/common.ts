import { z } from 'zod';

export const zId = z.string().uuid();
/** ISO-8601 instant with offset, e.g. 2026-11-23T14:05:00+08:00. */
export const zInstant = z.string().datetime({ offset: true });
export const zDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
export const zText = (max: number) => z.string().trim().min(1).max(max);

export const zPageQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const zPage = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const zErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() })).optional(),
  }),
});

export const zOk = z.object({ ok: z.literal(true) });
