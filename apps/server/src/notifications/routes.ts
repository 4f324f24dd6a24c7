import { defineRoutes } from '../http/routes.js';

export const notificationRoutes = defineRoutes(async () => {
  // filled in by the notifications work
});
