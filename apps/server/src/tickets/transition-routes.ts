import { defineRoutes } from '../http/routes.js';

export const transitionRoutes = defineRoutes(async () => {
  // filled in by the lifecycle work: POST /tickets/{id}/transitions, GET /tickets/{id}/events
});
