/** Rectification endpoints: the loop's read, analysis, disputes, containment, measures as tasks, my tasks, stage durations. */
import { z } from 'zod';
import {
  STAFF_ROLES, zAnalysisInput, zContainmentAction, zContainmentInput, zDispute, zDisputeDecideInput, zDisputeRaiseInput, zId,
  zMeasureCancelInput, zMeasureCommentInput, zMeasureCompleteInput, zMeasureStartInput, zMyMeasureList, zMyMeasuresQuery,
  zRectification, zRectMeasure, zRootCauseAnalysis, zStageDurations,
} from '@closeloop/contract';
import { requireActor } from '../auth/actor.js';
import { defineRoutes } from '../http/routes.js';
import { decideDispute, raiseDispute, recordContainment, saveAnalysis } from './analysis-commands.js';
import { getRectification, visibleTicketRow } from './get-rectification.js';
import { listMyMeasures } from './list-my-measures.js';
import { runMeasureCommand } from './measure-commands.js';
import { stageDurations } from './stage-durations.js';

const zParams = z.object({ id: zId });
const zMeasureParams = z.object({ id: zId, measureId: zId });
const STAFF_WRITE = { scope: 'tickets:write', roles: STAFF_ROLES } as const;
const STAFF_READ = { scope: 'tickets:read', roles: STAFF_ROLES } as const;
const TAGS = ['rectification'];

export const rectificationRoutes = defineRoutes(async (app, ctx) => {
  app.get('/tickets/:id/rectification', {
    schema: {
      tags: TAGS, summary: 'The rectification loop of a ticket: analysis, disputes, containment, plan versions, acceptance rounds',
      description: '`revisionBase` is the latest rejected plan version (with its rejection opinion) while none is newer: a revision starts from it.',
      params: zParams, response: { 200: zRectification },
    },
  }, async (req) => getRectification({ db: ctx.db, actor: requireActor(req.actor, STAFF_READ), ticketId: req.params.id }));

  app.get('/tickets/:id/stage-durations', {
    schema: {
      tags: TAGS, summary: 'Time spent in each status (business minutes of the default calendar), from the audit trail',
      params: zParams, response: { 200: zStageDurations },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, STAFF_READ);
    return stageDurations(ctx.db, await visibleTicketRow(ctx.db, actor, req.params.id));
  });

  app.put('/tickets/:id/rectification/analysis', {
    schema: {
      tags: TAGS, summary: 'Save the root-cause analysis (原因分析); the ticket owner or a manager',
      params: zParams, body: zAnalysisInput, response: { 200: zRootCauseAnalysis },
    },
  }, async (req) => saveAnalysis({ db: ctx.db, actor: requireActor(req.actor, STAFF_WRITE), ticketId: req.params.id, input: req.body }));

  app.post('/tickets/:id/rectification/disputes', {
    schema: {
      tags: TAGS, summary: 'Raise a responsibility dispute (定性争议) for a department',
      params: zParams, body: zDisputeRaiseInput, response: { 201: zDispute },
    },
  }, async (req, reply) => reply.status(201).send(await raiseDispute({
    db: ctx.db, actor: requireActor(req.actor, STAFF_WRITE), ticketId: req.params.id, input: req.body,
  })));

  app.post('/tickets/:id/rectification/disputes/:disputeId/decision', {
    schema: {
      tags: TAGS, summary: 'Decide a responsibility dispute (manager), with reasons',
      params: z.object({ id: zId, disputeId: zId }), body: zDisputeDecideInput, response: { 200: zDispute },
    },
  }, async (req) => decideDispute({
    db: ctx.db, actor: requireActor(req.actor, STAFF_WRITE), ticketId: req.params.id, disputeId: req.params.disputeId, input: req.body,
  }));

  app.post('/tickets/:id/rectification/containment', {
    schema: {
      tags: TAGS, summary: 'Record a containment action (临时措施) at the customer, in transit, in the warehouse or in production',
      params: zParams, body: zContainmentInput, response: { 201: zContainmentAction },
    },
  }, async (req, reply) => reply.status(201).send(await recordContainment({
    db: ctx.db, actor: requireActor(req.actor, STAFF_WRITE), ticketId: req.params.id, input: req.body,
  })));

  const measureRoute = <S extends z.ZodTypeAny>(
    path: string, summary: string, body: S, toInput: (b: z.infer<S>) => Parameters<typeof runMeasureCommand>[0]['input'],
  ) => app.post(`/tickets/:id/measures/:measureId/${path}`, {
    schema: { tags: TAGS, summary, params: zMeasureParams, body, response: { 200: zRectMeasure } },
  }, async (req) => runMeasureCommand({
    db: ctx.db, actor: requireActor(req.actor, STAFF_WRITE), ticketId: req.params.id, measureId: req.params.measureId,
    input: toInput(req.body as z.infer<S>),
  }));
  measureRoute('start', 'Start a measure (todo → doing)', zMeasureStartInput, (b) => ({ action: 'start', ...b }));
  measureRoute('complete', 'Complete a measure with evidence or a note (its owner; the ticket owner or a manager on their behalf)',
    zMeasureCompleteInput, (b) => ({ action: 'complete', ...b }));
  measureRoute('comments', 'Comment on a measure', zMeasureCommentInput, (b) => ({ action: 'comment', ...b }));
  measureRoute('cancel', 'Cancel a measure (manager), with a reason', zMeasureCancelInput, (b) => ({ action: 'cancel', ...b }));

  app.get('/me/measures', {
    schema: {
      tags: TAGS, summary: '我的整改任务: my measures on approved plans, open first, by due date',
      querystring: zMyMeasuresQuery, response: { 200: zMyMeasureList },
    },
  }, async (req) => listMyMeasures({ db: ctx.db, actor: requireActor(req.actor, STAFF_READ), query: req.query }));
});
