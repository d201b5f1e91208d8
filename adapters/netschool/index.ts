import { Adapter, AdapterConfig, AdapterContext, AdapterMessage, AdapterState, CheckResult, checkProblem } from '../contract';
import { NetSchoolClient } from './client';
import { CONFIG_FIELDS, configProblems, parseConfig } from './config';
import { Json } from './mapping';
import { SchoolReader } from './reader';

/**
 * NetSchool / «Сетевой город. Образование» (IrTech): the web API its own pages use, signed in as a
 * staff account of the school that sees every class. The mapping onto the canonical model is in README.md.
 */
export const netSchoolAdapter: Adapter = {
  manifest: {
    id: 'netschool',
    displayName: 'Сетевой город. Образование (NetSchool)',
    vendor: 'ИрТех (IrTech)',
    version: '1.0.0',
    config: CONFIG_FIELDS,
    capabilities: {
      streams: ['academicYears', 'terms', 'classGroups', 'students', 'enrollments', 'courses', 'lessons', 'marks', 'attendance', 'finalMarks'],
      // The web API has no change feed: every run walks the year again (resuming mid-walk after a failure).
      incremental: [],
      deletions: [],
    },
  },

  async check(config: AdapterConfig, ctx: AdapterContext): Promise<CheckResult> {
    const { config: parsed, problems } = configProblems(config);
    if (!parsed) return { ok: false, problems };
    const client = new NetSchoolClient(parsed, ctx);
    const say = (error: unknown, doing: string) => checkProblem(error, doing, 'the server');
    try {
      await client.signIn();
    } catch (error) {
      return { ok: false, problems: [say(error, `Cannot sign in to ${parsed.siteUrl}`)] };
    }
    try {
      const init = (await client.get('student/diary/init')) as Json;
      const pupils = Array.isArray(init?.students) ? init.students.length : 0;
      if (pupils === 0) problems.push('The account sees no pupils in the diary. Give the hub a staff account that sees every class of the school.');
      await client.get('reports/studenttotalmarks');
    } catch (error) {
      problems.push(say(error, 'Cannot read the diary or the reports'));
    } finally {
      await client.logout();
    }
    return { ok: problems.length === 0, problems };
  },

  async discoverSchools(config: AdapterConfig, ctx: AdapterContext) {
    const parsed = parseConfig(config, { school: false });
    const schools = await new NetSchoolClient(parsed, ctx).listSchools(/^\d+$/.test(parsed.school) ? '' : parsed.school);
    return schools.map((s) => ({ sourceId: s.id, name: s.name }));
  },

  async *read(config: AdapterConfig, state: AdapterState | null, ctx: AdapterContext): AsyncIterable<AdapterMessage> {
    yield* new SchoolReader(parseConfig(config), state, ctx).read();
  },
};
