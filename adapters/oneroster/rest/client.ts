import { AdapterContext, AdapterError, HttpResponse } from '../../contract';
import { OrRecord } from '../oneroster';
import { OneRosterConfig } from './config';

/** The read scopes the hub asks for: rostering, demographics (birth dates, sex) and the gradebook. */
export const SCOPE_PREFIX = 'https://purl.imsglobal.org/spec/or/v1p2/scope/';
export const SCOPES = ['roster-core.readonly', 'roster-demographics.readonly', 'gradebook-core.readonly'];

/** Records per page; providers may clamp it (the Ed-Fi service clamps to 500), which paging allows for. */
export const PAGE_SIZE = 500;

export type Service = 'rostering' | 'gradebook';

export interface ListOptions {
  filter?: string;
  /** Records per page (PAGE_SIZE unless set). */
  limit?: number;
  fields?: string[];
}

/** A filter literal: single-quoted, a quote inside written twice. */
export const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** application/x-www-form-urlencoded, as RFC 6749 2.3.1 wants the client id and secret before they are joined. */
const formEncode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');

/** What the provider said was wrong, from the imsx envelope or an OAuth error, briefly. */
function detail(response: HttpResponse): string {
  try {
    const body = JSON.parse(response.text) as Record<string, unknown>;
    const said = body.imsx_description ?? body.error_description ?? body.error;
    if (typeof said === 'string' && said.trim() !== '') return `: ${said.trim().slice(0, 200)}`;
  } catch {
    // Not JSON: the status says enough.
  }
  return '';
}

/**
 * A OneRoster 1.2 REST client over the contract's HTTP client (which retries timeouts, 5xx and 429):
 * OAuth 2.0 client credentials with HTTP Basic, a new token when a data call answers 401 (retried
 * once), paging by limit and offset, and the provider's refusals turned into AdapterErrors in words
 * IT staff can act on. Every record it reads is shown to `onRecord` (the reader keeps a watermark).
 */
export class OneRosterClient {
  /** Data requests sent (token requests not counted), for progress messages. */
  requests = 0;
  /**
   * The provider's clock when the first data request was answered (its HTTP Date header, to the second),
   * in epoch milliseconds; null when that answer had no readable Date.
   */
  firstAnsweredAt: number | null | undefined;
  private token: { value: string; expiresAt: number } | null = null;

  constructor(
    private readonly config: OneRosterConfig,
    private readonly ctx: AdapterContext,
    private readonly onRecord: (record: OrRecord) => void = () => {},
  ) {}

