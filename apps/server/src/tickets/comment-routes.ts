import { defineRoutes } from '../http/routes.js';

export const commentRoutes = defineRoutes(async () => {
  // filled in by the intake work: comments under a ticket
});
