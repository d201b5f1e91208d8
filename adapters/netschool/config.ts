import { AdapterConfig, AdapterError, ConfigField, ConfigReader } from '../contract';

export const DEFAULT_REQUESTS_PER_SECOND = 5;
export const DEFAULT_PARALLELISM = 4;

export const CONFIG_FIELDS: ConfigField[] = [
  {
    name: 'serverUrl', label: 'Адрес сервера «Сетевой город. Образование»', type: 'url', required: true,
    description: 'The site address as it opens in a browser, e.g. https://sgo.edu-86.ru (the region\'s or municipality\'s own server).',
  },
  {
    name: 'school', label: 'Школа (как на странице входа, или её номер)', type: 'string', required: true,
    description: 'The school\'s name as the login page finds it, e.g. МБОУ «СОШ №3», or its numeric id on the server ("Find the school" lists them).',
  },
  { name: 'login', label: 'Логин учётной записи для концентратора', type: 'string', required: true, description: 'A staff account of the school that sees every class.' },
  { name: 'password', label: 'Пароль', type: 'string', required: true, secret: true },
  {
    name: 'requestsPerSecond', label: 'Не больше запросов в секунду', type: 'number', required: false, default: DEFAULT_REQUESTS_PER_SECOND,
    description: 'The hub reads every pupil\'s diary week by week; keep the school\'s server comfortable.',
  },
  {
    name: 'parallelism', label: 'Параллельных запросов', type: 'number', required: false, default: DEFAULT_PARALLELISM,
    description: 'Pupils read at the same time (1 to 16).',
  },
];

export interface NetSchoolConfig {
  /** The site's origin and path, without a trailing slash. */
  siteUrl: string;
  school: string;
  login: string;
  password: string;
  requestsPerSecond: number;
  parallelism: number;
}

/** The configuration, checked; problems in words IT staff can act on. */
export function configProblems(config: AdapterConfig, { school = true } = {}): { config: NetSchoolConfig | null; problems: string[] } {
  const read = new ConfigReader(config, CONFIG_FIELDS);
  const url = read.url('serverUrl');
  // Someone may paste a page's address: the site is what comes before /angular, /webapi or /asp.
  const siteUrl = url ? `${url.origin}${url.pathname.replace(/\/(angular|webapi|asp|app)(\/.*)?$/i, '').replace(/\/+$/, '')}` : '';
  const schoolName = school ? read.required('school') : read.value('school');
  const login = read.required('login');
  const password = read.required('password');
  const requestsPerSecond = read.number('requestsPerSecond', DEFAULT_REQUESTS_PER_SECOND, 0.1, 1000);
  const parallelism = Math.floor(read.number('parallelism', DEFAULT_PARALLELISM, 1, 16));
  if (read.problems.length > 0) return { config: null, problems: read.problems };
  return { config: { siteUrl, school: schoolName, login, password, requestsPerSecond, parallelism }, problems: [] };
}

/** The configuration, or a `config` AdapterError; `school: false` while the school is yet to be found (discoverSchools). */
export function parseConfig(config: AdapterConfig, options: { school?: boolean } = {}): NetSchoolConfig {
  const { config: parsed, problems } = configProblems(config, options);
  if (!parsed) throw new AdapterError('config', `The NetSchool connection is not set up: ${problems.join(' ')}`);
  return parsed;
}
