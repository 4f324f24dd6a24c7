/** Follow-up, effectiveness and repeat-complaint endpoints (public link routes need no login). */
import { z } from 'zod';
import {
  zEffectivenessCheck, zEffectivenessCheckList, zEffectivenessOutcomeInput, zFollowupSettings, zFollowupSettingsUpdate,
  zId, zPhoneFollowUp, zPublicFollowUp, zPublicFollowUpAnswer, zPublicFollowUpResult, zRepeatRateQuery, zRepeatRates,
  zTicket, zTicketFollowupSummary, zTicketLink, zTicketLinkDecision,
} from '@closeloop/contract';
import { requireActor } from '../auth/actor.js';
import { newId } from '../db/util.js';
import { AppError } from '../http/app-error.js';
import { defineRoutes } from '../http/routes.js';
import { findVisibleTicket } from '../tickets/access.js';
import { loadTicketView } from '../tickets/get-ticket.js';
import { listMyEffectivenessChecks, recordEffectivenessCheck } from './effectiveness-checks.js';
import { followupSettingsOf, updateFollowupSettings } from './followup-settings.js';
import { issueFollowUpLink } from './issue-follow-up-link.js';
import { followupUrl } from './link-token.js';
import { logPhoneFollowUp } from './log-phone-follow-up.js';
import { answerPublicFollowUp, getPublicFollowUp } from './public-follow-up.js';
import { checkPublicRate } from './public-rate-limit.js';
import { decideTicketLink, listTicketLinks, repeatRates } from './repeat-complaints.js';
import { ticketFollowupSummary } from './ticket-followup-summary.js';

const zToken = z.object({ token: z.string().min(1).max(200) });
const zTicketParams = z.object({ id: zId });
const TAGS = ['follow-up'];

