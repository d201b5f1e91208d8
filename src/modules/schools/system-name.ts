import { BUILTIN_JOURNAL } from './school.entity';

/**
 * The name of a school's e-journal system as parents know it (it goes on the application form).
 * TODO: take the names from the adapters' manifests once the adapter registry exists (adapter issue).
 */
const NAMES: Record<string, string> = {
  [BUILTIN_JOURNAL]: 'Электронный журнал и дневник journal-hub',
  eljur: 'ЭлЖур',
  netschool: '«Сетевой город. Образование»',
  'dnevnik-ru': 'Дневник.ру',
};

export const systemName = (systemOfRecord: string) => NAMES[systemOfRecord] ?? systemOfRecord;
