/**
 * Flow definitions (admin): CRUD of the draft, validation, publishing. Publish validates the
 * draft, creates the next version as active and archives the previous one; running instances
 * keep the version they started with (flow_instances.version_id).
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import {
  CHANNELS, PRIORITIES, type ApprovalGate, type FlowDefinition, type FlowDefinitionCreate, type FlowDefinitionUpdate,
  type FlowField, type FlowTree, type FlowValidation, zFlowDefinitionCreate, zFlowDefinitionUpdate,
} from '@closeloop/contract';
import type { Actor } from '../auth/actor.js';
import type { Db, DbOrTx, Tx } from '../db/client.js';
import { categories, flowDefinitionCategories, flowDefinitions, flowInstances, flowVersions, users } from '../db/schema.js';
import { newId } from '../db/util.js';
import { formFieldCatalog } from '../forms/catalog.js';
import { AppError, notFound } from '../http/app-error.js';
import { validateFlow } from './engine/validate.js';

type DefRow = typeof flowDefinitions.$inferSelect;

const GATE_FIELDS: Record<ApprovalGate, FlowField[]> = {
  plan_review: [],
  compensation: [
    { path: 'subject.amount', type: 'number', label: '补偿金额（元）', labelEn: 'Compensation amount (CNY)' },
    { path: 'subject.reason', type: 'text', label: '补偿原因', labelEn: 'Reason' },
  ],
  cancellation: [{ path: 'subject.reason', type: 'text', label: '取消原因', labelEn: 'Reason' }],
  dispute: [{ path: 'subject.reason', type: 'text', label: '争议说明', labelEn: 'Dispute' }],
};

/** The fields conditions may use at a gate: the ticket's, the gate subject's, the categories' custom fields. */
export async function fieldCatalog(db: DbOrTx, gate: ApprovalGate, categoryIds: readonly string[]): Promise<FlowField[]> {
  const fields: FlowField[] = [
    { path: 'ticket.priority', type: 'select', label: '优先级', labelEn: 'Priority', options: PRIORITIES.map((p) => ({ value: p, label: p })) },
    { path: 'ticket.channel', type: 'select', label: '来源渠道', labelEn: 'Channel', options: CHANNELS.map((c) => ({ value: c, label: c })) },
    { path: 'ticket.ownerId', type: 'person', label: '处理人', labelEn: 'Owner' },
    ...GATE_FIELDS[gate],
  ];
  // Form fields come from the form engine's typed catalog (forms/), every version included, so a
  // condition on a field a newer version removed still resolves for the tickets that carry it.
  const catalogs = await Promise.all(categoryIds.map((id) => formFieldCatalog(db, id)));
  const seen = new Set(fields.map((f) => f.path));
  for (const c of catalogs) {
    for (const f of c.fields) {
      const path = `form.${f.key}`;
      if (seen.has(path)) continue;
      const type = f.type === 'number' ? 'number' : f.type === 'select' ? 'select'
        : f.type === 'text' || f.type === 'longText' ? 'text' : f.type === 'person' ? 'person' : null;
      if (!type) continue;
      seen.add(path);
      fields.push({
        path, type, label: f.label, ...(f.labelEn ? { labelEn: f.labelEn } : {}),
        ...(type === 'select' ? { options: f.options.map((o) => ({ value: o.code, label: o.label })) } : {}),
      });
    }
  }
  return fields;
}

async function toView(db: DbOrTx, row: DefRow): Promise<FlowDefinition> {
  const [cats, versions] = await Promise.all([
    db.select({ categoryId: flowDefinitionCategories.categoryId }).from(flowDefinitionCategories).where(eq(flowDefinitionCategories.definitionId, row.id)),
    db.select().from(flowVersions).where(eq(flowVersions.definitionId, row.id)).orderBy(desc(flowVersions.number)),
  ]);
  const v = (x: typeof versions[number]) => ({
    id: x.id, number: x.number, status: x.status, publishedAt: x.publishedAt?.toISOString() ?? null, publishedBy: x.publishedBy,
  });
  const active = versions.find((x) => x.id === row.activeVersionId);
  return {
    id: row.id, name: row.name, gate: row.gate, categoryIds: cats.map((c) => c.categoryId), adminUserId: row.adminUserId,
    draft: row.draft, activeVersion: active ? { ...v(active), tree: active.tree } : null, versions: versions.map(v),
    version: row.version, updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listFlows(db: Db, gate?: ApprovalGate) {
  const rows = await db.select().from(flowDefinitions).where(gate ? eq(flowDefinitions.gate, gate) : undefined).orderBy(flowDefinitions.createdAt);
  const views = await Promise.all(rows.map((r) => toView(db, r)));
  return views.map(({ draft: _d, activeVersion: _a, ...rest }) => rest);
}

export async function getFlow(db: DbOrTx, id: string): Promise<FlowDefinition> {
  const [row] = await db.select().from(flowDefinitions).where(eq(flowDefinitions.id, id));
  if (!row) throw notFound('approval flow');
  return toView(db, row);
}

async function checkAdmin(tx: Tx, userId: string) {
  const [u] = await tx.select({ id: users.id }).from(users).where(and(eq(users.id, userId), eq(users.active, true), sql`${users.role} <> 'customer'`));
  if (!u) throw new AppError('VALIDATION_FAILED', 'adminUserId: not an active staff user', [{ path: 'adminUserId', message: 'not an active staff user' }]);
}

async function attach(tx: Tx, id: string, gate: ApprovalGate, categoryIds: readonly string[]) {
  await tx.delete(flowDefinitionCategories).where(eq(flowDefinitionCategories.definitionId, id));
  if (!categoryIds.length) return;
  const unique = [...new Set(categoryIds)];
  const known = await tx.select({ id: categories.id }).from(categories).where(inArray(categories.id, unique));
  if (known.length !== unique.length) throw new AppError('VALIDATION_FAILED', 'categoryIds: unknown category', [{ path: 'categoryIds', message: 'unknown category' }]);
  const taken = await tx.select({ categoryId: flowDefinitionCategories.categoryId }).from(flowDefinitionCategories)
    .where(and(eq(flowDefinitionCategories.gate, gate), inArray(flowDefinitionCategories.categoryId, unique)));
  if (taken.length) {
    throw new AppError('CONFLICT', 'categoryIds: a category already has a flow at this gate',
      [{ path: 'categoryIds', message: `already attached to another ${gate} flow: ${taken.map((t) => t.categoryId).join(', ')}` }]);
  }
  await tx.insert(flowDefinitionCategories).values(unique.map((categoryId) => ({ categoryId, gate, definitionId: id })));
}

export async function createFlow(db: Db, opts: { actor: Actor; input: FlowDefinitionCreate; now?: Date }): Promise<FlowDefinition> {
  const input = zFlowDefinitionCreate.parse(opts.input);
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    await checkAdmin(tx, input.adminUserId);
    const id = newId(now.getTime());
    await tx.insert(flowDefinitions).values({ id, name: input.name, gate: input.gate, adminUserId: input.adminUserId, draft: input.draft, createdAt: now, updatedAt: now });
    await attach(tx, id, input.gate, input.categoryIds);
    return getFlow(tx, id);
  });
}

