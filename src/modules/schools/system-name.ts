import { adapters } from '../../../adapters';
import { BUILTIN_JOURNAL } from './school.entity';

/**
 * Names parents know for systems the hub has no adapter for yet; an adapter's own display name wins.
 * TODO: drop an entry when its vendor's adapter is registered in adapters/index.ts (vendor adapters issue).
 */
const KNOWN: Record<string, string> = {
  [BUILTIN_JOURNAL]: 'Электронный журнал и дневник journal-hub',
  eljur: 'ЭлЖур',
  netschool: '«Сетевой город. Образование»',
  'dnevnik-ru': 'Дневник.ру',
};

/** The name of a school's e-journal system as parents know it (it goes on the application form). */
export const systemName = (systemOfRecord: string) =>
  adapters.find((a) => a.manifest.id === systemOfRecord)?.manifest.displayName ?? KNOWN[systemOfRecord] ?? systemOfRecord;
