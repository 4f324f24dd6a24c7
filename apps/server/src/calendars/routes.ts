/** Business calendars (工作日历): read by staff, changed by admins. */
import { z } from 'zod';
import {
  zCalendar, zCalendarCreate, zCalendarList, zCalendarUpdate, zId, zOfficialHolidaysFill, zOfficialHolidaysResult,
} from '@closeloop/contract';
import { isStaff, requireActor, type Actor } from '../auth/actor.js';
import { forbidden } from '../http/app-error.js';
import { defineRoutes } from '../http/routes.js';
import { createCalendar } from './create-calendar.js';
import { fillOfficialHolidays } from './fill-official-holidays.js';
import { getCalendar } from './get-calendar.js';
import { listCalendars } from './list-calendars.js';
import { updateCalendar } from './update-calendar.js';

const zParams = z.object({ id: zId });
const ADMIN = { scope: 'admin', roles: ['admin'] } as const;

function requireStaff(actor: Actor | null): Actor {
  const a = requireActor(actor);
  if (!isStaff(a)) throw forbidden('calendars are for staff');
  return a;
}

export const calendarRoutes = defineRoutes(async (app, ctx) => {
  app.get('/calendars', {
    schema: {
      tags: ['calendars'],
      summary: 'List calendars (default first) and whether the official holiday schedule of this and next year is known',
      response: { 200: zCalendarList },
    },
  }, async (req) => {
    requireStaff(req.actor);
    return listCalendars({ db: ctx.db });
  });

  app.get('/calendars/:id', {
    schema: { tags: ['calendars'], summary: 'Get a calendar', params: zParams, response: { 200: zCalendar } },
  }, async (req) => {
    requireStaff(req.actor);
    return getCalendar({ db: ctx.db, id: req.params.id });
  });

  app.post('/calendars', {
    schema: { tags: ['calendars'], summary: 'Create a calendar (admin)', body: zCalendarCreate, response: { 201: zCalendar } },
  }, async (req, reply) => {
    const actor = requireActor(req.actor, ADMIN);
    return reply.status(201).send(await createCalendar({ db: ctx.db, actor, input: req.body }));
  });

  app.patch('/calendars/:id', {
    schema: {
      tags: ['calendars'],
      summary: 'Change a calendar (admin): names, definition, or make it the default',
      params: zParams,
      body: zCalendarUpdate,
      response: { 200: zCalendar },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, ADMIN);
    return updateCalendar({ db: ctx.db, actor, id: req.params.id, input: req.body });
  });

  app.post('/calendars/:id/official-holidays', {
    schema: {
      tags: ['calendars'],
      summary: "Fill a year's public holidays and 调休 days from the official schedule (admin; idempotent)",
      params: zParams,
      body: zOfficialHolidaysFill,
      response: { 200: zOfficialHolidaysResult },
    },
  }, async (req) => {
    const actor = requireActor(req.actor, ADMIN);
    return fillOfficialHolidays({ db: ctx.db, actor, id: req.params.id, year: req.body.year });
  });
});
