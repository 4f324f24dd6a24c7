import { defineRoutes } from '../http/routes.js';

export const peopleRoutes = defineRoutes(async () => {
  // filled in by the people work
});
