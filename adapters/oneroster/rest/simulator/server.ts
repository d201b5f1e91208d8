import http from 'node:http';
import { TokenIssuer } from './auth';
import { SimulatorClock } from './clock';
import { Answer, serveData } from './endpoints';
import { FaultInjector } from './faults';
import { ImsxError, imsxStatus } from './imsx';
import { ListCache } from './query';
import { resolveRoute } from './routes';
import { RecordStore } from './store';

export interface RequestLogEntry {
  method: string;
  path: string;
  /** 0 when the connection was reset instead of answered. */
  status: number;
  query: Record<string, string>;
}

export interface ServerParts {
  store: RecordStore;
  auth: TokenIssuer;
  faults: FaultInjector;
  maxPageSize: number;
  log: RequestLogEntry[];
  origin: () => string;
  /** The provider's time: it stamps the records and dates the answers (the HTTP Date header). */
  clock: SimulatorClock;
}

const TOKEN_PATH = '/token';
const MAX_BODY_BYTES = 64 * 1024;

export function simulatorHandler(parts: ServerParts): http.RequestListener {
  const lists = new ListCache();
  return (request, response) => {
    // Only reading the request can fail here (the client went away); there is nobody left to answer.
    handle(parts, lists, request, response).catch(() => request.socket.destroy());
  };
}

async function handle(parts: ServerParts, lists: ListCache, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', parts.origin());
  const query = Object.fromEntries(url.searchParams);
  const entry: RequestLogEntry = { method: request.method ?? 'GET', path: url.pathname, status: 0, query };
  if (parts.faults.down) {
    parts.log.push(entry);
    request.socket.resetAndDestroy();
    return;
  }
  const body = await readBody(request);
  if (parts.faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, parts.faults.latencyMs));
  let answer: Answer;
  try {
    answer = url.pathname === TOKEN_PATH ? answerToken(parts, request, body) : answerData(parts, lists, request, url);
  } catch (error) {
    answer = { status: 500, body: imsxStatus('internal_server_error', `the simulator failed: ${String(error)}`) };
  }
  entry.status = answer.status;
  parts.log.push(entry);
  send(response, answer, parts.clock.now());
}

function answerToken(parts: ServerParts, request: http.IncomingMessage, body: string): Answer {
  if (request.method !== 'POST') return { status: 405, headers: { Allow: 'POST' }, body: { error: 'invalid_request' } };
  return parts.auth.issue(request.headers.authorization, request.headers['content-type'], body);
}

/** The order a provider's gateway works in: endpoint, method, token, scope, rate limit, then the data. */
function answerData(parts: ServerParts, lists: ListCache, request: http.IncomingMessage, url: URL): Answer {
  const route = resolveRoute(url.pathname);
  if (!route) return failure(new ImsxError(404, 'unknownobject', `no endpoint ${url.pathname}`));
  if (request.method !== 'GET') {
    return { ...failure(new ImsxError(405, 'unsupported', 'the simulator is read-only: only GET is supported')), headers: { Allow: 'GET' } };
  }
  const token = parts.auth.check(request.headers.authorization);
  if (!token.valid) return unauthorised(token.description);
  if (!parts.faults.tokenStillWorks(token.token)) return unauthorised('the token has expired');
  if (!route.view.scopes.some((scope) => token.scopes.has(scope))) {
    return failure(new ImsxError(403, 'forbidden', `${route.view.name} needs one of the scopes ${route.view.scopes.join(', ')}`));
  }
  switch (parts.faults.nextDataRequest()) {
    case 'throttled':
      return { ...failure(new ImsxError(429, 'server_busy', 'too many requests')), headers: { 'Retry-After': '1' } };
    case 'failed':
      return failure(new ImsxError(500, 'internal_server_error', 'the provider failed (injected fault)'));
  }
  try {
    return serveData(route, url, { store: parts.store, faults: parts.faults, maxPageSize: parts.maxPageSize, origin: parts.origin(), lists });
  } catch (error) {
    if (error instanceof ImsxError) return failure(error);
    throw error;
  }
}

const failure = (error: ImsxError): Answer => ({ status: error.httpStatus, body: error.body() });

const unauthorised = (description: string): Answer => ({
  ...failure(new ImsxError(401, 'unauthorisedrequest', description)),
  headers: { 'WWW-Authenticate': 'Bearer realm="oneroster", error="invalid_token"' },
});

function send(response: http.ServerResponse, answer: Answer, now: Date): void {
  const payload = answer.body === undefined ? '' : JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    // By the clock that stamps the records, as a real provider's one clock would (not the machine's).
    Date: now.toUTCString(),
    ...(payload ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
    'Content-Length': Buffer.byteLength(payload),
    ...answer.headers,
  });
  response.end(payload);
}

async function readBody(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) break;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
