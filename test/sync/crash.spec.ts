import { CrashPoint, SyncEngine } from '../../src/sync/engine';
import { SeededRandom } from '../../adapters/simulator-kit/random';
import { crashingAt, snapshotOf } from '../adapters/contract/suite';
import { Fixture } from '../factories/fixture';
import { useTestDatabase } from '../setup/database';
import { fakeAdapter, SourceData } from './fake-adapter';

/** A school of a few hundred records: 3 classes, 24 students, 60 lessons, marks and absences. */
function school(): SourceData {
  const students = Array.from({ length: 24 }, (_, i) => ({ sourceId: `st${i}`, lastName: `Ученикова${i}`, firstName: 'Мария' }));
  const groups = ['a', 'b', 'c'];
  const lessons = Array.from({ length: 60 }, (_, i) => ({
    sourceId: `l${i}`, courseSourceId: `m-${groups[i % 3]}`, date: `2026-11-${String(9 + Math.floor(i / 15)).padStart(2, '0')}`, number: 1 + ((i / 3) | 0) % 5,
  }));
  return {
    academicYears: [{ sourceId: 'y', label: '2026/2027', startsOn: '2026-09-01', endsOn: '2027-08-31' }],
    staff: [{ sourceId: 't', lastName: 'Учителева', firstName: 'Анна', positions: ['teacher'] }],
    students,
    classGroups: groups.map((g, i) => ({ sourceId: `c-${g}`, academicYearSourceId: 'y', gradeLevel: 5 + i, letter: 'А' })),
    courses: groups.map((g) => ({ sourceId: `m-${g}`, classGroupSourceId: `c-${g}`, subjectName: 'Математика' })),
    courseTeachers: groups.map((g) => ({ sourceId: `ct-${g}`, courseSourceId: `m-${g}`, staffSourceId: 't' })),
    enrollments: students.map((s, i) => ({ sourceId: `e${i}`, studentSourceId: s.sourceId, classGroupSourceId: `c-${groups[i % 3]}`, startsOn: '2026-09-01' })),
    lessons,
    marks: lessons.flatMap((l, i) => students.filter((_, s) => s % 3 === i % 3 && (s + i) % 2 === 0)
      .map((s) => ({ sourceId: `mk-${l.sourceId}-${s.sourceId}`, lessonSourceId: l.sourceId, studentSourceId: s.sourceId, scale: 'five_point' as const, value: String(2 + ((i + s.sourceId.length) % 4)) }))),
    attendance: lessons.filter((_, i) => i % 4 === 0).map((l, i) => ({ sourceId: `a${i}`, lessonSourceId: l.sourceId, studentSourceId: `st${(i * 3) % 24}`, status: 'ill' as const })),
  };
}

/**
 * The randomized crash test: a sync killed at random points (inside a batch, while saving a checkpoint,
 * between batches), again and again, must always end with exactly the rows of a sync that never failed.
 * CRASH_RUNS sets how many (hundreds by default; thousands on demand).
 */
describe('sync engine cut off at random points', () => {
  const db = useTestDatabase();
  const runs = Number(process.env.CRASH_RUNS ?? 200);
  const adapter = fakeAdapter(school, { checkpointEvery: 37 });
  const query = (sql: string, params: unknown[]) => db.dataSource.query(sql, params);
  const newSchool = () => new Fixture(db.dataSource).school({ systemOfRecord: 'fake-vendor' });

  it(`ends with the fault-free result every time (${runs} runs)`, async () => {
    const reference = await newSchool();
    expect((await new SyncEngine(db.dataSource, { batchSize: 25 }).run(reference, adapter, {})).status).toBe('succeeded');
    const expected = await snapshotOf(query, reference);
    expect(expected.mark.length).toBeGreaterThan(200);

    // Seeded, so that a failure can be replayed.
    const random = new SeededRandom(20261128);
    const draw = () => random.next();
    const points: CrashPoint[] = ['batch', 'checkpoint', 'between-batches'];
    const crashes: Record<CrashPoint, number> = { batch: 0, checkpoint: 0, 'between-batches': 0 };
    for (let run = 0; run < runs; run++) {
      const schoolId = await newSchool();
      for (let attempt = 0; ; attempt++) {
        const point = points[Math.floor(draw() * points.length)];
        const crash = draw() < 0.75 ? crashingAt(point, 1 + Math.floor(draw() * 30)) : undefined;
        const result = await new SyncEngine(db.dataSource, { batchSize: 1 + Math.floor(draw() * 60), crashAt: crash }).run(schoolId, adapter, {});
        if (result.status === 'succeeded') break;
        expect({ run, message: result.error?.message }).toEqual({ run, message: `crashed at ${point}` });
        crashes[point]++;
        expect(attempt).toBeLessThan(100);
      }
      const got = await snapshotOf(query, schoolId);
      if (JSON.stringify(got) !== JSON.stringify(expected)) expect({ run, got }).toEqual({ run, got: expected });
    }
    // Every kind of cut happened.
    for (const point of points) expect({ point, crashed: crashes[point] > 0 }).toEqual({ point, crashed: true });
  }, 600_000);
});