export const followupRoutes = defineRoutes(async (app, ctx) => {
  app.get('/public/follow-up/:token', {
    schema: {
      tags: TAGS, summary: 'The customer\'s follow-up link: what it is about (no login)',
      description: '404 for a token that does not verify or names another ticket; 410 GONE when the link was used, '
        + 'replaced, has expired, or the ticket no longer waits for follow-up.',
      params: zToken, response: { 200: zPublicFollowUp },
    },
  }, async (req) => {
    checkPublicRate(req.ip);
    return getPublicFollowUp({ db: ctx.db, token: req.params.token });
  });

  app.post('/public/follow-up/:token', {
    schema: {
      tags: TAGS, summary: 'Answer the follow-up link once: solved (rating 1–5) closes, not solved reopens at analysis',
      params: zToken, body: zPublicFollowUpAnswer, response: { 200: zPublicFollowUpResult },
    },
  }, async (req) => {
    checkPublicRate(req.ip);
    return answerPublicFollowUp({ db: ctx.db, token: req.params.token, answer: req.body });
  });

  app.post('/tickets/:id/follow-ups', {
    schema: {
      tags: TAGS, summary: 'Log a phone follow-up (电话回访) with the customer\'s words: solved confirms, not solved reopens',
      params: zTicketParams, body: zPhoneFollowUp, response: { 200: zTicket },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, { scope: 'tickets:write' });
    if (actor.role === 'customer') throw new AppError('FORBIDDEN', 'phone follow-ups are logged by staff');
    await logPhoneFollowUp({ db: ctx.db, actor, ticketId: req.params.id, input: req.body });
    return loadTicketView({ db: ctx.db, actor, id: req.params.id });
  });

  app.post('/tickets/:id/follow-up-link', {
    schema: {
      tags: TAGS, summary: 'Send the customer a new follow-up link (the older one stops working); answers the link once, for SMS or chat',
      params: zTicketParams, response: { 200: zTicketFollowupSummary },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, { scope: 'tickets:write', roles: ['agent', 'manager', 'admin'] });
    await findVisibleTicket({ db: ctx.db, actor, ticketId: req.params.id });
    const issued = await issueFollowUpLink({ db: ctx.db, ticketId: req.params.id, sourceEventId: newId(), sourceEventAt: new Date() });
    if (!issued) throw new AppError('INVALID_TRANSITION', 'the ticket is not waiting for follow-up');
    const summary = await ticketFollowupSummary({ db: ctx.db, actor, ticketId: req.params.id });
    return { ...summary, issuedUrl: followupUrl(ctx.config.baseUrl, issued.token) };
  });

  app.get('/tickets/:id/follow-up', {
    schema: {
      tags: TAGS, summary: 'Follow-up of a ticket: link status, answers, effectiveness checks, repeat complaints, settings',
      params: zTicketParams, response: { 200: zTicketFollowupSummary },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, { scope: 'tickets:read', roles: ['admin', 'manager', 'agent', 'handler', 'verifier'] });
    return ticketFollowupSummary({ db: ctx.db, actor, ticketId: req.params.id });
  });

  app.get('/categories/:id/follow-up-settings', {
    schema: { tags: TAGS, summary: 'A category\'s follow-up settings (defaults when never set)', params: zTicketParams, response: { 200: zFollowupSettings } },
  }, async (req) => {
    requireActor(req.actor, { scope: 'tickets:read', roles: ['admin', 'manager', 'agent', 'handler', 'verifier'] });
    return followupSettingsOf(ctx.db, req.params.id);
  });

  app.put('/categories/:id/follow-up-settings', {
    schema: {
      tags: TAGS, summary: 'Set a category\'s warranty notice, link validity, auto-close and effectiveness days',
      params: zTicketParams, body: zFollowupSettingsUpdate, response: { 200: zFollowupSettings },
    },
  }, async (req) => {
    requireActor(req.actor, { scope: 'admin', roles: ['admin'] });
    return updateFollowupSettings({ db: ctx.db, categoryId: req.params.id, update: req.body });
  });

  app.get('/me/effectiveness-checks', {
    schema: { tags: TAGS, summary: 'My due effectiveness checks (有效性验证) of closed tickets', response: { 200: zEffectivenessCheckList } },
  }, async (req) => {
    const actor = requireActor(req.actor, { scope: 'tickets:read' });
    return { items: await listMyEffectivenessChecks({ db: ctx.db, actor }) };
  });

  app.post('/tickets/:id/effectiveness-checks/:checkId', {
    schema: {
      tags: TAGS, summary: 'Record an effectiveness check: effective / ineffective (reopens at analysis) / inconclusive',
      params: z.object({ id: zId, checkId: zId }), body: zEffectivenessOutcomeInput, response: { 200: zEffectivenessCheck },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, { scope: 'tickets:write' });
    return recordEffectivenessCheck({ db: ctx.db, actor, ticketId: req.params.id, checkId: req.params.checkId, input: req.body });
  });

  app.get('/tickets/:id/links', {
    schema: { tags: TAGS, summary: 'Possible repeat complaints linked to this ticket (both directions)', params: zTicketParams, response: { 200: z.object({ items: z.array(zTicketLink) }) } },
  }, async (req) => {
    const actor = requireActor(req.actor, { scope: 'tickets:read', roles: ['admin', 'manager', 'agent', 'handler', 'verifier'] });
    await findVisibleTicket({ db: ctx.db, actor, ticketId: req.params.id });
    return { items: await listTicketLinks(ctx.db, req.params.id) };
  });

  app.post('/tickets/:id/links/:linkId', {
    schema: {
      tags: TAGS, summary: 'Confirm or dismiss a possible repeat complaint (重复投诉)',
      params: z.object({ id: zId, linkId: zId }), body: zTicketLinkDecision, response: { 200: z.object({ items: z.array(zTicketLink) }) },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, { scope: 'tickets:write' });
    return { items: await decideTicketLink({ db: ctx.db, actor, ticketId: req.params.id, linkId: req.params.linkId, decision: req.body }) };
  });

  app.get('/insights/repeat-rate', {
    schema: {
      tags: TAGS, summary: 'Reopen rate and repeat-complaint rate of the tickets created in a period',
      description: 'Of the tickets created in [from, to): how many were reopened at least once, and how many are confirmed '
        + 'repeat complaints of an earlier ticket. Over every ticket (staff who see all: admin, manager, agent, verifier).',
      querystring: zRepeatRateQuery, response: { 200: zRepeatRates },
    },
  }, async (req) => {
    requireActor(req.actor, { scope: 'tickets:read', roles: ['admin', 'manager', 'agent', 'verifier'] });
    const from = new Date(req.query.from);
    const to = new Date(req.query.to);
    if (to <= from) throw new AppError('VALIDATION_FAILED', 'to: must be after from', [{ path: 'to', message: 'must be after from' }]);
    return repeatRates({ db: ctx.db, from, to });
  });
});
