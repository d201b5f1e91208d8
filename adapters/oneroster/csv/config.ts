import { AdapterConfig, AdapterError, ConfigField } from '../../contract';
import { DEFAULT_TIME_ZONE, isTimeZone, TIME_ZONE_FIELD } from '../dates';

export const CONFIG_FIELDS: ConfigField[] = [
  {
    name: 'path', label: 'Путь к выгрузке', type: 'path', required: true,
    description: 'The folder the vendor\'s OneRoster CSV export lands in (with manifest.csv), or the export\'s .zip file, on the hub\'s machine, inside its imports folder (SYNC_FILES_DIR) — e.g. /var/lib/journal-hub/imports/school-3.zip.',
  },
  {
    name: 'schoolSourcedId', label: 'Идентификатор школы в выгрузке (sourcedId)', type: 'string', required: false,
    description: 'The sourcedId of this school\'s org in orgs.csv; needed only when the export holds several schools ("Find the school" lists them).',
  },
  TIME_ZONE_FIELD,
];

export interface CsvConfig {
  path: string;
  schoolSourcedId: string | null;
  timeZone: string;
}

/** The configuration, checked; problems in words IT staff can act on. */
export function configProblems(config: AdapterConfig): { config: CsvConfig | null; problems: string[] } {
  const problems: string[] = [];
  const text = (name: string) => (typeof config[name] === 'string' ? (config[name] as string).trim() : '');
  const path = text('path');
  if (path === '') problems.push('«Путь к выгрузке» (path) is not filled in.');
  const timeZone = text('timeZone') || DEFAULT_TIME_ZONE;
  if (!isTimeZone(timeZone)) problems.push(`«Часовой пояс школы» "${timeZone}" is not a known time zone (for Kogalym it is ${DEFAULT_TIME_ZONE}).`);
  if (problems.length > 0) return { config: null, problems };
  return { config: { path, schoolSourcedId: text('schoolSourcedId') || null, timeZone }, problems };
}

export function parseConfig(config: AdapterConfig): CsvConfig {
  const { config: parsed, problems } = configProblems(config);
  if (!parsed) throw new AdapterError('config', `The OneRoster CSV export is not set up: ${problems.join(' ')}`);
  return parsed;
}
