import { AdapterConfig, AdapterError, ConfigField, ConfigReader } from '../contract';

export const DEFAULT_BASE_URL = 'https://api.dnevnik.ru/v2/';
export const DEFAULT_REQUESTS_PER_SECOND = 5;
export const DEFAULT_PARALLELISM = 3;

export const CONFIG_FIELDS: ConfigField[] = [
  {
    name: 'baseUrl', label: 'Адрес API Дневник.ру', type: 'url', required: true, default: DEFAULT_BASE_URL,
    description: 'The partner API v2 root: https://api.dnevnik.ru/v2/, or a regional host such as https://api.school.mosreg.ru/v2/.',
  },
  {
    name: 'accessToken', label: 'Токен доступа (Access-Token)', type: 'string', required: true, secret: true,
    description: 'The partner token issued for journal-hub (OAuth 2.0), with the school administrator\'s rights; sent as the Access-Token header.',
  },
  {
    name: 'schoolId', label: 'Идентификатор школы в Дневник.ру', type: 'string', required: true,
    description: 'The school\'s numeric id at Dnevnik.ru, e.g. 1000002283077 ("Find the school" lists them).',
  },
  {
    name: 'requestsPerSecond', label: 'Запросов в секунду, не больше', type: 'number', required: false, default: DEFAULT_REQUESTS_PER_SECOND,
    description: 'Dnevnik.ru publishes no rate limit: keep this modest. From 0.1 to 100.',
  },
  {
    name: 'parallelism', label: 'Одновременных запросов, не больше', type: 'number', required: false, default: DEFAULT_PARALLELISM,
    description: 'Class-weeks read at the same time, from 1 to 16.',
  },
];

export interface DnevnikConfig {
  /** Ends with a slash: paths are appended to it. */
  baseUrl: string;
  accessToken: string;
  schoolId: string;
  requestsPerSecond: number;
  parallelism: number;
}

/** The configuration, checked; problems in words IT staff can act on. */
export function configProblems(config: AdapterConfig, { school = true } = {}): { config: DnevnikConfig | null; problems: string[] } {
  const read = new ConfigReader(config, CONFIG_FIELDS);
  const url = read.url('baseUrl', DEFAULT_BASE_URL);
  // Someone may paste the host alone: the partner API lives under /v2/.
  if (url && !/\/v\d+(\.\d+)?\/?$/.test(url.pathname)) url.pathname = `${url.pathname.replace(/\/+$/, '')}/v2/`;
  const baseUrl = url ? url.toString().replace(/\/?$/, '/') : '';
  const accessToken = read.required('accessToken');
  const schoolId = school ? read.required('schoolId') : read.value('schoolId');
  if (schoolId !== '' && !/^\d{1,19}$/.test(schoolId)) read.problem('schoolId', `must be the school's number at Dnevnik.ru, not "${schoolId}".`);
  const requestsPerSecond = read.number('requestsPerSecond', DEFAULT_REQUESTS_PER_SECOND, 0.1, 100);
  const parallelism = read.number('parallelism', DEFAULT_PARALLELISM, 1, 16);
  if (!Number.isInteger(parallelism)) read.problem('parallelism', 'must be a whole number.');
  if (read.problems.length > 0) return { config: null, problems: read.problems };
  return { config: { baseUrl, accessToken, schoolId, requestsPerSecond, parallelism }, problems: [] };
}

/** The configuration, or a `config` AdapterError; `school: false` when the school is yet to be found (discoverSchools). */
export function parseConfig(config: AdapterConfig, options: { school?: boolean } = {}): DnevnikConfig {
  const { config: parsed, problems } = configProblems(config, options);
  if (!parsed) throw new AdapterError('config', `The Dnevnik.ru connection is not set up: ${problems.join(' ')}`);
  return parsed;
}
