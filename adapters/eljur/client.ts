import { AdapterContext, AdapterError, HttpResponse } from '../contract';
import { EljurConfig } from './config';
import { isObject, Json, text } from './mapping';

/** Attempts for a failure ЭлЖур reports inside an HTTP 200 (state 429 or 5xx), which the HTTP client cannot see. */
const IN_BODY_ATTEMPTS = 4;
const IN_BODY_BASE_DELAY_MS = 250;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(new AdapterError('transient', 'cancelled'));
    const onAbort = () => (clearTimeout(timer), reject(new AdapterError('transient', 'cancelled')));
    const timer = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve()), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

/** At most `perSecond` requests start per second, spaced evenly, however many callers wait at once. */
export class RateLimiter {
  private next = 0;

  constructor(private readonly perSecond: number, private readonly signal: AbortSignal) {}

  async take(): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.next);
    this.next = at + 1000 / this.perSecond;
    if (at > now) await sleep(at - now, this.signal);
  }
}

/** What ЭлЖур answered: the envelope's state (or the HTTP status when there is no envelope), its error text, its result. */
interface Envelope {
  state: number;
  error: string;
  result: unknown;
}

/** `{response:{state,error,result}}`; the HTTP status stands for the state when the body has none. */
export function envelopeOf(response: HttpResponse): Envelope | null {
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    return null;
  }
  const inner = isObject(body) && isObject(body.response) ? body.response : isObject(body) && ('state' in body || 'result' in body) ? body : null;
  if (!inner) return null;
  const state = Number(inner.state ?? response.status);
  return { state: Number.isFinite(state) ? state : response.status, error: text(inner.error) ?? '', result: inner.result };
}

/**
 * An ЭлЖур API client over the contract's HTTP client: devkey, vendor, out_format and auth_token in
 * the query string of every call; a session token from `auth` (login and password in a form body),
 * renewed once when ЭлЖур says it has expired; errors read both from the HTTP status and from the
 * `state` inside an HTTP 200 (installs differ); every request within the configured rate.
 */
export class EljurClient {
  /** Data requests sent, for progress messages. */
  requests = 0;
  private token: { value: string; expiresAt: number } | null = null;
  private signingIn: Promise<string> | null = null;
  private readonly limiter: RateLimiter;

  constructor(private readonly config: EljurConfig, private readonly ctx: AdapterContext) {
    this.limiter = new RateLimiter(config.requestsPerSecond, ctx.signal);
  }

  private url(method: string, params: Record<string, string>): string {
    const query = new URLSearchParams({ devkey: this.config.devkey, vendor: this.config.vendor, out_format: 'json', ...params });
    return `${this.config.apiUrl}/${method}?${query}`;
  }

  /** The session token; parallel callers share one sign-in. */
  async authToken(renew = false): Promise<string> {
    if (!renew && this.token && this.token.expiresAt > Date.now()) return this.token.value;
    this.signingIn ??= this.signIn().finally(() => (this.signingIn = null));
    return this.signingIn;
  }

