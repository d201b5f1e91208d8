import { AdapterConfig, AdapterError, ConfigField } from '../contract';

export const DEFAULT_REQUESTS_PER_SECOND = 5;
export const DEFAULT_PARALLELISM = 4;

export const CONFIG_FIELDS: ConfigField[] = [
  {
    name: 'baseUrl', label: 'Адрес API ЭлЖур', type: 'url', required: true,
    description: 'The API root, e.g. https://api.eljur.ru/apiv3, https://school1.eljur.ru/apiv3 or a regional host (https://cop.admhmao.ru/apiv3). A bare host gets /apiv3.',
  },
  {
    name: 'devkey', label: 'Ключ разработчика (devkey)', type: 'string', required: true, secret: true,
    description: 'The developer key ЭлЖур support issued for journal-hub.',
  },
  { name: 'vendor', label: 'Школа в ЭлЖур (vendor)', type: 'string', required: true, description: 'The school\'s subdomain at ЭлЖур, e.g. "school1" for school1.eljur.ru.' },
  { name: 'login', label: 'Логин учётной записи для journal-hub', type: 'string', required: true, description: 'The account the school issued for journal-hub; it must see every student of the school.' },
  { name: 'password', label: 'Пароль учётной записи', type: 'string', required: true, secret: true },
  {
    name: 'requestsPerSecond', label: 'Запросов в секунду, не больше', type: 'number', required: false, default: DEFAULT_REQUESTS_PER_SECOND,
    description: 'ЭлЖур publishes no rate limit; the adapter reads every student week by week and keeps under this rate.',
  },
  {
    name: 'parallelism', label: 'Одновременных запросов, не больше', type: 'number', required: false, default: DEFAULT_PARALLELISM,
    description: 'How many students are read at once.',
  },
];

export interface EljurConfig {
  /** The API root without a trailing slash, e.g. https://api.eljur.ru/apiv3. */
  apiUrl: string;
  devkey: string;
  vendor: string;
  login: string;
  password: string;
  requestsPerSecond: number;
  parallelism: number;
}

const LABELS = Object.fromEntries(CONFIG_FIELDS.map((f) => [f.name, f.label]));

/** The configuration, checked; problems in words IT staff can act on. */
export function configProblems(config: AdapterConfig): { config: EljurConfig | null; problems: string[] } {
  const problems: string[] = [];
  const value = (name: string) => {
    const v = config[name];
    return typeof v === 'string' ? v.trim() : v === undefined || v === null ? '' : String(v);
  };
  const required = (name: string) => {
    const v = value(name);
    if (v === '') problems.push(`«${LABELS[name]}» (${name}) is not filled in.`);
    return v;
  };
  const positive = (name: string, fallback: number, max: number) => {
    const v = value(name);
    if (v === '') return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0 || n > max) {
      problems.push(`«${LABELS[name]}» (${name}) must be a number above 0 and at most ${max}, not "${v}".`);
      return fallback;
    }
    return n;
  };
  let apiUrl = required('baseUrl');
  if (apiUrl !== '') {
    try {
      const url = new URL(apiUrl);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http');
      // A bare host is the current API version's root; a path already given (/api, /apiv3) is kept.
      const path = url.pathname.replace(/\/+$/, '').replace(/\/(auth|getrules)$/, '');
      apiUrl = `${url.origin}${path === '' ? '/apiv3' : path}`;
    } catch {
      problems.push(`«${LABELS.baseUrl}» (baseUrl) "${apiUrl}" is not an http(s) address.`);
    }
  }
  const devkey = required('devkey');
  const vendor = required('vendor');
  if (vendor !== '' && !/^[a-z0-9][a-z0-9_-]*$/i.test(vendor)) problems.push(`«${LABELS.vendor}» (vendor) "${vendor}" is not a subdomain (letters, digits, "-" and "_").`);
  const login = required('login');
  const password = required('password');
  const requestsPerSecond = positive('requestsPerSecond', DEFAULT_REQUESTS_PER_SECOND, 1000);
  const parallelism = Math.floor(positive('parallelism', DEFAULT_PARALLELISM, 64));
  if (problems.length > 0) return { config: null, problems };
  return { config: { apiUrl, devkey, vendor, login, password, requestsPerSecond, parallelism: Math.max(1, parallelism) }, problems };
}

export function parseConfig(config: AdapterConfig): EljurConfig {
  const { config: parsed, problems } = configProblems(config);
  if (!parsed) throw new AdapterError('config', `The ЭлЖур connection is not set up: ${problems.join(' ')}`);
  return parsed;
}
