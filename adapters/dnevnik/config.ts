import { AdapterConfig, AdapterError, ConfigField } from '../contract';

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
  /** Vendor subject name (normalised key) → the municipality's subject name. */
}

const LABELS = Object.fromEntries(CONFIG_FIELDS.map((f) => [f.name, f.label]));

/** The configuration, checked; problems in words IT staff can act on. */
export function configProblems(config: AdapterConfig, { school = true } = {}): { config: DnevnikConfig | null; problems: string[] } {
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
  const number = (name: string, fallback: number, min: number, max: number) => {
    const v = value(name);
    if (v === '') return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) problems.push(`«${LABELS[name]}» (${name}) must be a number from ${min} to ${max}, not "${v}".`);
    return n;
  };

  let baseUrl = value('baseUrl') || DEFAULT_BASE_URL;
  try {
    const parsed = new URL(baseUrl);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('not http');
    // Someone may paste the host alone: the partner API lives under /v2/.
    if (!/\/v\d+(\.\d+)?\/?$/.test(parsed.pathname)) parsed.pathname = `${parsed.pathname.replace(/\/+$/, '')}/v2/`;
    baseUrl = parsed.toString().replace(/\/?$/, '/');
  } catch {
    problems.push(`«${LABELS.baseUrl}» (baseUrl) "${baseUrl}" is not an http(s) address.`);
  }
  const accessToken = required('accessToken');
  const schoolId = school ? required('schoolId') : value('schoolId');
  if (schoolId !== '' && !/^\d{1,19}$/.test(schoolId)) problems.push(`«${LABELS.schoolId}» (schoolId) must be the school's number at Dnevnik.ru, not "${schoolId}".`);
  const requestsPerSecond = number('requestsPerSecond', DEFAULT_REQUESTS_PER_SECOND, 0.1, 100);
  const parallelism = number('parallelism', DEFAULT_PARALLELISM, 1, 16);
  if (!Number.isInteger(parallelism)) problems.push(`«${LABELS.parallelism}» (parallelism) must be a whole number.`);
  if (problems.length > 0) return { config: null, problems };
  return { config: { baseUrl, accessToken, schoolId, requestsPerSecond, parallelism }, problems };
}

/** The configuration, or a `config` AdapterError; `school: false` when the school is yet to be found (discoverSchools). */
export function parseConfig(config: AdapterConfig, options: { school?: boolean } = {}): DnevnikConfig {
  const { config: parsed, problems } = configProblems(config, options);
  if (!parsed) throw new AdapterError('config', `The Dnevnik.ru connection is not set up: ${problems.join(' ')}`);
  return parsed;
}
