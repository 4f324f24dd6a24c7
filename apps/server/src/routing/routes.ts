/** Routing administration (tags, rules, skill groups) and a ticket's tags. */
import { z } from 'zod';
import {
  zId, zRule, zRuleCreate, zRuleTestRequest, zRuleTestResult, zRuleUpdate, zSkillGroup, zSkillGroupCreate,
  zSkillGroupMemberInput, zSkillGroupUpdate, zTag, zTagCreate, zTagUpdate, zTicketTag, zTicketTagDecision,
} from '@closeloop/contract';
import { isStaff, requireActor } from '../auth/actor.js';
import { forbidden } from '../http/app-error.js';
import { defineRoutes } from '../http/routes.js';
import { findVisibleTicket } from '../tickets/access.js';
import { createRule } from './create-rule.js';
import { decideTicketTags } from './decide-ticket-tags.js';
import { listRules } from './list-rules.js';
import { listSkillGroups } from './list-skill-groups.js';
import { listTags } from './list-tags.js';
import { saveSkillGroup } from './save-skill-group.js';
import { saveTag } from './save-tag.js';
import { removeGroupMember, setGroupMember } from './set-group-member.js';
import { testRules } from './test-rules.js';
import { listTicketTags } from './ticket-tags.js';
import { updateRule } from './update-rule.js';

const zParams = z.object({ id: zId });
const ADMIN = { scope: 'admin', roles: ['admin'] } as const;
const items = <T extends z.ZodTypeAny>(t: T) => z.object({ items: z.array(t) });

export const routingRoutes = defineRoutes(async (app, ctx) => {
  // ---- tags
  app.get('/tags', {
    schema: { tags: ['routing'], summary: 'The tag library (问题标签库), by path', querystring: z.object({ active: z.enum(['true', 'false']).optional() }), response: { 200: items(zTag) } },
  }, async (req) => {
    const actor = requireActor(req.actor);
    if (!isStaff(actor)) throw forbidden('staff only');
    return { items: await listTags({ db: ctx.db, activeOnly: req.query.active === 'true' }) };
  });
  app.post('/tags', { schema: { tags: ['routing'], summary: 'Create a tag (admin)', body: zTagCreate, response: { 201: zTag } } },
    async (req, reply) => reply.status(201).send(await saveTag({ db: ctx.db, actor: requireActor(req.actor, ADMIN), input: req.body })));
  app.patch('/tags/:id', { schema: { tags: ['routing'], summary: 'Change a tag (admin); retire it with active=false', params: zParams, body: zTagUpdate, response: { 200: zTag } } },
    async (req) => saveTag({ db: ctx.db, actor: requireActor(req.actor, ADMIN), id: req.params.id, input: req.body }));

  // ---- a ticket's tags
  app.get('/tickets/:id/tags', { schema: { tags: ['routing'], summary: "A ticket's tags: suggested, confirmed, removed", params: zParams, response: { 200: items(zTicketTag) } } },
    async (req) => {
      const actor = requireActor(req.actor, { scope: 'tickets:read' });
      if (!isStaff(actor)) throw forbidden('staff only');
      await findVisibleTicket({ db: ctx.db, actor, ticketId: req.params.id });
      return { items: await listTicketTags({ db: ctx.db, ticketId: req.params.id }) };
    });
  app.post('/tickets/:id/tags', {
    schema: { tags: ['routing'], summary: 'Confirm or remove suggested tags, add tags (人工复核)', params: zParams, body: zTicketTagDecision, response: { 200: items(zTicketTag) } },
  }, async (req) => {
    const actor = requireActor(req.actor, { scope: 'tickets:write' });
    return { items: await decideTicketTags({ db: ctx.db, actor, ticketId: req.params.id, input: req.body }) };
  });

  // ---- rules
  app.get('/rules', { schema: { tags: ['routing'], summary: 'Rules in evaluation order (admin)', response: { 200: items(zRule) } } },
    async (req) => { requireActor(req.actor, ADMIN); return { items: await listRules({ db: ctx.db }) }; });
  app.post('/rules', { schema: { tags: ['routing'], summary: 'Create a rule (admin)', body: zRuleCreate, response: { 201: zRule } } },
    async (req, reply) => reply.status(201).send(await createRule({ db: ctx.db, actor: requireActor(req.actor, ADMIN), input: req.body })));
  app.patch('/rules/:id', { schema: { tags: ['routing'], summary: 'Change a rule (a new definition is a new version)', params: zParams, body: zRuleUpdate, response: { 200: zRule } } },
    async (req) => updateRule({ db: ctx.db, actor: requireActor(req.actor, ADMIN), id: req.params.id, input: req.body }));
  app.post('/rules/test', {
    schema: { tags: ['routing'], summary: 'Test the rules on a sample ticket (规则测试); writes nothing', body: zRuleTestRequest, response: { 200: zRuleTestResult } },
  }, async (req) => { requireActor(req.actor, ADMIN); return testRules({ db: ctx.db, input: req.body }); });

  // ---- skill groups
  app.get('/skill-groups', { schema: { tags: ['routing'], summary: 'Skill groups (技能组) with members', response: { 200: items(zSkillGroup) } } },
    async (req) => {
      const actor = requireActor(req.actor);
      if (!isStaff(actor)) throw forbidden('staff only');
      return { items: await listSkillGroups({ db: ctx.db }) };
    });
  app.post('/skill-groups', { schema: { tags: ['routing'], summary: 'Create a skill group (admin)', body: zSkillGroupCreate, response: { 201: zSkillGroup } } },
    async (req, reply) => reply.status(201).send(await saveSkillGroup({ db: ctx.db, actor: requireActor(req.actor, ADMIN), input: req.body })));
  app.patch('/skill-groups/:id', { schema: { tags: ['routing'], summary: 'Change a skill group (admin)', params: zParams, body: zSkillGroupUpdate, response: { 200: zSkillGroup } } },
    async (req) => saveSkillGroup({ db: ctx.db, actor: requireActor(req.actor, ADMIN), id: req.params.id, input: req.body }));
  app.put('/skill-groups/:id/members', {
    schema: { tags: ['routing'], summary: 'Add a member or set on-duty / capacity (admin, department manager)', params: zParams, body: zSkillGroupMemberInput, response: { 200: zSkillGroup } },
  }, async (req) => setGroupMember({ db: ctx.db, actor: requireActor(req.actor, { roles: ['admin', 'manager'] }), groupId: req.params.id, input: req.body }));
  app.delete('/skill-groups/:id/members/:userId', {
    schema: { tags: ['routing'], summary: 'Remove a member (admin)', params: z.object({ id: zId, userId: zId }), response: { 200: zSkillGroup } },
  }, async (req) => removeGroupMember({ db: ctx.db, actor: requireActor(req.actor, ADMIN), groupId: req.params.id, userId: req.params.userId }));
});
