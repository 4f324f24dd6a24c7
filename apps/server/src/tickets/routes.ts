import { defineRoutes } from '../http/routes.js';

export const ticketRoutes = defineRoutes(async () => {
  // filled in by the tickets work
});
