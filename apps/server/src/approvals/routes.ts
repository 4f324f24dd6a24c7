/** Approval flows: definitions (admin), instances and task actions (staff), the workbench boxes. */
import { z } from 'zod';
import {
  APPROVAL_GATES, zApprovalBoxPage, zApprovalBoxQuery, zFlowDefinition, zFlowDefinitionCreate, zFlowDefinitionList,
  zFlowDefinitionUpdate, zFlowFieldCatalog, zFlowInstance, zFlowPublish, zFlowTree, zFlowValidation, zId, zInstanceUrge,
  zInstanceWithdraw, zOk, zTaskAddSigner, zTaskApprove, zTaskReject, zTaskReturn, zTaskTransfer,
} from '@closeloop/contract';
import { isStaff, requireActor, type Actor } from '../auth/actor.js';
import { forbidden } from '../http/app-error.js';
import { defineRoutes } from '../http/routes.js';
import type { Db } from '../db/client.js';
import { actOnInstance, instanceOfTask, type InstanceAction } from './act-on-instance.js';
import { createFlow, deleteFlow, fieldCatalog, getFlow, listFlows, publishFlow, updateFlow, validateDraft } from './definitions.js';
import { approvalBox, getInstance, instanceView, ticketInstances } from './views.js';

const zParams = z.object({ id: zId });
const ADMIN = { scope: 'admin', roles: ['admin'] } as const;
const TAGS = ['approvals'];

function staff(actor: Actor | null): Actor {
  const a = requireActor(actor, { scope: 'tickets:read' });
  if (!isStaff(a)) throw forbidden('approvals are internal to staff');
  return a;
}

async function onTask(db: Db, actor: Actor, taskId: string, make: (actorId: string) => InstanceAction) {
  const { instanceId, ticketId } = await instanceOfTask(db, taskId);
  const { loaded } = await actOnInstance(db, { actor, instanceId, ticketId, action: make(actor.userId!) });
  return instanceView(db, loaded, actor);
}
async function onInstance(db: Db, actor: Actor, instanceId: string, make: (actorId: string) => InstanceAction) {
  const { loaded } = await actOnInstance(db, { actor, instanceId, action: make(actor.userId!) });
  return instanceView(db, loaded, actor);
}

