import { Adapter, AdapterConfig, AdapterContext, AdapterMessage, AdapterState, CheckResult, checkProblem } from '../../contract';
import { idOf, isDeleted, text } from '../oneroster';
import { OneRosterClient, Service } from './client';
import { CONFIG_FIELDS, configProblems, parseConfig } from './config';
import { SchoolReader, unknownSchool } from './reader';

/**
 * OneRoster 1.2 REST consumer (1EdTech): any e-journal that serves the rostering and gradebook
 * services with OAuth 2.0 client credentials. The mapping onto the canonical model is in README.md.
 */
export const oneRosterRestAdapter: Adapter = {
  manifest: {
    id: 'oneroster-rest',
    displayName: 'OneRoster 1.2 (REST)',
    vendor: '1EdTech OneRoster 1.2 provider',
    version: '1.0.0',
    config: CONFIG_FIELDS,
    capabilities: {
      streams: [
        'academicYears', 'terms', 'staff', 'students', 'guardians', 'studentGuardians', 'classGroups', 'courses', 'courseTeachers',
        'enrollments', 'lessons', 'marks',
      ],
      incremental: ['staff', 'students', 'guardians', 'studentGuardians', 'enrollments', 'lessons', 'marks'],
      deletions: [
        'academicYears', 'terms', 'staff', 'students', 'guardians', 'studentGuardians', 'classGroups', 'courses', 'courseTeachers',
        'enrollments', 'lessons', 'marks',
      ],
    },
  },

  async check(config: AdapterConfig, ctx: AdapterContext): Promise<CheckResult> {
    const { config: parsed, problems } = configProblems(config);
    if (!parsed) return { ok: false, problems };
    const client = new OneRosterClient(parsed, ctx);
    const say = (error: unknown, doing: string) => checkProblem(error, doing, 'the provider');
    try {
      await client.accessToken();
    } catch (error) {
      return { ok: false, problems: [say(error, `Cannot get an access token from ${parsed.tokenUrl}`)] };
    }
    try {
      const school = await client.get('rostering', `schools/${encodeURIComponent(parsed.schoolSourcedId)}`, 'org');
      if (!school) {
        const schools = (await client.all('rostering', 'schools', 'orgs')).filter((s) => !isDeleted(s));
        const listed = schools.slice(0, 10).map((s) => `${text(s.name) ?? '?'} (${idOf(s)})`).join('; ');
        return { ok: false, problems: [`${unknownSchool(parsed.schoolSourcedId).message}${listed ? ` The provider's schools: ${listed}.` : ''}`] };
      }
    } catch (error) {
      return { ok: false, problems: [say(error, `Cannot read the school from ${parsed.rosteringUrl}`)] };
    }
    // The collections a sync reads, each with the scope it needs: a refusal is named now rather than mid-sync.
    const reads: [Service, string, string, string][] = [
      ['rostering', `schools/${encodeURIComponent(parsed.schoolSourcedId)}/classes`, 'classes', 'the school\'s classes'],
      ['rostering', 'users', 'users', 'users'],
      ['rostering', 'demographics', 'demographics', 'demographics (birth dates)'],
      ['gradebook', 'categories', 'categories', 'the gradebook\'s categories'],
      ['gradebook', 'results', 'results', 'the gradebook\'s results'],
    ];
    for (const [service, path, key, what] of reads) {
      try {
        await client.first(service, path, key, { limit: 1 });
      } catch (error) {
        problems.push(say(error, `Cannot read ${what}`));
      }
    }
    return { ok: problems.length === 0, problems };
  },

  async discoverSchools(config: AdapterConfig, ctx: AdapterContext) {
    const client = new OneRosterClient(parseConfig(config, { school: false }), ctx);
    const schools = await client.all('rostering', 'schools', 'orgs');
    return schools.filter((s) => !isDeleted(s)).map((s) => ({ sourceId: idOf(s), name: text(s.name) ?? idOf(s) }));
  },

  async *read(config: AdapterConfig, state: AdapterState | null, ctx: AdapterContext): AsyncIterable<AdapterMessage> {
    yield* new SchoolReader(parseConfig(config), state, ctx).read();
  },
};
