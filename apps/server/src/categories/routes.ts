import { defineRoutes } from '../http/routes.js';

export const categoryRoutes = defineRoutes(async () => {
  // filled in by the categories work
});
