import { defineRoutes } from '../http/routes.js';

export const customerRoutes = defineRoutes(async () => {
  // filled in by the customers work
});
