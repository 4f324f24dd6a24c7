/** Every domain's routes, in the order they appear in the OpenAPI document. */
import type { RouteModule } from './routes.js';
import { authRoutes } from '../auth/routes.js';
import { peopleRoutes } from '../people/routes.js';
import { customerRoutes } from '../customers/routes.js';
import { categoryRoutes } from '../categories/routes.js';
import { formRoutes } from '../forms/routes.js';
import { calendarRoutes } from '../calendars/routes.js';
import { slaRoutes } from '../sla/routes.js';
import { insightRoutes } from '../tickets/insight-routes.js';
import { ticketRoutes } from '../tickets/routes.js';
import { transitionRoutes } from '../tickets/transition-routes.js';
import { commentRoutes } from '../tickets/comment-routes.js';
import { attachmentRoutes } from '../attachments/routes.js';
import { notificationRoutes } from '../notifications/routes.js';
import { outboxRoutes } from '../jobs/routes.js';
import { routingRoutes } from '../routing/routes.js';
import { mailRoutes } from '../mail/routes.js';
import { rectificationRoutes } from '../rectification/routes.js';
import { acceptanceRoutes } from '../acceptance/routes.js';
import { approvalRoutes } from '../approvals/routes.js';
import { followupRoutes } from '../followup/routes.js';
import { knowledgeRoutes } from '../knowledge/routes.js';
import { portalRoutes } from '../portal/routes.js';
import { integrationRoutes } from '../integrations/routes.js';
import { smsRoutes } from '../portal/sms-routes.js';
import { webhookRoutes } from '../webhooks/routes.js';
import { spreadsheetRoutes } from '../spreadsheets/routes.js';

export const routeModules: RouteModule[] = [
  authRoutes, peopleRoutes, customerRoutes, categoryRoutes, formRoutes, calendarRoutes, slaRoutes, insightRoutes, ticketRoutes, transitionRoutes, commentRoutes, attachmentRoutes, notificationRoutes, mailRoutes, outboxRoutes, routingRoutes,
  rectificationRoutes, acceptanceRoutes, approvalRoutes, followupRoutes, knowledgeRoutes,
  // one line per module added since session 5 (merges stay simple)
  portalRoutes,
  smsRoutes,
  integrationRoutes,
  webhookRoutes,
  spreadsheetRoutes,
];