export const approvalRoutes = defineRoutes(async (app, ctx) => {
  app.get('/approval-flows', {
    schema: { tags: TAGS, summary: 'Approval flows (staff)', querystring: z.object({ gate: z.enum(APPROVAL_GATES).optional() }), response: { 200: zFlowDefinitionList } },
  }, async (req) => {
    staff(req.actor);
    return { items: await listFlows(ctx.db, req.query.gate) };
  });
  app.get('/approval-flows/fields', {
    schema: {
      tags: TAGS, summary: 'Fields a flow condition may use at a gate (ticket, gate subject, category custom fields)',
      querystring: z.object({ gate: z.enum(APPROVAL_GATES), categoryIds: z.string().max(4000).optional() }), response: { 200: zFlowFieldCatalog },
    },
  }, async (req) => {
    staff(req.actor);
    const ids = (req.query.categoryIds ?? '').split(',').filter((x) => zId.safeParse(x).success);
    return { gate: req.query.gate, fields: await fieldCatalog(ctx.db, req.query.gate, ids) };
  });
  app.post('/approval-flows', {
    schema: { tags: TAGS, summary: 'Create an approval flow (admin)', body: zFlowDefinitionCreate, response: { 201: zFlowDefinition } },
  }, async (req, reply) => {
    const actor = requireActor(req.actor, ADMIN);
    return reply.status(201).send(await createFlow(ctx.db, { actor, input: req.body }));
  });
  app.get('/approval-flows/:id', {
    schema: { tags: TAGS, summary: 'An approval flow: draft, active version, versions', params: zParams, response: { 200: zFlowDefinition } },
  }, async (req) => {
    staff(req.actor);
    return getFlow(ctx.db, req.params.id);
  });
  app.patch('/approval-flows/:id', {
    schema: { tags: TAGS, summary: 'Change the draft, name, categories or flow admin (admin)', params: zParams, body: zFlowDefinitionUpdate, response: { 200: zFlowDefinition } },
  }, async (req) => {
    requireActor(req.actor, ADMIN);
    return updateFlow(ctx.db, { id: req.params.id, input: req.body });
  });
  app.delete('/approval-flows/:id', {
    schema: { tags: TAGS, summary: 'Delete a flow that never ran (admin)', params: zParams, response: { 200: zOk } },
  }, async (req) => {
    requireActor(req.actor, ADMIN);
    await deleteFlow(ctx.db, req.params.id);
    return { ok: true as const };
  });
  app.post('/approval-flows/:id/validate', {
    schema: {
      tags: TAGS, summary: 'Validate a tree (body.tree, as the designer holds it) or else the stored draft: errors by node id and code',
      params: zParams, body: z.object({ tree: zFlowTree.optional() }).nullish(), response: { 200: zFlowValidation },
    },
  }, async (req) => {
    staff(req.actor);
    return validateDraft(ctx.db, req.params.id, req.body?.tree);
  });
  app.post('/approval-flows/:id/publish', {
    schema: {
      tags: TAGS, summary: 'Publish the draft as the new active version (admin); the previous one is archived',
      description: 'Running instances keep the version they started with. 400 VALIDATION_FAILED lists the errors as fields (path draft.<node id>, code).',
      params: zParams, body: zFlowPublish, response: { 200: zFlowDefinition },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, ADMIN);
    return publishFlow(ctx.db, { actor, id: req.params.id, version: req.body.version });
  });

  app.get('/approval-instances/:id', {
    schema: { tags: TAGS, summary: 'An approval instance with its version\'s tree, tasks and path (who acted when)', params: zParams, response: { 200: zFlowInstance } },
  }, async (req) => getInstance(ctx.db, staff(req.actor), req.params.id));
  app.get('/tickets/:id/approvals', {
    schema: { tags: TAGS, summary: 'The ticket\'s approval instances, newest first', params: zParams, response: { 200: z.object({ items: z.array(zFlowInstance) }) } },
  }, async (req) => ({ items: await ticketInstances(ctx.db, staff(req.actor), req.params.id) }));

  const write = (actor: Actor | null) => {
    const a = requireActor(actor, { scope: 'tickets:write' });
    if (!isStaff(a) || !a.userId) throw forbidden('approvals are acted on by staff users');
    return a;
  };
  app.post('/approval-tasks/:id/approve', {
    schema: { tags: TAGS, summary: 'Approve (同意) with an opinion and attachments', params: zParams, body: zTaskApprove, response: { 200: zFlowInstance } },
  }, async (req) => onTask(ctx.db, write(req.actor), req.params.id, (actorId) => ({ kind: 'approve', taskId: req.params.id, actorId, opinion: req.body.opinion ?? null, attachmentIds: req.body.attachmentIds })));
  app.post('/approval-tasks/:id/complete', {
    schema: { tags: TAGS, summary: 'Confirm a handler task (办理完成)', params: zParams, body: zTaskApprove, response: { 200: zFlowInstance } },
  }, async (req) => onTask(ctx.db, write(req.actor), req.params.id, (actorId) => ({ kind: 'complete', taskId: req.params.id, actorId, opinion: req.body.opinion ?? null, attachmentIds: req.body.attachmentIds })));
  app.post('/approval-tasks/:id/reject', {
    schema: { tags: TAGS, summary: 'Reject (驳回): to the initiator, the previous node or a chosen node, per the node setting', params: zParams, body: zTaskReject, response: { 200: zFlowInstance } },
  }, async (req) => onTask(ctx.db, write(req.actor), req.params.id, (actorId) => ({ kind: 'reject', taskId: req.params.id, actorId, opinion: req.body.opinion, attachmentIds: req.body.attachmentIds, targetNodeId: req.body.targetNodeId })));
  app.post('/approval-tasks/:id/return', {
    schema: { tags: TAGS, summary: 'Return (退回) to an earlier node or the initiator', params: zParams, body: zTaskReturn, response: { 200: zFlowInstance } },
  }, async (req) => onTask(ctx.db, write(req.actor), req.params.id, (actorId) => ({ kind: 'return', taskId: req.params.id, actorId, opinion: req.body.opinion, targetNodeId: req.body.targetNodeId })));
  app.post('/approval-tasks/:id/transfer', {
    schema: { tags: TAGS, summary: 'Transfer (转交) the task to another person', params: zParams, body: zTaskTransfer, response: { 200: zFlowInstance } },
  }, async (req) => onTask(ctx.db, write(req.actor), req.params.id, (actorId) => ({ kind: 'transfer', taskId: req.params.id, actorId, userId: req.body.userId, opinion: req.body.opinion ?? null })));
  app.post('/approval-tasks/:id/add-signer', {
    schema: { tags: TAGS, summary: 'Add signers before (前加签) or after (后加签); added signers cannot add more', params: zParams, body: zTaskAddSigner, response: { 200: zFlowInstance } },
  }, async (req) => onTask(ctx.db, write(req.actor), req.params.id, (actorId) => ({ kind: 'add_signer', taskId: req.params.id, actorId, position: req.body.position, userIds: req.body.userIds, opinion: req.body.opinion ?? null })));
  app.post('/approval-tasks/:id/read', {
    schema: { tags: TAGS, summary: 'Mark a cc (抄送) as read', params: zParams, response: { 200: zFlowInstance } },
  }, async (req) => onTask(ctx.db, write(req.actor), req.params.id, (actorId) => ({ kind: 'cc_read', taskId: req.params.id, actorId })));
  app.post('/approval-instances/:id/withdraw', {
    schema: { tags: TAGS, summary: 'Withdraw (撤回) by the initiator while no one acted on the current node', params: zParams, body: zInstanceWithdraw, response: { 200: zFlowInstance } },
  }, async (req) => onInstance(ctx.db, write(req.actor), req.params.id, (actorId) => ({ kind: 'withdraw', actorId, reason: req.body.reason ?? null })));
  app.post('/approval-instances/:id/urge', {
    schema: { tags: TAGS, summary: 'Urge (催办) the current approvers; limited per hour', params: zParams, body: zInstanceUrge, response: { 200: zFlowInstance } },
  }, async (req) => onInstance(ctx.db, write(req.actor), req.params.id, (actorId) => ({ kind: 'urge', actorId, message: req.body.message ?? null })));

  app.get('/me/approvals', {
    schema: { tags: TAGS, summary: 'My boxes: todo 待我审批, done 我已审批, cc 抄送我', querystring: zApprovalBoxQuery, response: { 200: zApprovalBoxPage } },
  }, async (req) => approvalBox(ctx.db, staff(req.actor), req.query));
});
