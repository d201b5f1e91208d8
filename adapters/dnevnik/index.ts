import { Adapter, AdapterConfig, AdapterContext, AdapterMessage, AdapterState, CheckResult, checkProblem } from '../contract';
import { DnevnikClient } from './client';
import { CONFIG_FIELDS, configProblems, parseConfig } from './config';
import { idOf, idText, isRecord, text } from './json';
import { ReadState, SchoolReader, unknownSchool } from './reader';

/**
 * Dnevnik.ru (Дневник.ру) partner REST API v2: a school's classes, students, lessons, marks, attendance,
 * homework and term marks, read with a partner access token. The mapping is in README.md.
 */
export const dnevnikAdapter: Adapter = {
  manifest: {
    id: 'dnevnik',
    displayName: 'Дневник.ру',
    vendor: 'Dnevnik.ru (ООО «Дневник.ру»)',
    version: '1.0.0',
    config: CONFIG_FIELDS,
    capabilities: {
      streams: [
        'academicYears', 'terms', 'staff', 'students', 'classGroups', 'courses', 'courseTeachers', 'courseStudents', 'enrollments',
        'lessons', 'marks', 'attendance', 'finalMarks',
      ],
      // Dnevnik.ru has no change feed: every run reads the school whole (a failed run resumes where it stopped).
      incremental: [],
      deletions: [],
    },
  },

  async check(config: AdapterConfig, ctx: AdapterContext): Promise<CheckResult> {
    const { config: parsed, problems } = configProblems(config);
    if (!parsed) return { ok: false, problems };
    const client = new DnevnikClient(parsed, ctx);
    const say = (error: unknown, doing: string) => checkProblem(error, doing, 'Dnevnik.ru');
    try {
      if (!isRecord(await client.get('users/me'))) return { ok: false, problems: [`${parsed.baseUrl} does not answer like the Dnevnik.ru API (users/me). Check «Адрес API Дневник.ру».`] };
      const school = await client.get(`schools/${parsed.schoolId}`);
      if (!isRecord(school)) return { ok: false, problems: [unknownSchool(parsed.schoolId).message] };
      const groups = await client.list(`schools/${parsed.schoolId}/edu-groups`);
      if (groups.length === 0) problems.push(`Dnevnik.ru shows no classes for ${text(school.name) ?? 'the school'}: the token may lack the school administrator's rights.`);
      await client.list(`work-types/${parsed.schoolId}`);
    } catch (error) {
      return { ok: false, problems: [say(error, `Cannot read the school from ${parsed.baseUrl}`)] };
    }
    return { ok: problems.length === 0, problems };
  },

  async discoverSchools(config: AdapterConfig, ctx: AdapterContext) {
    const client = new DnevnikClient(parseConfig(config, { school: false }), ctx);
    // users/me/schools lists ids (some versions: school objects); schools?schools= gives their names.
    const mine = await client.list('users/me/schools');
    const ids = mine.map((s) => (isRecord(s) ? idOf(s) : idText(s))).filter((id): id is string => !!id);
    if (ids.length === 0) return [];
    const schools = (await client.list('schools', ids.map((id) => ['schools', id]))).filter(isRecord);
    return ids.map((id) => ({ sourceId: id, name: text(schools.find((s) => idOf(s) === id)?.name) ?? id }));
  },

  async *read(config: AdapterConfig, state: AdapterState | null, ctx: AdapterContext): AsyncIterable<AdapterMessage> {
    yield* new SchoolReader(parseConfig(config), state as ReadState | null, ctx).read();
  },
};
