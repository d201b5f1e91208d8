import { loadDemoIfEmpty } from '../../src/seed/demo';
import { useTestDatabase } from '../setup/database';

describe('the demo municipality', () => {
  const db = useTestDatabase();

  it('loads into an empty database once, even when two servers start at the same time', async () => {
    const results = await Promise.all([loadDemoIfEmpty(db.dataSource), loadDemoIfEmpty(db.dataSource)]);
    const summary = results.find((r) => r !== null)!;
    expect(results.filter((r) => r === null)).toHaveLength(1);
    expect(summary.elapsedMs).toBeLessThan(60_000);
    expect(await loadDemoIfEmpty(db.dataSource)).toBeNull();

    const [found] = await db.dataSource.query(`
      SELECT s.short_name, g.name AS class_name, st.last_name || ' ' || st.first_name || ' ' || st.middle_name AS student_name,
             sub.name AS subject_name, t.name AS term_name,
             (SELECT count(*) FROM school) AS schools, (SELECT count(*) FROM class_group WHERE school_id = s.id) AS classes
      FROM school s
      JOIN class_group g ON (g.school_id, g.id) = (s.id, $2)
      JOIN student st ON (st.school_id, st.id) = (s.id, $3)
      JOIN course c ON (c.school_id, c.id, c.class_group_id) = (s.id, $4, g.id)
      JOIN subject sub ON sub.id = c.subject_id
      JOIN term t ON (t.school_id, t.id) = (s.id, $5)
      JOIN municipality m ON m.id = s.municipality_id AND m.id = $6
      WHERE s.id = $1`,
    [summary.school.id, summary.classGroup.id, summary.student.id, summary.course.id, summary.currentTerm.id, summary.municipalityId]);
    expect(found).toEqual({
      short_name: summary.school.shortName, class_name: summary.classGroup.name, student_name: summary.student.name,
      subject_name: summary.course.subjectName, term_name: summary.currentTerm.name, schools: 3, classes: 22,
    });
  });
});
