import { defineRoutes } from '../http/routes.js';

export const authRoutes = defineRoutes(async () => {
  // filled in by the auth work
});
