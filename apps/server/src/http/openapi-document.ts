/**
 * The OpenAPI document as the running server serves it at /api/openapi.json, built without a
 * network listener or a data folder: the app on an in-memory PGlite that is never migrated
 * (building the routes reads nothing from the database).
 */
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';

/** The base URL written into `servers` of the committed copy (a running server writes its own). */
export const DOCUMENT_BASE_URL = 'http://127.0.0.1:3000';

export async function openApiDocument(): Promise<Record<string, unknown>> {
  const database = await openDatabase({ migrate: false });
  try {
    const config = loadConfig({
      CLOSELOOP_DATA_DIR: '/tmp/closeloop-openapi-unused',
      CLOSELOOP_LOG_LEVEL: 'silent',
      CLOSELOOP_BASE_URL: DOCUMENT_BASE_URL,
    });
    const app = await buildApp({ config, database, logger: false });
    try {
      await app.ready();
      return app.swagger() as unknown as Record<string, unknown>;
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }
}
