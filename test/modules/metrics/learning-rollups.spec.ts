import {
  markLearningDataChanged, refreshLearningRollups, refreshStaleLearningRollups, staleSchools,
} from '../../../src/modules/metrics/learning-rollups';
import { Fixture } from '../../factories/fixture';
import { useTestDatabase } from '../../setup/database';
import { buildLearningFixture, LearningFixture } from './learning-fixture';

describe('learning rollups', () => {
  const db = useTestDatabase();
  let x: LearningFixture;

  beforeAll(async () => {
    x = await buildLearningFixture(new Fixture(db.dataSource));
  });

  it('are made for every school on first need, then only for schools marked changed', async () => {
    expect(await staleSchools(db.dataSource, null)).toEqual([x.a, x.b].sort());
    expect((await refreshStaleLearningRollups(db.dataSource)).sort()).toEqual([x.a, x.b].sort());
    expect(await staleSchools(db.dataSource, null)).toEqual([]);

    await markLearningDataChanged(db.dataSource.manager, x.b);
    await markLearningDataChanged(db.dataSource.manager, x.b);
    expect(await staleSchools(db.dataSource, x.a)).toEqual([]);
    expect(await staleSchools(db.dataSource, null)).toEqual([x.b]);
    expect(await refreshStaleLearningRollups(db.dataSource)).toEqual([x.b]);
    const [state] = await db.dataSource.query('SELECT data_version FROM learning_rollup_state WHERE school_id = $1', [x.b]);
    expect(state.data_version).toBe(2);
  });

  it('hold a year that is the sum of its terms, and every combination of term, grade level and subject', async () => {
    const rows: { grain: string; n: number; marks: number }[] = await db.dataSource.query(
      `SELECT concat_ws('+', CASE WHEN term_id IS NOT NULL THEN 'term' END, CASE WHEN grade_level IS NOT NULL THEN 'grade' END,
                        CASE WHEN subject_id IS NOT NULL THEN 'subject' END) AS grain, count(*)::int AS n, sum(marks)::int AS marks
         FROM learning_rollup WHERE school_id = $1 GROUP BY 1 ORDER BY 1`, [x.a]);
    // Shown marks: 5А mathematics of quarter 1 only (13); every grain adds up to them.
    expect(rows.every((r) => r.marks === 13)).toBe(true);
    expect(rows.map((r) => r.grain)).toEqual(['', 'grade', 'grade+subject', 'subject', 'term', 'term+grade', 'term+grade+subject', 'term+subject']);
  });

  it('let one refresh of a school do the work when two start at once', async () => {
    await markLearningDataChanged(db.dataSource.manager, x.a);
    const done = await Promise.all([refreshLearningRollups(db.dataSource, x.a), refreshLearningRollups(db.dataSource, x.a)]);
    expect(done.filter(Boolean)).toHaveLength(1);
    expect(await staleSchools(db.dataSource, null)).toEqual([]);
  });

  it('do not wait for a writer still in its transaction, and count its change once it commits', async () => {
    const writer = db.dataSource.createQueryRunner();
    await writer.connect();
    await writer.startTransaction();
    try {
      await writer.query(
        `INSERT INTO mark (school_id, lesson_id, student_id, scale, value, numeric_value) VALUES ($1, $2, $3, 'five_point', '3', 3)`,
        [x.a, x.l5.id, x.as[4].id]);
      await markLearningDataChanged(writer.manager, x.a);
      // The writer holds its school's version row; a refresh does not need it.
      await db.dataSource.query(`UPDATE learning_rollup_state SET data_version = -1 WHERE school_id = $1`, [x.a]);
      expect(await refreshLearningRollups(db.dataSource, x.a)).toBe(true);
      expect(await staleSchools(db.dataSource, x.a)).toEqual([]);
      await writer.commitTransaction();
    } finally {
      await writer.release();
    }
    expect(await staleSchools(db.dataSource, x.a)).toEqual([x.a]);
    await refreshStaleLearningRollups(db.dataSource, x.a);
    const [russian] = await db.dataSource.query(
      `SELECT students, marks FROM learning_rollup WHERE school_id = $1 AND subject_id = $2 AND term_id IS NOT NULL AND grade_level = 5`,
      [x.a, x.subjects.russian]);
    expect(russian).toEqual({ students: 5, marks: 5 });
  });
});
