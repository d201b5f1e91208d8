import { entitiesFromArrays, entitiesFromJson, jsonArray } from '../../src/db/from-json';
import { Mark } from '../../src/modules/journal/journal.entities';
import { Student } from '../../src/modules/people/person.entity';
import { Fixture } from '../factories/fixture';
import { useTestDatabase } from '../setup/database';

/** Rows read as json, as objects (json_agg(t)) or as arrays of their columns (jsonArray), become the same entities. */
describe('entities from json', () => {
  const db = useTestDatabase();

  it('are the same whether the rows come as objects or as arrays of their columns', async () => {
    const ds = db.dataSource;
    const f = new Fixture(ds);
    const school = await f.school();
    const year = await f.year(school);
    const teacher = await f.staff(school);
    const course = await f.course(await f.classGroup(year, 5, 'А'), 'mathematics', [teacher]);
    const lesson = await f.lesson(course, '2026-11-16', 1, teacher);
    const [first, second] = [await f.student(school), await f.student(school)];
    await f.mark(lesson, first, '4-', { numeric: 3.7, weight: 2, enteredBy: teacher });
    await f.mark(lesson, second, 'зач', { scale: 'pass_fail' });
    for (const [target, table] of [[Student, 'student'], [Mark, 'mark']] as const) {
      const [{ objects, arrays }] = await ds.query(
        `SELECT json_agg(t ORDER BY t.id) AS objects, json_agg(${jsonArray(ds, target, 't')} ORDER BY t.id) AS arrays FROM ${table} t WHERE t.school_id = $1`,
        [school],
      );
      const fromArrays = entitiesFromArrays(ds, target, arrays);
      expect(fromArrays).toEqual(entitiesFromJson(ds, target, objects));
      expect(fromArrays).toHaveLength(2);
      expect(fromArrays[0]).toBeInstanceOf(target);
      expect(fromArrays[0].createdAt).toBeInstanceOf(Date);
    }
  });
});
