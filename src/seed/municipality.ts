import { TIME_ZONE } from './calendar';
import { BUILTIN_JOURNAL } from '../modules/schools/school.entity';
import { IdFactory, Random } from './random';
import type { MunicipalityRow, SchoolRow } from './rows';
import type { SeedOptions } from './options';
import type { Catalog, SchoolModel } from './school-model';
import { buildSchool } from './school-roster';

export interface SchoolPlan {
  /** 1-based position in the municipality (what --synced refers to). */
  position: number;
  row: SchoolRow;
  /** Builds the school's people, classes and timetable; called when the school's turn to load comes. */
  build(): SchoolModel;
}

export interface MunicipalityPlan {
  municipality: MunicipalityRow;
  schools: SchoolPlan[];
}

/** Numbers of Kogalym's schools first, then others as the city would number new ones. */
const SCHOOL_NUMBERS = [1, 3, 5, 6, 7, 8, 10, 2, 4, 9];
const STREETS = [
  'ул. Дружбы Народов', 'ул. Северная', 'ул. Бакинская', 'ул. Ленинградская', 'ул. Мира', 'ул. Степана Повха',
  'ул. Прибалтийская', 'ул. Молодёжная', 'ул. Янтарная', 'ул. Набережная', 'ул. Сибирская', 'ул. Градостроителей',
  'пр. Нефтяников', 'ул. Широкая',
];

export function planMunicipality(options: SeedOptions, catalog: Catalog): MunicipalityPlan {
  const random = new Random(`journal-hub/${options.seed}`);
  const ids = new IdFactory(random.fork('ids'));
  const municipality: MunicipalityRow = {
    id: ids.next(),
    name: 'городской округ Когалым',
    directorateName: 'Управление образования Администрации города Когалыма',
    timeZone: TIME_ZONE,
  };
  const streets = random.fork('streets').shuffled(STREETS);
  const schools = Array.from({ length: options.schools }, (_, i): SchoolPlan => {
    const position = i + 1;
    const number = SCHOOL_NUMBERS[i] ?? i + 1;
    const systemOfRecord = options.syncedSchools[position] ?? BUILTIN_JOURNAL;
    const row = schoolRow(municipality.id, ids.next(), number, streets[i % streets.length], random.fork(`address-${position}`), systemOfRecord);
    return {
      position,
      row,
      build: () => buildSchool(
        { id: row.id, number, shortName: row.shortName, systemOfRecord },
        options,
        catalog,
        random.fork(`school-${position}`),
      ),
    };
  });
  return { municipality, schools };
}

function schoolRow(municipalityId: string, id: string, number: number, street: string, random: Random, systemOfRecord: string): SchoolRow {
  // One school of the city teaches some subjects in depth; its full name says so.
  const inDepth = number === 8 ? ' с углублённым изучением отдельных предметов' : '';
  return {
    id,
    municipalityId,
    fullName: `Муниципальное автономное общеобразовательное учреждение «Средняя общеобразовательная школа №${number}${inDepth}»`,
    shortName: `МАОУ СОШ №${number}`,
    address: `628486, Ханты-Мансийский автономный округ — Югра, г. Когалым, ${street}, д. ${random.int(1, 40)}`,
    website: `https://sh${number}-kogalym-r86.gosweb.gosuslugi.ru`,
    timeZone: TIME_ZONE,
    systemOfRecord,
  };
}
