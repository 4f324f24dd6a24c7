/** In-app notifications of the signed-in user (the bell in the web app's top bar). */
import { z } from 'zod';
import {
  zId, zNotification, zNotificationList, zNotificationListQuery, zNotificationPreferences, zNotificationPreferencesUpdate,
  zNotificationsReadAll,
} from '@closeloop/contract';
import type { TokenScope } from '@closeloop/contract';
import { requireActor, type Actor } from '../auth/actor.js';
import { forbidden } from '../http/app-error.js';
import { defineRoutes } from '../http/routes.js';
import { getNotificationPreferences } from './get-notification-preferences.js';
import { listNotifications } from './list-notifications.js';
import { markAllNotificationsRead } from './mark-all-notifications-read.js';
import { markNotificationRead } from './mark-notification-read.js';
import { updateNotificationPreferences } from './update-notification-preferences.js';

const TAGS = ['notifications'];

/** Notifications belong to a person: a caller without a user (the system) has none. */
function recipientOf(actor: Actor | null, scope: TokenScope): string {
  const a = requireActor(actor, { scope });
  if (!a.userId) throw forbidden('notifications belong to a user');
  return a.userId;
}

export const notificationRoutes = defineRoutes(async (app, ctx) => {
  app.get('/notifications', {
    schema: {
      tags: TAGS,
      summary: 'List my notifications, newest first, with the unread count',
      querystring: zNotificationListQuery,
      response: { 200: zNotificationList },
    },
  }, async (req) => {
    const userId = recipientOf(req.actor, 'tickets:read');
    return listNotifications({
      db: ctx.db, userId, unreadOnly: req.query.unread === 'true', limit: req.query.limit, cursor: req.query.cursor,
    });
  });

  app.post('/notifications/:id/read', {
    schema: {
      tags: TAGS,
      summary: 'Mark one of my notifications read',
      params: z.object({ id: zId }),
      response: { 200: zNotification },
    },
  }, async (req) => {
    const userId = recipientOf(req.actor, 'tickets:write');
    return markNotificationRead({ db: ctx.db, userId, id: req.params.id });
  });

  app.post('/notifications/read-all', {
    schema: {
      tags: TAGS,
      summary: 'Mark all my notifications read',
      response: { 200: zNotificationsReadAll },
    },
  }, async (req) => {
    const userId = recipientOf(req.actor, 'tickets:write');
    return { ok: true as const, updated: await markAllNotificationsRead({ db: ctx.db, userId }) };
  });

  app.get('/me/notification-preferences', {
    schema: {
      tags: TAGS,
      summary: 'My notification settings: in-app and e-mail per kind',
      response: { 200: zNotificationPreferences },
    },
  }, async (req) => {
    const userId = recipientOf(req.actor, 'tickets:read');
    return getNotificationPreferences({ db: ctx.db, userId });
  });

  app.put('/me/notification-preferences', {
    schema: {
      tags: TAGS,
      summary: 'Switch in-app or e-mail notifications of some kinds on or off',
      body: zNotificationPreferencesUpdate,
      response: { 200: zNotificationPreferences },
    },
  }, async (req) => {
    const userId = recipientOf(req.actor, 'tickets:write');
    return updateNotificationPreferences({ db: ctx.db, userId, update: req.body });
  });
});