  /** A bearer token, fetched when there is none, it has run out, or `renew` (the provider refused the last one). */
  async accessToken(renew = false): Promise<string> {
    if (!renew && this.token && this.token.expiresAt > Date.now()) return this.token.value;
    const { tokenUrl, clientId, clientSecret } = this.config;
    const response = await this.ctx.http.request(tokenUrl, {
      method: 'POST',
      headers: {
        authorization: `Basic ${btoa(`${formEncode(clientId)}:${formEncode(clientSecret)}`)}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: `grant_type=client_credentials&scope=${formEncode(SCOPES.map((s) => SCOPE_PREFIX + s).join(' '))}`,
    });
    let body: Record<string, unknown> | null = null;
    try {
      body = JSON.parse(response.text) as Record<string, unknown>;
    } catch {
      body = null;
    }
    if (response.status === 200 && typeof body?.access_token === 'string' && body.access_token !== '') {
      const lifetime = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 3600;
      // A little early, so that a token does not run out between being checked and being used.
      this.token = { value: body.access_token, expiresAt: Date.now() + Math.max(lifetime - 30, lifetime / 2) * 1000 };
      return this.token.value;
    }
    const error = typeof body?.error === 'string' ? body.error : '';
    const said = detail(response);
    if (error === 'invalid_client' || response.status === 401) {
      throw new AdapterError('config',
        `The OneRoster provider refused the client ID or the client secret (HTTP ${response.status}${said}). ` +
        'Check both against what the vendor issued for journal-hub: the secret may have been changed or revoked.');
    }
    if (error === 'invalid_scope') {
      throw new AdapterError('config',
        `The OneRoster provider does not grant this client the read scopes journal-hub needs (${SCOPES.join(', ')})${said}. Ask the vendor to grant them.`);
    }
    if (error === 'unsupported_grant_type' || error === 'unauthorized_client') {
      throw new AdapterError('config', `The token address does not issue tokens to this client by client credentials (${error}${said}). Ask the vendor which OAuth 2.0 flow to use.`);
    }
    if (response.status === 200 || response.status === 404 || response.status === 405 || (response.status >= 300 && response.status < 400)) {
      throw new AdapterError('config', `${tokenUrl} does not answer like an OAuth 2.0 token address (HTTP ${response.status}${said}). Check the token address (tokenUrl).`);
    }
    throw new AdapterError('transient', `The token address answered HTTP ${response.status}${said}.`);
  }

  /** One record by id; null when the provider has no such record (404). */
  async get(service: Service, path: string, key: string): Promise<OrRecord | null> {
    const response = await this.authorizedGet(this.url(service, path), path);
    if (response.status === 404) return null;
    if (response.status !== 200) throw this.refusal(response, path);
    const record = this.parse(response, path)[key];
    if (record === null || typeof record !== 'object') throw this.notOneRoster(path, `no "${key}" in the answer`);
    this.onRecord(record as OrRecord);
    return record as OrRecord;
  }

  /**
   * The pages of a collection, by limit and offset, until a page is short, X-Total-Count is reached
   * or the Link header has no next page. The offset advances by what came, so a clamped page size is
   * no problem. Sorted by sourcedId, so that pages do not shift while records change.
   */
  async *pages(service: Service, path: string, key: string, options: ListOptions = {}): AsyncGenerator<OrRecord[]> {
    const limit = options.limit ?? PAGE_SIZE;
    let offset = 0;
    for (;;) {
      const params = [`limit=${limit}`, `offset=${offset}`, 'sort=sourcedId'];
      if (options.filter) params.push(`filter=${encodeURIComponent(options.filter)}`);
      if (options.fields) params.push(`fields=${encodeURIComponent(options.fields.join(','))}`);
      const response = await this.authorizedGet(`${this.url(service, path)}?${params.join('&')}`, path);
      if (response.status !== 200) throw this.refusal(response, path);
      const page = this.parse(response, path)[key];
      if (!Array.isArray(page)) throw this.notOneRoster(path, `no "${key}" list in the answer`);
      const records = page.filter((r): r is OrRecord => r !== null && typeof r === 'object');
      records.forEach((r) => this.onRecord(r));
      yield records;
      offset += page.length;
      if (page.length === 0) return;
      const total = response.headers.get('x-total-count');
      if (total !== null && /^\d+$/.test(total.trim())) {
        if (offset >= Number(total)) return;
        continue;
      }
      const link = response.headers.get('link');
      if (link !== null) {
        if (!/rel="?next"?/.test(link)) return;
        continue;
      }
      if (page.length < limit) return;
    }
  }

  /** The first page only: enough to see that a collection can be read. */
  async first(service: Service, path: string, key: string, options: ListOptions = {}): Promise<OrRecord[]> {
    for await (const page of this.pages(service, path, key, options)) return page;
    return [];
  }

  async all(service: Service, path: string, key: string, options: ListOptions = {}): Promise<OrRecord[]> {
    const records: OrRecord[] = [];
    for await (const page of this.pages(service, path, key, options)) records.push(...page);
    return records;
  }

  private url(service: Service, path: string) {
    return `${service === 'rostering' ? this.config.rosteringUrl : this.config.gradebookUrl}/${path}`;
  }

  /** A data GET with the bearer token; a 401 means the token ran out: a new one, and the request once more. */
  private async authorizedGet(url: string, what: string): Promise<HttpResponse> {
    const send = async (token: string) => {
      this.requests++;
      return this.ctx.http.request(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    };
    let response = await send(await this.accessToken());
    if (this.firstAnsweredAt === undefined) {
      const date = Date.parse(response.headers.get('date') ?? '');
      this.firstAnsweredAt = Number.isNaN(date) ? null : date;
    }
    if (response.status === 401) {
      response = await send(await this.accessToken(true));
      if (response.status === 401) {
        throw new AdapterError('config',
          `The OneRoster provider refuses even a fresh access token for ${what} (HTTP 401${detail(response)}). Ask the vendor to check this client's rights.`);
      }
    }
    return response;
  }

  private parse(response: HttpResponse, what: string): Record<string, unknown> {
    try {
      const body = JSON.parse(response.text);
      if (body !== null && typeof body === 'object') return body as Record<string, unknown>;
    } catch {
      // Handled below.
    }
    throw this.notOneRoster(what, 'the answer is not JSON');
  }

  private notOneRoster(what: string, why: string) {
    return new AdapterError('config', `The service address does not answer like a OneRoster 1.2 service (${what}: ${why}). Check the service address (baseUrl).`);
  }

  private refusal(response: HttpResponse, what: string): AdapterError {
    const said = detail(response);
    switch (response.status) {
      case 403:
        return new AdapterError('config', `The OneRoster provider does not let this client read ${what} (HTTP 403${said}). Ask the vendor to grant the read scopes ${SCOPES.join(', ')}.`);
      case 404:
        return new AdapterError('config', `The OneRoster provider has no ${what} (HTTP 404${said}). Check the service address (baseUrl) and the school's sourcedId.`);
      case 400:
      case 422:
        return new AdapterError('config', `The OneRoster provider refused the request for ${what} (HTTP ${response.status}${said}); it may not support the filters journal-hub uses. Send this message to the vendor.`);
      default:
        return new AdapterError('transient', `The OneRoster provider answered HTTP ${response.status} for ${what}${said}.`);
    }
  }
}
