import { AdapterConfig, AdapterError, ConfigField, ConfigReader } from '../contract';

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

/** The configuration, checked; problems in words IT staff can act on. */
export function configProblems(config: AdapterConfig): { config: EljurConfig | null; problems: string[] } {
  const read = new ConfigReader(config, CONFIG_FIELDS);
  const url = read.url('baseUrl');
  // A bare host is the current API version's root; a path already given (/api, /apiv3) is kept.
  const path = url?.pathname.replace(/\/+$/, '').replace(/\/(auth|getrules)$/, '') ?? '';
  const apiUrl = url ? `${url.origin}${path === '' ? '/apiv3' : path}` : '';
  const devkey = read.required('devkey');
  const vendor = read.required('vendor');
  if (vendor !== '' && !/^[a-z0-9][a-z0-9_-]*$/i.test(vendor)) read.problem('vendor', `"${vendor}" is not a subdomain (letters, digits, "-" and "_").`);
  const login = read.required('login');
  const password = read.required('password');
  const requestsPerSecond = read.number('requestsPerSecond', DEFAULT_REQUESTS_PER_SECOND, 0.1, 1000);
  const parallelism = Math.floor(read.number('parallelism', DEFAULT_PARALLELISM, 1, 64));
  if (read.problems.length > 0) return { config: null, problems: read.problems };
  return { config: { apiUrl, devkey, vendor, login, password, requestsPerSecond, parallelism }, problems: [] };
}

export function parseConfig(config: AdapterConfig): EljurConfig {
  const { config: parsed, problems } = configProblems(config);
  if (!parsed) throw new AdapterError('config', `The ЭлЖур connection is not set up: ${problems.join(' ')}`);
  return parsed;
}
