import { buildApp } from '/work/main/apps/server/src/app.js';
import { loadConfig } from '/work/main/apps/server/src/config.js';
import { openDatabase } from '/work/main/apps/server/src/db/client.js';
const database = await openDatabase({});
const app = await buildApp({ config: loadConfig({ CLOSELOOP_LOG_LEVEL: 'silent' }), database, logger: false });
await app.ready();
const doc = JSON.parse((await app.inject({ method: 'GET', url: '/api/openapi.json' })).body);
for (const [p, ops] of Object.entries<any>(doc.paths)) {
  if (!/auth|me|tokens|users|departments/.test(p)) continue;
  for (const [m, op] of Object.entries<any>(ops)) console.log(m.toUpperCase(), p, op.tags, op.summary, Object.keys(op.responses ?? {}), op.security ? JSON.stringify(op.security) : '');
}
await app.close(); await database.close();
