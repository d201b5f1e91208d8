import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { AdapterContext, AdapterError, HttpResponse } from '../contract';
import { NetSchoolConfig } from './config';
import { Json } from './mapping';

const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');

/**
 * The login hash of NetSchool's web API: pw2 = md5(salt + md5(password as windows-1251 bytes)), and
 * pw = pw2 cut to the password's length. Hashing UTF-8 instead (as some old clients do) works only
 * for ASCII passwords.
 */
export function passwordHash(password: string, salt: string): { pw: string; pw2: string } {
  const pw2 = md5(salt + md5(iconv.encode(password, 'win1251')));
  return { pw: pw2.slice(0, password.length), pw2 };
}

/** What the server said, from a JSON `message` or a short text body. */
function said(response: HttpResponse): string {
  try {
    const body = JSON.parse(response.text);
    if (typeof body?.message === 'string') return body.message.trim().slice(0, 300);
  } catch {
    // Not JSON: a short text is the message itself («Ошибка доступа»).
  }
  const text = response.text.trim();
  return text.length > 0 && text.length <= 300 && !text.startsWith('<') ? text : '';
}

function tryJson(text: string): Json | null {
  try {
    const value = JSON.parse(text);
    return value !== null && typeof value === 'object' ? value : null;
  } catch {
    return null;
  }
}

/** The server's answer to a signed-in request that the session had ended (401, or the old servers' plain «Ошибка доступа»). */
const sessionEnded = (response: HttpResponse) => response.status === 401 || (response.status < 300 && response.text.trim() === 'Ошибка доступа');

const THROTTLED = /следующая попытка может быть совершена/i;

/**
 * A client of NetSchool's web API (`/webapi/…`) over the contract's HTTP client (which retries
 * timeouts, 5xx and 429): the login handshake, the session's cookie and `at` header, the Referer the
 * server requires, a new login when a session ends (401), and a request rate shared by every caller.
 */
export class NetSchoolClient {
  /** Requests sent, for progress messages. */
  requests = 0;
  /** The school's id on the server, once found. */
  schoolId: string | null = null;
  /** The server's day (YYYY-MM-DD) by its last Date header. */
  serverDate: string | null = null;
  private at: string | null = null;
  private ver: string | null = null;
  private readonly cookies = new Map<string, string>();
  private signingIn: Promise<void> | null = null;
  private nextSlot = 0;

  constructor(private readonly config: NetSchoolConfig, private readonly ctx: AdapterContext) {}

  /** Waits for the request's turn: at most `requestsPerSecond`, however many callers there are. */
  private async pace(): Promise<void> {
    const interval = 1000 / this.config.requestsPerSecond;
    const now = Date.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + interval;
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
    if (this.ctx.signal.aborted) throw new AdapterError('transient', 'cancelled');
  }

