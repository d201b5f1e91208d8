import { SyncEngine } from '../../../src/sync/engine';
import { Fixture } from '../../factories/fixture';
import { useTestDatabase } from '../../setup/database';
import { subject } from './source';

/** What the shared contract suite will ask of this source, checked here until the suite runs it. */
describe('the OneRoster CSV contract source', () => {
  const db = useTestDatabase();
  const q = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params);
  const sync = (schoolId: string, config: Record<string, unknown>) => new SyncEngine(db.dataSource).run(schoolId, subject.adapter, config as Record<string, string>);
  const newSchool = () => new Fixture(db.dataSource).school({ systemOfRecord: 'oneroster-csv' });
  const rows = (schoolId: string) =>
    q(`SELECT 'mark' AS t, source_id, value AS v FROM mark WHERE school_id = $1 UNION ALL SELECT 'lesson', source_id, topic FROM lesson WHERE school_id = $1
       UNION ALL SELECT 'student', source_id, last_name FROM student WHERE school_id = $1 ORDER BY 1, 2`, [schoolId]);

  it('changes, removes, malforms and takes the export down as the suite needs', async () => {
    const source = await subject.open(3);
    try {
      const schoolId = await newSchool();
      expect((await sync(schoolId, source.config)).status).toBe('succeeded');
      const marks = Number((await q(`SELECT count(*) AS n FROM mark WHERE school_id = $1`, [schoolId]))[0].n);
      expect(marks).toBeGreaterThan(50);
      expect(marks).toBeLessThan(1000);

      await source.change();
      const incremental = await sync(schoolId, source.config);
      expect(incremental.counts.marks).toMatchObject({ inserted: 1, updated: 2 });
      const fresh = await newSchool();
      expect((await sync(fresh, source.config)).status).toBe('succeeded');
      expect(await rows(schoolId)).toEqual(await rows(fresh));

      const removed = await source.remove();
      expect((await sync(schoolId, source.config)).status).toBe('succeeded');
      const deleted = await q(`SELECT stream, source_id AS "sourceId" FROM sync_deletion WHERE school_id = $1`, [schoolId]);
      expect(deleted).toEqual(expect.arrayContaining(removed));

      const malformed = await source.malform();
      expect((await sync(schoolId, source.config)).status).toBe('succeeded');
      expect(await q(`SELECT stream, source_id AS "sourceId" FROM sync_quarantine WHERE school_id = $1`, [schoolId])).toEqual([malformed]);

      source.outage(3);
      expect((await sync(await newSchool(), source.config)).status).toBe('succeeded');
      expect(source.wrongCredentials).toBeNull();
    } finally {
      await source.close();
    }
  });
});
