/**
 * Schemas that appear in the OpenAPI document as named components (`#/components/schemas/<id>`).
 * The recursive ones must be here: a schema that refers to itself can only be written as a
 * reference, and without a component to point at the document would hold dangling `$ref`s.
 */
import { z } from 'zod';
import { zCascaderOption, zConditionBranch, zConditionNode, zFlowNode, zRuleCondition } from '@closeloop/contract';

const COMPONENTS: [z.ZodType, string][] = [
  [zCascaderOption, 'CascaderOption'],
  [zRuleCondition, 'RuleCondition'],
  [zFlowNode, 'FlowNode'],
  [zConditionNode, 'ConditionNode'],
  [zConditionBranch, 'ConditionBranch'],
];

/** Names the component schemas in zod's global registry (idempotent). */
export function registerOpenApiComponents(): void {
  for (const [schema, id] of COMPONENTS) {
    if (!z.globalRegistry.has(schema)) z.globalRegistry.add(schema, { id });
  }
}
