import type { Rule, RuleDefinition } from '@closeloop/contract';
import type { rules } from '../db/schema.js';

export function toRule(r: typeof rules.$inferSelect, definition: RuleDefinition): Rule {
  return {
    id: r.id, name: r.name, description: r.description, position: r.position, active: r.active, version: r.version,
    definition, updatedAt: r.updatedAt.toISOString(),
  };
}
