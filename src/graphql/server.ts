import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Logger } from '../common/logger';
import { Context, createContext } from './context';
import { createErrorFormatter } from './format-error';
import { armor } from './limits';
import { buildSchema } from './schema';
import { Services } from './services';
import { documentRoutes } from './document-routes';

export interface ServerOptions {
  dataSource: DataSource;
  services: Services;
  logger: Logger;
  introspection: boolean;
  /** How long in-flight requests may take to finish on shutdown. */
  shutdownGraceMs: number;
}

export interface HubServer {
  httpServer: http.Server;
  listen(port: number, host: string): Promise<string>;
  /** Stops accepting requests, lets in-flight ones finish (up to the grace period), then stops Apollo. */
  stop(): Promise<void>;
}

/** The HTTP side: POST /graphql (Apollo Server) and GET /health. */
export async function createServer({ dataSource, services, logger, introspection, shutdownGraceMs }: ServerOptions): Promise<HubServer> {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const httpServer = http.createServer(app);
  let stopping = false;

  const limits = armor(!introspection);
  const apollo = new ApolloServer<Context>({
    schema: buildSchema(),
    introspection,
    hideSchemaDetailsFromClientErrors: !introspection,
    // Apollo's default cache-control plugin wraps every resolver and halves nested-list throughput;
    // the hub sends no cache hints (reference: perf-security.md 1.2).
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: shutdownGraceMs }),
      ...limits.plugins,
      {
        async requestDidStart({ contextValue }) {
          const started = process.hrtime.bigint();
          return {
            async willSendResponse({ operationName, errors }) {
              contextValue.logger.info({
                operation: operationName ?? null,
                ms: Number(process.hrtime.bigint() - started) / 1e6,
                errors: errors?.map((e) => e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'),
              }, 'graphql request');
            },
          };
        },
      },
    ],
    validationRules: limits.validationRules,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter(logger),
  });
  await apollo.start();

  app.get('/health', async (_req, res) => {
    if (stopping) {
      res.status(503).json({ status: 'stopping' });
      return;
    }
    try {
      await dataSource.query('SELECT 1');
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'database unavailable' });
    }
  });

  /** One request's context, for GraphQL and for the document routes alike. */
  const contextFor = async (req: express.Request): Promise<Context> => {
    const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || randomUUID();
    const clientAddress = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const viewer = token ? await services.accounts.viewerForToken(token) : null;
    return createContext({ requestId, clientAddress, viewer, services, dataSource, logger: logger.child({ requestId, account: viewer?.accountId }) });
  };

  app.use('/graphql', express.json({ limit: '100kb' }), expressMiddleware(apollo, { context: ({ req }) => contextFor(req) }));
  app.use(documentRoutes(contextFor));
  // Anything a route did not answer: masked like GraphQL's internal errors, with an id in the log.
  app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const errorId = randomUUID();
    logger.error({ err: error, errorId }, 'internal error');
    res.status(500).json({ error: { code: 'INTERNAL_SERVER_ERROR', errorId } });
  });

  return {
    httpServer,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address();
          const actualPort = typeof address === 'object' && address ? address.port : port;
          resolve(`http://${host === '0.0.0.0' ? 'localhost' : host}:${actualPort}/graphql`);
        });
      });
    },
    async stop() {
      stopping = true;
      await apollo.stop();
    },
  };
}
