import { defineRoutes } from '../http/routes.js';

export const attachmentRoutes = defineRoutes(async () => {
  // filled in by the attachments work
});
