import { AdapterConfig, AdapterError, ConfigField, ConfigReader } from '../../contract';
import { TIME_ZONE_FIELD, timeZoneOf } from '../dates';

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
  const read = new ConfigReader(config, CONFIG_FIELDS);
  const path = read.required('path');
  const timeZone = timeZoneOf(read);
  if (read.problems.length > 0) return { config: null, problems: read.problems };
  return { config: { path, schoolSourcedId: read.value('schoolSourcedId') || null, timeZone }, problems: [] };
}

export function parseConfig(config: AdapterConfig): CsvConfig {
  const { config: parsed, problems } = configProblems(config);
  if (!parsed) throw new AdapterError('config', `The OneRoster CSV export is not set up: ${problems.join(' ')}`);
  return parsed;
}
