import type { Logger } from '../common/logger';
import type { Viewer } from '../policy/viewer';
import type { Services } from './services';
import { createLoaders, Loaders } from './loaders';
import type { DataSource } from 'typeorm';

/** What every resolver receives: who asks, per-request loaders, the services, and the request's id. */
export interface Context {
  requestId: string;
  viewer: Viewer | null;
  clientAddress: string;
  loaders: Loaders;
  services: Services;
  logger: Logger;
}

export function createContext(base: Omit<Context, 'loaders'> & { dataSource: DataSource }): Context {
  const { dataSource, ...rest } = base;
  // Fresh loaders per request: their caches must never serve one user's rows to another.
  return { ...rest, loaders: createLoaders(dataSource, rest.services) };
}