  private async send(path: string, options: { method?: string; query?: Record<string, string>; form?: Record<string, string>; json?: unknown; signedIn?: boolean } = {}): Promise<HttpResponse> {
    await this.pace();
    const url = new URL(`${this.config.siteUrl}/webapi/${path}`);
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = {
      accept: 'application/json, text/plain, */*',
      // The server refuses a login (and some calls) not coming from its own pages.
      referer: `${this.config.siteUrl}/`,
      'x-requested-with': 'XMLHttpRequest',
    };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (options.signedIn && this.at) headers.at = this.at;
    let body: string | undefined;
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded; charset=UTF-8';
      body = new URLSearchParams(options.form).toString();
    } else if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    const response = await this.ctx.http.request(url.toString(), { method: options.method ?? 'GET', headers, body, redirect: 'manual' });
    this.requests++;
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    const date = Date.parse(response.headers.get('date') ?? '');
    if (!Number.isNaN(date)) this.serverDate = new Date(date).toISOString().slice(0, 10);
    return response;
  }

  private json(response: HttpResponse, what: string): unknown {
    try {
      return JSON.parse(response.text);
    } catch {
      throw new AdapterError('transient', `NetSchool answered ${what} with something that is not JSON (HTTP ${response.status}). The server may be under maintenance; the run will be retried.`);
    }
  }

  /** Signs in, once at a time: callers that find the session ended wait for one new login. */
  signIn(): Promise<void> {
    this.signingIn ??= this.login().finally(() => (this.signingIn = null));
    return this.signingIn;
  }

  private async login(): Promise<void> {
    this.at = null;
    this.cookies.clear();
    // 0. The login page's settings, and the session cookie (NSSESSIONID).
    const page = await this.send('logindata');
    const settings = page.status === 200 ? tryJson(page.text) : null;
    if (!settings || (typeof settings.productName !== 'string' && settings.schoolLogin === undefined)) {
      throw new AdapterError('config', `${this.config.siteUrl} does not answer like a «Сетевой город. Образование» server (HTTP ${page.status} for /webapi/logindata). Check the server address.`);
    }
    const scid = await this.findSchool();
    // 2. Single-use values for this one login.
    const issued = await this.send('auth/getdata', { method: 'POST' });
    const data = this.json(issued, 'auth/getdata') as Json;
    if (issued.status !== 200 || !data?.lt || !data?.salt) throw new AdapterError('transient', `NetSchool did not issue login data (HTTP ${issued.status}${said(issued) ? `: ${said(issued)}` : ''}).`);
    const { pw, pw2 } = passwordHash(this.config.password, String(data.salt));
    // 3. The newer servers' form; loginType=1 is a password login.
    const response = await this.send('login', {
      method: 'POST',
      form: { loginType: '1', scid, un: this.config.login, pw, pw2, lt: String(data.lt), ver: String(data.ver) },
    });
    const message = said(response);
    if (THROTTLED.test(message)) {
      throw new AdapterError('transient', `NetSchool refuses logins for a while after failed attempts («${message}»). The run will be retried later; meanwhile check the login and password.`);
    }
    if (response.status === 403 || message === 'Ошибка доступа') {
      throw new AdapterError('config', `NetSchool refused the login page's request («Ошибка доступа», HTTP ${response.status}). Check that the server address is the site's own address, as in the browser.`);
    }
    const body = tryJson(response.text);
    if (response.status === 200 && typeof body?.at === 'string' && body.at !== '') {
      if (String(body.entryPoint ?? '').includes('choose-session-role')) {
        throw new AdapterError('config', 'The account has several roles and NetSchool asks which one to use. Give the hub an account with the one staff role that sees every class.');
      }
      this.at = body.at;
      this.ver = String(data.ver);
      return;
    }
    // 409 on newer servers, 200 with a message on older ones.
    if (response.status === 409 || (response.status === 200 && message)) {
      throw new AdapterError('config', `NetSchool refused the login or the password («${message || 'no reason given'}»). Check both, and that the account belongs to the school.`);
    }
    throw new AdapterError('transient', `NetSchool's login answered HTTP ${response.status}${message ? `: ${message}` : ''}.`);
  }

  /** The school's id on the server: the configured number, or the one school the login page's search finds by name. */
  async findSchool(): Promise<string> {
    if (this.schoolId) return this.schoolId;
    const wanted = this.config.school;
    if (/^\d+$/.test(wanted)) return (this.schoolId = wanted);
    const schools = await this.listSchools(wanted);
    const key = (name: string) => name.toLowerCase().replace(/[«»"'\s]+/g, ' ').replace(/ё/g, 'е').trim();
    const exact = schools.filter((s) => [s.name, s.shortName].some((n) => n && key(n) === key(wanted)));
    const found = exact.length === 1 ? exact : schools.length === 1 ? schools : [];
    if (found.length === 1) return (this.schoolId = found[0].id);
    const listed = schools.slice(0, 10).map((s) => `${s.name} (${s.id})`).join('; ');
    throw new AdapterError('config', schools.length === 0
      ? `NetSchool finds no school named "${wanted}". Check «Школа» (school): the name as the login page shows it, or the school's number.`
      : `"${wanted}" matches several schools on the server: ${listed}. Put the school's number in «Школа» (school).`);
  }

  /** Schools by name: `schools/search` on newer servers, the login form's list on older ones. */
  async listSchools(name: string): Promise<{ id: string; name: string; shortName?: string }[]> {
    const search = await this.send('schools/search', { query: { name } });
    if (search.status === 200) {
      const found = this.json(search, 'the school search');
      if (Array.isArray(found)) return found.filter((s) => s?.id != null).map((s) => ({ id: String(s.id), name: String(s.name ?? s.shortName ?? s.id), shortName: s.shortName }));
    }
    if (search.status !== 404 && search.status !== 405) throw new AdapterError('transient', `NetSchool's school search answered HTTP ${search.status}.`);
    const form = await this.send('prepareloginform');
    const schools = (this.json(form, 'the login form') as Json)?.schools;
    if (form.status !== 200 || !Array.isArray(schools)) throw new AdapterError('config', `${this.config.siteUrl} has neither a school search nor a login form listing schools. Put the school's number in «Школа» (school).`);
    const needle = name.trim().toLowerCase();
    return schools.filter((s: Json) => String(s?.name ?? '').toLowerCase().includes(needle)).map((s: Json) => ({ id: String(s.id), name: String(s.name) }));
  }

  /**
   * A signed-in request: signs in first if needed, and again once when the session has ended (401)
   * — a second refusal straight after a new login is a refusal of the account, not of the session.
   */
  private async signedIn(path: string, options: Parameters<NetSchoolClient['send']>[1] = {}): Promise<HttpResponse> {
    if (!this.at) await this.signIn();
    for (let attempt = 1; ; attempt++) {
      const used = this.at;
      const response = await this.send(path, { ...options, signedIn: true });
      if (!sessionEnded(response)) return response;
      // Parallel callers share the session: another one may be signing in, or have signed in, already.
      if (this.signingIn) await this.signingIn;
      else if (this.at === used || !this.at) {
        if (attempt >= 2) {
          throw new AdapterError('config', `NetSchool refuses /webapi/${path} to the account just after it signed in (HTTP ${response.status}). The account may lack the rights to read it.`);
        }
        await this.signIn();
      }
      if (attempt >= 5) throw new AdapterError('transient', `NetSchool keeps ending the session (HTTP ${response.status} for /webapi/${path}).`);
    }
  }

  private refusal(response: HttpResponse, path: string): AdapterError {
    const message = said(response);
    const detail = message ? `: ${message}` : '';
    if (response.status === 403) return new AdapterError('config', `NetSchool does not let the account read /webapi/${path} (HTTP 403${detail}). Give the account the rights to see every class and the reports.`);
    if (response.status === 404) return new AdapterError('config', `The server has no /webapi/${path} (HTTP 404${detail}): its version may not be supported.`);
    return new AdapterError('transient', `NetSchool answered /webapi/${path} with HTTP ${response.status}${detail}.`);
  }

  async get(path: string, query: Record<string, string> = {}): Promise<unknown> {
    const response = await this.signedIn(path, { query });
    if (response.status !== 200) throw this.refusal(response, path);
    return this.json(response, `/webapi/${path}`);
  }

  async post(path: string, json: unknown): Promise<unknown> {
    const response = await this.signedIn(path, { method: 'POST', json });
    if (response.status !== 200) throw this.refusal(response, path);
    return this.json(response, `/webapi/${path}`);
  }

  async text(path: string): Promise<string> {
    const response = await this.signedIn(path);
    if (response.status !== 200) throw this.refusal(response, path);
    return response.text;
  }

  /** Ends the session politely (servers limit concurrent sessions); a failure here changes nothing. */
  async logout(): Promise<void> {
    if (!this.at) return;
    try {
      await this.send('auth/logout', { method: 'POST', form: { at: this.at, ver: this.ver ?? '' }, signedIn: true });
    } catch {
      // The read is over either way.
    }
    this.at = null;
  }
}
