import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';

function serverUrl(): string {
  const url = process.env.JH_TEST_SERVER_URL;
  if (!url) throw new Error('JH_TEST_SERVER_URL is unset: run the tests through `npm test` (jest globalSetup starts PostgreSQL).');
  return url;
}

export function databaseUrl(name: string): string {
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A new database for one test file: a copy of the migrated template, or empty when `empty` is set. */
export async function createTestDatabase({ empty = false } = {}): Promise<{ name: string; url: string }> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  const template = empty ? 'template0' : process.env.JH_TEST_TEMPLATE!;
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return { name, url: databaseUrl(name) };
}

export async function dropTestDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/**
 * Gives the test file a migrated database of its own for its whole run:
 *   const db = useTestDatabase();  ...  db.dataSource.query(...)
 */
export function useTestDatabase(): { dataSource: DataSource; url: string } {
  const handle = {} as { dataSource: DataSource; url: string; name: string };
  beforeAll(async () => {
    const { name, url } = await createTestDatabase();
    Object.assign(handle, { name, url, dataSource: createDataSource(url) });
    await handle.dataSource.initialize();
  });
  afterAll(async () => {
    await handle.dataSource?.destroy();
    if (handle.name) await dropTestDatabase(handle.name);
  });
  return handle;
}
