import { AdapterError } from './adapter';

export interface RetryPolicy {
  attempts: number;
  /** The first wait; each next one doubles, with full jitter, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 200, maxDelayMs: 10_000, timeoutMs: 30_000 };

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
}

export interface HttpClient {
  /** Fetches, retrying timeouts, connection failures, 5xx and 429 (honouring Retry-After); other statuses are returned. */
  request(url: string, init?: RequestInit): Promise<HttpResponse>;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const onAbort = () => (clearTimeout(timer), reject(new AdapterError('transient', 'cancelled')));
    // The listener goes with the wait: a long run waits many times on one signal.
    const timer = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Seconds or an HTTP date, as Retry-After may be. */
function retryAfterMs(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

/**
 * The HTTP client adapters use: exponential backoff with full jitter (AWS's recommendation) for
 * failures that retrying can cure; a failure that outlives the attempts is a `transient` AdapterError.
 */
export function createHttpClient(policy: RetryPolicy = DEFAULT_RETRY, signal?: AbortSignal, random: () => number = Math.random): HttpClient {
  return {
    async request(url, init = {}) {
      let lastProblem = '';
      for (let attempt = 1; attempt <= policy.attempts; attempt++) {
        let wait: number | null = null;
        try {
          const response = await fetch(url, { ...init, signal: AbortSignal.any([AbortSignal.timeout(policy.timeoutMs), ...(signal ? [signal] : [])]) });
          const text = await response.text();
          if (response.status !== 429 && response.status < 500) return { status: response.status, headers: response.headers, text };
          lastProblem = `HTTP ${response.status}`;
          wait = retryAfterMs(response.headers.get('retry-after'));
        } catch (error) {
          if (signal?.aborted) throw new AdapterError('transient', 'cancelled');
          lastProblem = (error as Error).message;
        }
        if (attempt === policy.attempts) break;
        const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
        await sleep(wait ?? random() * backoff, signal);
      }
      throw new AdapterError('transient', `${new URL(url).host} did not answer after ${policy.attempts} attempts (${lastProblem})`);
    },
  };
}
