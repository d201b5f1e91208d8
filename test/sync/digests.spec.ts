import { SyncEngine } from '../../src/sync/engine';
import { Fixture } from '../factories/fixture';
import { useTestDatabase } from '../setup/database';
import { countStatements } from '../setup/statements';
import { fakeAdapter, smallSchool, SourceData } from './fake-adapter';

/** Streams read whole that are as they last landed are not written again (src/sync/digests.ts). */
describe('sync engine: streams as they last landed', () => {
  const db = useTestDatabase();
  let schoolId: string;
  const q = (sql: string, params: unknown[] = [schoolId]) => db.dataSource.query(sql, params);
  const digests = async () => (await q('SELECT stream FROM sync_stream_digest WHERE school_id = $1 ORDER BY stream')).map((r: { stream: string }) => r.stream);
  /** The source with its small collections read whole, as the OneRoster adapters read them. */
  const readWhole = (source: () => SourceData) => fakeAdapter(source, { readsWhole: ['academicYears', 'terms', 'classGroups', 'courses'] });
  const run = (source: () => SourceData) => new SyncEngine(db.dataSource).run(schoolId, readWhole(source), {});
  /** The statements that write or look up a table's rows as a stream lands. */
  const touching = (statements: string[], table: string) => statements.filter((s) => s.includes(`INSERT INTO ${table} AS t`) || s.includes(`FROM ${table} t`));

  beforeEach(async () => {
    schoolId = await new Fixture(db.dataSource).school({ systemOfRecord: 'fake-vendor' });
  });

  it('leaves alone a stream read whole that is as it last landed, and writes it again once it changed', async () => {
    expect((await run(smallSchool)).status).toBe('succeeded');
    expect(await digests()).toEqual(['academicYears', 'classGroups', 'courses', 'terms']);

    const again = await countStatements(db.dataSource, () => run(smallSchool));
    expect(again.result.status).toBe('succeeded');
    expect(again.result.counts.courses).toEqual({ inserted: 0, updated: 0, unchanged: 2, deleted: 0, quarantined: 0 });
    expect(touching(again.statements, 'course')).toEqual([]);
    expect(touching(again.statements, 'class_group')).toEqual([]);
    // A stream not read whole is written as before (and found unchanged).
    expect(touching(again.statements, 'student').length).toBeGreaterThan(0);

    const renamed = () => {
      const s = smallSchool();
      s.classGroups![1] = { ...s.classGroups![1], letter: 'В' };
      return s;
    };
    const changed = await run(renamed);
    expect(changed.counts.classGroups).toMatchObject({ updated: 1, unchanged: 1 });
    expect(changed.counts.courses).toMatchObject({ unchanged: 2 });
    expect(await q(`SELECT name FROM class_group WHERE school_id = $1 ORDER BY name`)).toEqual([{ name: '5А' }, { name: '5В' }]);
  });

  it('writes a stream with records quarantined, however unchanged: an alias added since lets them in', async () => {
    const withUnknownSubject = () => {
      const s = smallSchool();
      s.courses!.push({ sourceId: 'x5a', classGroupSourceId: 'c5a', subjectName: 'Словесность (факультатив)' });
      return s;
    };
    expect((await run(withUnknownSubject)).counts.courses).toMatchObject({ inserted: 2, quarantined: 1 });
    expect(await digests()).not.toContain('courses');

    await q(`INSERT INTO subject_alias (alias, subject_id) SELECT 'словесность (факультатив)', id FROM subject WHERE code = 'literature'`, []);
    try {
      const result = await run(withUnknownSubject);
      expect(result.counts.courses).toMatchObject({ inserted: 1, unchanged: 2, quarantined: 0 });
      expect(await q(`SELECT count(*)::int AS n FROM sync_quarantine WHERE school_id = $1 AND resolved_at IS NULL`)).toEqual([{ n: 0 }]);
      expect(await digests()).toContain('courses');
    } finally {
      await q(`DELETE FROM subject_alias WHERE alias = 'словесность (факультатив)'`, []);
    }
  });

  it('writes a stream again after rows went missing from it, and drops its digest when the vendor reports a deletion', async () => {
    await run(smallSchool);
    const withoutCourse = () => {
      const s = smallSchool();
      s.courses = s.courses!.filter((c) => c.sourceId !== 'r5a');
      return s;
    };
    expect((await run(withoutCourse)).counts.courses).toMatchObject({ unchanged: 1, deleted: 1 });
    expect(await digests()).not.toContain('courses');
    // Written once more (nothing missing now), then left alone.
    expect(touching((await countStatements(db.dataSource, () => run(withoutCourse))).statements, 'course').length).toBeGreaterThan(0);
    expect(touching((await countStatements(db.dataSource, () => run(withoutCourse))).statements, 'course')).toEqual([]);

    const reporting = readWhole(withoutCourse);
    const read = reporting.read.bind(reporting);
    reporting.read = async function* (config, state, ctx) {
      yield { type: 'deleted', stream: 'courses', sourceId: 'm5a' };
      yield* read(config, state, ctx);
    };
    await new SyncEngine(db.dataSource).run(schoolId, reporting, {});
    expect(await digests()).not.toContain('courses');
  });
});
