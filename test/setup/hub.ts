import { DataSource } from 'typeorm';
import { createLogger } from '../../src/common/logger';
import { createServer, HubServer } from '../../src/graphql/server';
import { createServices, Services } from '../../src/graphql/services';
import { useTestDatabase } from './database';
import type { Adapter } from '../../adapters/contract';
import { SecretBox } from '../../src/sync/secrets';
import type { SourceLimits } from '../../src/sync/sync.service';

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: string[]; extensions: { code: string; reason?: string; fields?: Record<string, string>; [k: string]: unknown } }[];
}

export interface TestHub {
  dataSource: DataSource;
  /** The test database's URL, for what opens connections of its own (the job queue). */
  databaseUrl: string;
  services: Services;
  url: string;
  /** Sends one GraphQL operation over HTTP, as a client app would. */
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>>;
}

/** A real hub (HTTP, Apollo, policy, PostgreSQL) on a database of the test file's own. */
export function useTestHub(options: { introspection?: boolean; adapters?: Adapter[]; sourceLimits?: SourceLimits } = {}): TestHub {
  const db = useTestDatabase();
  const hub = {} as TestHub & { server: HubServer };
  beforeAll(async () => {
    hub.dataSource = db.dataSource;
    hub.databaseUrl = db.url;
    hub.services = createServices(db.dataSource, {
      sessionTtlHours: 12, mail: { smtpUrl: null, from: 'school@test.local' }, adapters: options.adapters ?? [], secrets: new SecretBox(SecretBox.generateKey()), sourceLimits: options.sourceLimits,
    });
    hub.server = await createServer({
      dataSource: db.dataSource, services: hub.services, logger: createLogger('silent'),
      introspection: options.introspection ?? true, shutdownGraceMs: 1000,
    });
    hub.url = await hub.server.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await hub.server?.stop();
  });
  hub.gql = async (query, variables, token) => {
    const res = await fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, ...((await res.json()) as object) };
  };
  return hub;
}
