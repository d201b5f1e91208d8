import { randomBytes } from 'node:crypto';
import { SimulatorClock } from './clock';

/** OAuth 2.0 client credentials as OneRoster 1.2 requires them, with its read scopes. */
export const SCOPE_PREFIX = 'https://purl.imsglobal.org/spec/or/v1p2/scope/';
const READ_SCOPES = [
  'roster.readonly', 'roster-core.readonly', 'roster-demographics.readonly', 'gradebook.readonly', 'gradebook-core.readonly',
];
const KNOWN_SCOPES = new Set([
  ...READ_SCOPES, 'gradebook.createput', 'gradebook.createpost', 'gradebook.delete', 'resource.readonly', 'resource-core.readonly',
  'assessment.readonly', 'assessment.createput', 'assessment.delete',
]);

export interface TokenResponse {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export type TokenCheck = { valid: true; token: string; scopes: Set<string> } | { valid: false; description: string };

interface IssuedToken {
  expiresAt: number;
  scopes: Set<string>;
}

export class TokenIssuer {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(
    private readonly client: { clientId: string; clientSecret: string; tokenTtlSeconds: number },
    // Lifetimes run on the simulator's clock, so a test expires a token by advancing it.
    private readonly clock: SimulatorClock,
  ) {}

  /** `POST /token` with a form body; the client authenticates with HTTP Basic or with client_id/client_secret. */
  issue(authorization: string | undefined, contentType: string | undefined, body: string): TokenResponse {
    if (!contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      return oauthError(400, 'invalid_request', 'the body must be application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(body);
    const client = basicCredentials(authorization) ?? { id: form.get('client_id'), secret: form.get('client_secret') };
    if (client.id !== this.client.clientId || client.secret !== this.client.clientSecret) {
      const refusal = oauthError(401, 'invalid_client', 'unknown client or wrong secret');
      return { ...refusal, headers: { 'WWW-Authenticate': 'Basic realm="oneroster"' } };
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', 'only grant_type=client_credentials is supported');
    }
    const requested = (form.get('scope') ?? '').split(' ').filter(Boolean);
    const names = requested.length > 0 ? requested.map((s) => s.replace(SCOPE_PREFIX, '')) : READ_SCOPES;
    const unknown = names.filter((name) => !KNOWN_SCOPES.has(name));
    if (unknown.length > 0) return oauthError(400, 'invalid_scope', `unknown scope ${unknown.join(' ')}`);

    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, { expiresAt: this.clock.now().getTime() + this.client.tokenTtlSeconds * 1000, scopes: new Set(names) });
    return {
      status: 200,
      headers: { 'Cache-Control': 'no-store' },
      body: {
        access_token: token,
        token_type: 'bearer',
        expires_in: this.client.tokenTtlSeconds,
        scope: names.map((name) => SCOPE_PREFIX + name).join(' '),
      },
    };
  }

  check(authorization: string | undefined): TokenCheck {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return { valid: false, description: 'a bearer token is required' };
    const issued = this.tokens.get(match[1]);
    if (!issued) return { valid: false, description: 'the token is not known' };
    if (this.clock.now().getTime() >= issued.expiresAt) return { valid: false, description: 'the token has expired' };
    return { valid: true, token: match[1], scopes: issued.scopes };
  }
}

function basicCredentials(authorization: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  // RFC 6749 2.3.1: the id and secret are form-encoded before they are joined.
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return { id: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
}

function oauthError(status: number, error: string, description: string): TokenResponse {
  return { status, headers: {}, body: { error, error_description: description } };
}