  private async signIn(): Promise<string> {
    await this.limiter.take();
    const response = await this.ctx.http.request(this.url('auth', {}), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ login: this.config.login, password: this.config.password }).toString(),
    });
    const envelope = envelopeOf(response);
    if (!envelope) throw this.notEljur('auth', response);
    const result = isObject(envelope.result) ? envelope.result : {};
    const token = text(result.token);
    if (envelope.state === 200 && token) {
      // "YYYY-MM-DD hh:mm:ss" in the server's zone: a day early is early enough and needs no zone.
      const expires = Date.parse(String(result.expires ?? '').replace(' ', 'T') + 'Z');
      this.token = { value: token, expiresAt: Number.isNaN(expires) ? Date.now() + 3600_000 : expires - 86_400_000 };
      return token;
    }
    if (isDeveloperRefusal(envelope)) throw developerRefused(envelope);
    if (envelope.state === 429 || envelope.state >= 500) throw new AdapterError('transient', `ЭлЖур could not sign in now (state ${envelope.state}${said(envelope)}).`);
    throw new AdapterError('config',
      `ЭлЖур refused the login and password of the journal-hub account (state ${envelope.state}${said(envelope)}). ` +
      'Check «Логин» and «Пароль»: the school may have changed the password or blocked the account.');
  }

  /** One API method; its `result`. Throws an AdapterError saying what to do. */
  async call(method: string, params: Record<string, string> = {}): Promise<unknown> {
    let renewed = false;
    for (let attempt = 1; ; attempt++) {
      const token = await this.authToken();
      await this.limiter.take();
      this.requests++;
      const response = await this.ctx.http.request(this.url(method, { ...params, auth_token: token }), { headers: { accept: 'application/json' } });
      const envelope = envelopeOf(response);
      if (!envelope) throw this.notEljur(method, response);
      if (envelope.state === 200) return envelope.result;
      if (isDeveloperRefusal(envelope)) throw developerRefused(envelope);
      if (envelope.state === 401 || isSessionRefusal(envelope)) {
        // The session ran out (tokens live about three months, and a school may end them sooner): sign in again once.
        if (renewed) throw new AdapterError('config', `ЭлЖур refuses even a fresh session for ${method} (state ${envelope.state}${said(envelope)}). Ask the school to check the account's rights.`);
        renewed = true;
        this.token = null;
        await this.authToken(true);
        continue;
      }
      if (envelope.state === 429 || envelope.state >= 500) {
        // Only reached when ЭлЖур wraps the failure in an HTTP 200 (the HTTP client retries real 429/5xx).
        if (attempt < IN_BODY_ATTEMPTS) {
          await sleep(IN_BODY_BASE_DELAY_MS * 2 ** (attempt - 1) * (0.5 + Math.random() / 2), this.ctx.signal);
          continue;
        }
        throw new AdapterError('transient', `ЭлЖур answered state ${envelope.state} to ${method} ${IN_BODY_ATTEMPTS} times${said(envelope)}.`);
      }
      if (envelope.state === 403) {
        throw new AdapterError('config', `ЭлЖур does not let the journal-hub account read ${method}${params.student ? ' for one of the students' : ''} (state 403${said(envelope)}). Ask the school to give the account access to every student.`);
      }
      if (envelope.state === 404) throw new AdapterError('config', `ЭлЖур has no method ${method} at ${this.config.apiUrl} (state 404${said(envelope)}). Check «Адрес API ЭлЖур».`);
      throw new AdapterError('config', `ЭлЖур refused ${method} (state ${envelope.state}${said(envelope)}). Check the vendor (school subdomain) and send this message to ЭлЖур support if it persists.`);
    }
  }

  private notEljur(method: string, response: HttpResponse) {
    if (response.status >= 500 || response.status === 429) return new AdapterError('transient', `ЭлЖур answered HTTP ${response.status} to ${method}.`);
    return new AdapterError('config', `${this.config.apiUrl} does not answer like the ЭлЖур API (${method}: HTTP ${response.status}, no {response:{state,…}} envelope). Check «Адрес API ЭлЖур».`);
  }
}

const said = (e: Envelope) => (e.error ? `: «${e.error.slice(0, 200)}»` : '');

/** «не удалось авторизовать разработчика»: the devkey (or the vendor it is issued for) is refused. */
const isDeveloperRefusal = (e: Envelope) => e.state !== 200 && /разработчик|devkey/i.test(e.error);

const isSessionRefusal = (e: Envelope) => e.state !== 200 && /токен|token|сесси|авторизац/i.test(e.error) && !isDeveloperRefusal(e);

const developerRefused = (e: Envelope) =>
  new AdapterError('config', `ЭлЖур refused the developer key (state ${e.state}${said(e)}). Check «Ключ разработчика (devkey)» and «Школа в ЭлЖур (vendor)»: the key is issued by ЭлЖур support.`);

export type { Json };
