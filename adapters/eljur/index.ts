import { Adapter, AdapterConfig, AdapterContext, AdapterError, AdapterMessage, AdapterState, CheckResult } from '../contract';
import { EljurClient } from './client';
import { CONFIG_FIELDS, configProblems, parseConfig } from './config';
import { entries, isObject, text } from './mapping';
import { SchoolReader } from './reader';

/**
 * ЭлЖур (eljur.ru) through its documented API (v1.4 / apiv3) with an account the school gives
 * journal-hub. The mapping onto the canonical model, and what is uncertain, is in README.md.
 */
export const eljurAdapter: Adapter = {
  manifest: {
    id: 'eljur',
    displayName: 'ЭлЖур',
    vendor: 'ЭлЖур (eljur.ru)',
    version: '1.0.0',
    config: CONFIG_FIELDS,
    capabilities: {
      streams: [
        'academicYears', 'terms', 'staff', 'students', 'classGroups', 'courses', 'courseTeachers', 'courseStudents', 'enrollments',
        'lessons', 'marks', 'attendance', 'finalMarks',
      ],
      // Every run reads the year so far whole; the saved state only resumes an interrupted walk.
      incremental: [],
      // ЭлЖур reports no deletions: the engine infers them from complete reads.
      deletions: [],
    },
  },

  async check(config: AdapterConfig, ctx: AdapterContext): Promise<CheckResult> {
    const { config: parsed, problems } = configProblems(config);
    if (!parsed) return { ok: false, problems };
    const client = new EljurClient(parsed, ctx);
    try {
      await client.authToken();
      const rules = await client.call('getrules');
      const relations = isObject(rules) && isObject(rules.relations) ? rules.relations : {};
      const students = entries(relations.students);
      if (students.length === 0) problems.push('The account signs in but sees no students: ask the school to give it access to every student.');
      else {
        const first = students[0][0];
        await client.call('getperiods', { student: first, weeks: 'true' });
      }
    } catch (error) {
      problems.push(error instanceof AdapterError && error.kind === 'config'
        ? error.message
        : `Cannot reach ЭлЖур at ${parsed.apiUrl}: ${error instanceof Error ? error.message : String(error)}. Check the address; try again later.`);
    }
    return { ok: problems.length === 0, problems };
  },

  /** The account's school (one vendor is one school): its subdomain and title. */
  async discoverSchools(config: AdapterConfig, ctx: AdapterContext) {
    const parsed = parseConfig(config);
    const rules = await new EljurClient(parsed, ctx).call('getrules');
    const relations = isObject(rules) && isObject(rules.relations) ? rules.relations : {};
    const schools = entries(relations.schools).map(([, s]) => text(s.title) ?? text(s.title_full) ?? text(s.number)).filter((t): t is string => !!t);
    return [{ sourceId: parsed.vendor, name: schools[0] ?? parsed.vendor }];
  },

  async *read(config: AdapterConfig, state: AdapterState | null, ctx: AdapterContext): AsyncIterable<AdapterMessage> {
    yield* new SchoolReader(parseConfig(config), state, ctx).read();
  },
};
