import { AdapterConfig, AdapterError, ConfigField, ConfigReader } from '../../contract';
import { TIME_ZONE_FIELD, timeZoneOf } from '../dates';

export const ROSTERING_PATH = '/ims/oneroster/rostering/v1p2';
export const GRADEBOOK_PATH = '/ims/oneroster/gradebook/v1p2';


export const CONFIG_FIELDS: ConfigField[] = [
  {
    name: 'baseUrl', label: 'Адрес сервиса OneRoster', type: 'url', required: true,
    description: `The provider's root, e.g. https://journal.example.ru — the adapter appends ${ROSTERING_PATH} and ${GRADEBOOK_PATH}.`,
  },
  {
    name: 'tokenUrl', label: 'Адрес выдачи токена (OAuth 2.0)', type: 'url', required: true,
    description: 'The OAuth 2.0 token endpoint the vendor gave for client credentials, e.g. https://journal.example.ru/token.',
  },
  { name: 'clientId', label: 'Идентификатор клиента (client ID)', type: 'string', required: true },
  { name: 'clientSecret', label: 'Секрет клиента (client secret)', type: 'string', required: true, secret: true },
  {
    name: 'schoolSourcedId', label: 'Идентификатор школы у поставщика (sourcedId)', type: 'string', required: true,
    description: 'The sourcedId of this school\'s org at the provider ("Find the school" lists them).',
  },
  TIME_ZONE_FIELD,
];

export interface OneRosterConfig {
  rosteringUrl: string;
  gradebookUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  schoolSourcedId: string;
  timeZone: string;
}

/** The configuration, checked; problems in words IT staff can act on. */
export function configProblems(config: AdapterConfig, { school = true } = {}): { config: OneRosterConfig | null; problems: string[] } {
  const read = new ConfigReader(config, CONFIG_FIELDS);
  // Someone may paste the rostering address itself: the root is what comes before /ims/oneroster.
  const base = (read.url('baseUrl')?.href ?? '').replace(/\/+$/, '').replace(/\/ims\/oneroster(\/.*)?$/, '');
  const tokenUrl = read.url('tokenUrl')?.href ?? '';
  const clientId = read.required('clientId');
  const clientSecret = read.required('clientSecret');
  const schoolSourcedId = school ? read.required('schoolSourcedId') : read.value('schoolSourcedId');
  const timeZone = timeZoneOf(read);
  if (read.problems.length > 0) return { config: null, problems: read.problems };
  return {
    config: { rosteringUrl: base + ROSTERING_PATH, gradebookUrl: base + GRADEBOOK_PATH, tokenUrl, clientId, clientSecret, schoolSourcedId, timeZone },
    problems: [],
  };
}

/** The configuration, or a `config` AdapterError; `school: false` when the school is yet to be found (discoverSchools). */
export function parseConfig(config: AdapterConfig, options: { school?: boolean } = {}): OneRosterConfig {
  const { config: parsed, problems } = configProblems(config, options);
  if (!parsed) throw new AdapterError('config', `The OneRoster connection is not set up: ${problems.join(' ')}`);
  return parsed;
}
