/** A category as the API shows it. */
import type { Category } from '@closeloop/contract';
import type { categories } from '../db/schema.js';

export type CategoryRow = typeof categories.$inferSelect;

export function toCategory(row: CategoryRow): Category {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    nameEn: row.nameEn,
    processTemplate: row.processTemplate,
    defaultDepartmentId: row.defaultDepartmentId,
    defaultOwnerId: row.defaultOwnerId,
    defaultPriority: row.defaultPriority,
    customFields: row.customFields,
    active: row.active,
    sort: row.sort,
  };
}
