import { Adapter, AdapterConfig, AdapterContext, AdapterError, AdapterMessage, AdapterState, CheckResult } from '../../contract';
import { idOf, isDeleted } from '../oneroster';
import { checkColumns, readManifest, recordOf } from './binding';
import { CONFIG_FIELDS, configProblems, parseConfig } from './config';
import { openExport } from './files';
import { ExportReader } from './reader';
import { rowsOf } from './table';

const STREAMS = [
  'academicYears', 'terms', 'staff', 'students', 'guardians', 'studentGuardians', 'classGroups', 'courses', 'courseTeachers', 'enrollments', 'lessons', 'marks',
] as const;

/** The export's schools (orgs of type school), for "Find the school". */
async function schoolsOf(path: string) {
  const files = await openExport(path);
  try {
    const manifest = await readManifest(files);
    if (manifest.orgs === 'absent') return [];
    const schools: { sourceId: string; name: string }[] = [];
    for await (const row of rowsOf(files, 'orgs.csv')) {
      const org = recordOf('orgs', row);
      if (org.type === 'school' && !isDeleted(org) && org.sourcedId) schools.push({ sourceId: idOf(org), name: String(org.name ?? idOf(org)) });
    }
    return schools;
  } finally {
    files.close();
  }
}

/**
 * OneRoster 1.2 CSV consumer (1EdTech CSV binding): a folder or ZIP with manifest.csv and bulk or
 * delta files, as an e-journal exports them. The mapping is the OneRoster family's (../README.md).
 */
export const oneRosterCsvAdapter: Adapter = {
  manifest: {
    id: 'oneroster-csv',
    displayName: 'OneRoster 1.2 (CSV export)',
    vendor: '1EdTech OneRoster 1.2 CSV export',
    version: '1.0.0',
    config: CONFIG_FIELDS,
    capabilities: {
      streams: [...STREAMS],
      incremental: ['staff', 'students', 'guardians', 'studentGuardians', 'enrollments', 'lessons', 'marks'],
      deletions: [...STREAMS],
    },
  },

  async check(config: AdapterConfig): Promise<CheckResult> {
    const { config: parsed, problems } = configProblems(config);
    if (!parsed) return { ok: false, problems };
    try {
      const files = await openExport(parsed.path);
      try {
        await checkColumns(files, await readManifest(files));
      } finally {
        files.close();
      }
      const schools = await schoolsOf(parsed.path);
      const listed = schools.slice(0, 10).map((s) => `${s.name} (${s.sourceId})`).join('; ');
      if (parsed.schoolSourcedId && schools.length > 0 && !schools.some((s) => s.sourceId === parsed.schoolSourcedId)) {
        problems.push(`orgs.csv has no school with sourcedId "${parsed.schoolSourcedId}"; the export's schools: ${listed}.`);
      } else if (!parsed.schoolSourcedId && schools.length > 1) {
        problems.push(`The export holds several schools: fill in «Идентификатор школы в выгрузке» (schoolSourcedId) with one of: ${listed}.`);
      }
    } catch (error) {
      problems.push(error instanceof AdapterError ? error.message : String(error));
    }
    return { ok: problems.length === 0, problems };
  },

  async discoverSchools(config: AdapterConfig) {
    return schoolsOf(parseConfig(config).path);
  },

  async *read(config: AdapterConfig, state: AdapterState | null, ctx: AdapterContext): AsyncIterable<AdapterMessage> {
    yield* new ExportReader(parseConfig(config), state, ctx).read();
  },
};
