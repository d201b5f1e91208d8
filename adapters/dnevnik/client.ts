import { AdapterContext, AdapterError, HttpResponse } from '../contract';
import { DnevnikConfig } from './config';
import { isRecord, parseVendorJson } from './json';

/** The error codes Dnevnik.ru answers with (reference §1.2). */
const ERROR_TYPES = new Set(['authorizationFailed', 'invalidToken', 'parameterInvalid', 'apiServerError', 'apiUnknownError']);

const isHtml = (response: HttpResponse) => /text\/html/i.test(response.headers.get('content-type') ?? '') || /^\s*</.test(response.text);

/** What the HTML error page says: the text of its `error__description` block (else of its title). */
export function htmlErrorText(html: string): string {
  const block = /class="error__description"[^>]*>([\s\S]*?)<\/div>/i.exec(html)?.[1] ?? /<title>([\s\S]*?)<\/title>/i.exec(html)?.[1] ?? '';
  return block.replace(/<[^>]+>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim().slice(0, 200);
}

/** The `{type, description}` envelope, when the body is one (some failures come with HTTP 200). */
export function errorEnvelope(body: unknown): { type: string; description: string } | null {
  if (!isRecord(body) || typeof body.type !== 'string' || !ERROR_TYPES.has(body.type)) return null;
  return { type: body.type, description: typeof body.description === 'string' ? body.description.slice(0, 200) : '' };
}

/**
 * A Dnevnik.ru partner API v2 client over the contract's HTTP client (which retries timeouts, 5xx and
 * 429): the `Access-Token` header, requests spaced to the configured rate (shared by all parallel
 * readers), ids parsed exactly, and the vendor's refusals — JSON envelope or HTML page — turned into
 * AdapterErrors in words IT staff can act on.
 */
export class DnevnikClient {
  /** Requests sent, for progress messages. */
  requests = 0;
  private nextSlot = 0;
  private readonly spacingMs: number;

  constructor(
    private readonly config: DnevnikConfig,
    private readonly ctx: AdapterContext,
  ) {
    this.spacingMs = 1000 / config.requestsPerSecond;
  }

  /** GET a path under the API root; null when the vendor says there is no such record (404). */
  async get(path: string, query: [string, string][] = []): Promise<unknown | null> {
    await this.slot();
    const search = query.length ? `?${new URLSearchParams(query).toString()}` : '';
    const url = `${this.config.baseUrl}${path}${search}`;
    this.requests++;
    const response = await this.ctx.http.request(url, { headers: { 'Access-Token': this.config.accessToken, Accept: 'application/json' } });
    if (isHtml(response)) {
      if (response.status === 404) return null;
      throw this.refusal(response.status, null, htmlErrorText(response.text), path);
    }
    let body: unknown;
    try {
      body = parseVendorJson(response.text);
    } catch {
      throw new AdapterError('transient', `Dnevnik.ru answered ${path} with something that is not JSON (HTTP ${response.status}).`);
    }
    const envelope = errorEnvelope(body);
    if (response.status === 404 && (!envelope || envelope.type === 'parameterInvalid')) return null;
    if (response.status >= 200 && response.status < 300 && !envelope) return body;
    throw this.refusal(response.status, envelope?.type ?? null, envelope?.description ?? '', path);
  }

  /** A list from a path; an error when the answer is not a list. */
  async list(path: string, query: [string, string][] = []): Promise<unknown[]> {
    const body = await this.get(path, query);
    if (body === null) return [];
    if (!Array.isArray(body)) throw new AdapterError('transient', `Dnevnik.ru answered ${path} with ${typeof body} instead of a list.`);
    return body;
  }

  private refusal(status: number, type: string | null, description: string, path: string): AdapterError {
    const said = `${type ? `${type}: ` : ''}${description || `HTTP ${status}`}`;
    if (type === 'invalidToken' || type === 'authorizationFailed' || status === 401) {
      return new AdapterError('config',
        `Dnevnik.ru refused the access token (${said}). Partner tokens last about 30 days and can be revoked: ` +
        'issue a new token for journal-hub and enter it in «Токен доступа (Access-Token)».');
    }
    if (status === 403) return new AdapterError('config', `The access token has no right to read ${path} (${said}). The token must be issued with the school administrator's rights.`);
    if (type === 'parameterInvalid' || status === 400) return new AdapterError('config', `Dnevnik.ru did not accept the request for ${path} (${said}). Check «Идентификатор школы в Дневник.ру» (schoolId).`);
    return new AdapterError('transient', `Dnevnik.ru failed on ${path} (${said}).`);
  }

  /** Waits for this request's turn: requests start at most `requestsPerSecond` a second, whatever the parallelism. */
  private async slot(): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.nextSlot);
    this.nextSlot = at + this.spacingMs;
    if (at <= now) return;
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => (clearTimeout(timer), reject(new AdapterError('transient', 'cancelled')));
      const timer = setTimeout(() => (this.ctx.signal.removeEventListener('abort', onAbort), resolve()), at - now);
      this.ctx.signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