async function lockDef(tx: Tx, id: string, version?: number): Promise<DefRow> {
  const [row] = await tx.select().from(flowDefinitions).where(eq(flowDefinitions.id, id)).for('update');
  if (!row) throw notFound('approval flow');
  if (version !== undefined && row.version !== version) throw new AppError('CONFLICT', `the flow changed meanwhile (version ${row.version}); reload it`);
  return row;
}

export async function updateFlow(db: Db, opts: { id: string; input: FlowDefinitionUpdate; now?: Date }): Promise<FlowDefinition> {
  const input = zFlowDefinitionUpdate.parse(opts.input);
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    const row = await lockDef(tx, opts.id, input.version);
    if (input.adminUserId) await checkAdmin(tx, input.adminUserId);
    await tx.update(flowDefinitions).set({
      ...(input.name ? { name: input.name } : {}), ...(input.adminUserId ? { adminUserId: input.adminUserId } : {}),
      ...(input.draft ? { draft: input.draft } : {}), version: row.version + 1, updatedAt: now,
    }).where(eq(flowDefinitions.id, row.id));
    if (input.categoryIds) await attach(tx, row.id, row.gate, input.categoryIds);
    return getFlow(tx, row.id);
  });
}

export async function deleteFlow(db: Db, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    await lockDef(tx, id);
    const [used] = await tx.select({ id: flowInstances.id }).from(flowInstances).where(eq(flowInstances.definitionId, id)).limit(1);
    if (used) throw new AppError('CONFLICT', 'the flow has instances: detach it from its categories instead');
    await tx.delete(flowVersions).where(eq(flowVersions.definitionId, id));
    await tx.delete(flowDefinitions).where(eq(flowDefinitions.id, id));
  });
}

export async function validateDraft(db: DbOrTx, id: string, tree?: FlowTree): Promise<FlowValidation> {
  const def = await getFlow(db, id);
  return validateFlow(tree ?? def.draft, await fieldCatalog(db, def.gate, def.categoryIds));
}

export async function publishFlow(db: Db, opts: { actor: Actor; id: string; version: number; now?: Date }): Promise<FlowDefinition> {
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    const row = await lockDef(tx, opts.id, opts.version);
    const cats = await tx.select({ id: flowDefinitionCategories.categoryId }).from(flowDefinitionCategories).where(eq(flowDefinitionCategories.definitionId, row.id));
    const v = validateFlow(row.draft, await fieldCatalog(tx, row.gate, cats.map((c) => c.id)));
    if (!v.ok) {
      throw new AppError('VALIDATION_FAILED', `draft: ${v.errors[0]!.message}`,
        v.errors.map((e) => ({ path: e.nodeId ? `draft.${e.nodeId}` : 'draft', message: e.message, code: e.code })));
    }
    const [last] = await tx.select({ n: sql<number>`coalesce(max(${flowVersions.number}), 0)::int` }).from(flowVersions).where(eq(flowVersions.definitionId, row.id));
    await tx.update(flowVersions).set({ status: 'archived' }).where(and(eq(flowVersions.definitionId, row.id), eq(flowVersions.status, 'active')));
    const versionId = newId(now.getTime());
    await tx.insert(flowVersions).values({
      id: versionId, definitionId: row.id, number: (last?.n ?? 0) + 1, status: 'active', tree: row.draft, publishedAt: now, publishedBy: opts.actor.userId,
    });
    await tx.update(flowDefinitions).set({ activeVersionId: versionId, version: row.version + 1, updatedAt: now }).where(eq(flowDefinitions.id, row.id));
    return getFlow(tx, row.id);
  });
}
