import type { EntityManager } from 'typeorm';
import { SyncEngine } from '../../src/sync/engine';
import { subjectKey } from '../../src/sync/normalize';
import { prepare, writeBatch } from '../../src/sync/writer';
import { Fixture } from '../factories/fixture';
import { useTestDatabase } from '../setup/database';
import { fakeAdapter, SourceData } from './fake-adapter';

/** One class of `students` with a lesson a day for `lessons` days and every student marked in each: students × lessons marks. */
function markedClass(students: number, lessons: number): SourceData {
  const studentIds = Array.from({ length: students }, (_, i) => `st${i}`);
  const lessonIds = Array.from({ length: lessons }, (_, i) => `l${i}`);
  return {
    academicYears: [{ sourceId: 'y1', label: '2026/2027', startsOn: '2026-09-01', endsOn: '2027-08-31' }],
    students: studentIds.map((sourceId, i) => ({ sourceId, lastName: `Ученов${i}`, firstName: 'Иван' })),
    classGroups: [{ sourceId: 'c5a', academicYearSourceId: 'y1', gradeLevel: 5, letter: 'А' }],
    courses: [{ sourceId: 'm5a', classGroupSourceId: 'c5a', subjectName: 'Математика' }],
    lessons: lessonIds.map((sourceId, i) => ({ sourceId, courseSourceId: 'm5a', date: new Date(Date.UTC(2026, 8, 1 + i)).toISOString().slice(0, 10), number: 1 })),
    marks: lessonIds.flatMap((lesson) => studentIds.map((student) => ({
      sourceId: `${lesson}-${student}`, lessonSourceId: lesson, studentSourceId: student, scale: 'five_point' as const, value: '5',
    }))),
  };
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

/** The rows each table's scans went through (returned or filtered out), over the whole plan. */
function rowsRead(plan: PlanNode, into = new Map<string, number>()): Map<string, number> {
  if (plan['Relation Name'] && plan['Node Type'].endsWith('Scan')) {
    const perLoop = (plan['Actual Rows'] ?? 0) + (plan['Rows Removed by Filter'] ?? 0) + (plan['Rows Removed by Index Recheck'] ?? 0);
    into.set(plan['Relation Name'], (into.get(plan['Relation Name']) ?? 0) + perLoop * (plan['Actual Loops'] ?? 1));
  }
  for (const child of plan.Plans ?? []) rowsRead(child, into);
  return into;
}

describe('sync writer plans', () => {
  const db = useTestDatabase();

  it('reads only the batch’s rows of a school the table statistics do not know yet (its first sync)', async () => {
    const f = new Fixture(db.dataSource);
    const engine = new SyncEngine(db.dataSource, { batchSize: 1000 });
    // One school the statistics know, with its marks; then a second school's first sync, after the statistics were taken.
    const known = await f.school({ systemOfRecord: 'fake-vendor' });
    expect((await engine.run(known, fakeAdapter(() => markedClass(40, 60)), {})).status).toBe('succeeded');
    for (const table of ['mark', 'lesson', 'student']) await db.dataSource.query(`ANALYZE ${table}`);
    const fresh = await f.school({ systemOfRecord: 'fake-vendor' });
    expect((await engine.run(fresh, fakeAdapter(() => markedClass(40, 60)), {})).status).toBe('succeeded');

    // One more batch of the fresh school: 40 new marks on a new lesson. Each statement is explained as it runs.
    const more = markedClass(40, 61);
    const newLesson = more.lessons!.slice(-1);
    const newMarks = more.marks!.filter((m) => m.lessonSourceId === 'l60');
    const [subjects, kinds] = await Promise.all([
      db.dataSource.query('SELECT id, name FROM subject'), db.dataSource.query('SELECT code FROM work_kind'),
    ]);
    const catalog = { subjects: new Map<string, string>(subjects.map((s: { id: string; name: string }) => [subjectKey(s.name), s.id])), workKinds: new Set<string>(kinds.map((k: { code: string }) => k.code)) };
    const [{ id: runId }] = await db.dataSource.query(`INSERT INTO sync_run (school_id, id, adapter_id, status) VALUES ($1, gen_random_uuid(), 'fake-vendor', 'running') RETURNING id`, [fresh]);
    const scope = { schoolId: fresh, sourceSystem: 'fake-vendor', runId };
    const read = new Map<string, number>();
    await db.dataSource.transaction(async (em) => {
      await writeBatch(em, scope, 'lessons', newLesson.map((r) => prepare('lessons', r, catalog)), true);
      const explaining = {
        query: async (sql: string, params?: unknown[]) => {
          if (/^\s*(WITH|SELECT)/.test(sql)) {
            await em.query('SAVEPOINT explained');
            const [{ 'QUERY PLAN': [{ Plan }] }] = await em.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
            await em.query('ROLLBACK TO SAVEPOINT explained');
            for (const [table, rows] of rowsRead(Plan)) read.set(table, Math.max(read.get(table) ?? 0, rows));
          }
          return em.query(sql, params);
        },
      } as unknown as EntityManager;
      const { counts } = await writeBatch(explaining, scope, 'marks', newMarks.map((r) => prepare('marks', r, catalog)), true);
      expect(counts).toMatchObject({ inserted: 40, quarantined: 0 });
    });
    // The school has 2,400 marks: reading them all would look free to a planner that thinks it has none.
    expect(read.get('mark')).toBeLessThanOrEqual(40);
  });
});
