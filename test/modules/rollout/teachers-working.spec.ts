import { randomUUID } from 'node:crypto';
import { todayIn } from '../../../src/common/dates';
import { ACTIVITY_WINDOW_DAYS, computeReport, sharesOfSchools } from '../../../src/modules/rollout/report-items';
import { Fixture, Ref } from '../../factories/fixture';
import { useTestDatabase } from '../../setup/database';

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * Item 13, "teachers working": teachers of a course this year who entered a mark in the last 14 days,
 * or whose lesson got one (a vendor may not say who entered it). The directorate's figures count it
 * for all schools at once in their own way (sharesOfSchools); both must agree with the definition.
 */
describe('teachers working (report item 13)', () => {
  const db = useTestDatabase();
  let schoolId: string;
  let today: string;

  beforeAll(async () => {
    const f = new Fixture(db.dataSource);
    schoolId = await f.school();
    today = todayIn('Asia/Yekaterinburg');
    const year = await f.year(schoolId, '2026/2027', addDays(today, -120), addDays(today, 200));
    const lastYear = await f.year(schoolId, '2025/2026', addDays(today, -500), addDays(today, -121));
    const c5a = await f.classGroup(year, 5, 'А');
    const c4a = await f.classGroup(lastYear, 4, 'А');
    const student = await f.student(schoolId);
    await f.enroll(student, c5a, addDays(today, -120));
    const [a, b, c, d, e, g, h, past] = await Promise.all(Array.from({ length: 8 }, () => f.staff(schoolId)));
    const course = async (teacher: Ref, subject: string) => f.course(c5a, subject, [teacher]);
    const [mathA, rusB, engC] = [await course(a, 'mathematics'), await course(b, 'russian'), await course(c, 'english')];
    await course(d, 'history');
    const [bioE, geoG, artH] = [await course(e, 'biology'), await course(g, 'geography'), await course(h, 'art')];
    await f.course(c4a, 'mathematics', [past]);

    const marked = async (lesson: Ref, by: Ref | null, enteredAt: string) => {
      const mark = await f.mark(lesson, student, '5');
      await db.dataSource.query('UPDATE mark SET entered_by_id = $3, entered_at = $4 WHERE school_id = $1 AND id = $2', [schoolId, mark.id, by?.id ?? null, enteredAt]);
    };
    const now = new Date().toISOString();
    // A marks their own lesson today.
    await marked(await f.lesson(mathA, today, 1, a), a, now);
    // B's lesson got a mark today from a vendor that does not say who entered it.
    await marked(await f.lesson(rusB, today, 2, b), null, now);
    // D, who teaches, stands in for C and marks C's lesson: both count.
    await marked(await f.lesson(engC, today, 3, c), d, now);
    // E marked only three weeks ago.
    await marked(await f.lesson(bioE, addDays(today, -21), 1, e), e, new Date(Date.now() - 21 * 86_400_000).toISOString());
    // G's only mark is dated after the school's today.
    await marked(await f.lesson(geoG, addDays(today, 2), 1, g), g, `${addDays(today, 3)}T12:00:00+05:00`);
    // A mark entered today for H's lesson of two months ago, by nobody known.
    await marked(await f.lesson(artH, addDays(today, -60), 1, h), null, now);
    // A teacher of last year's class marks A's lesson today: counted for A, not as a teacher of this year.
    await marked(await f.lesson(mathA, today, 4, a), past, now);
  });

  const counted = async (day: string) => {
    const shares = await sharesOfSchools(db.dataSource.manager, new Map([[schoolId, day]]));
    const { totals } = await computeReport(db.dataSource.manager, schoolId, randomUUID(), day, {});
    return { all: shares.get(schoolId)!.totals.teachersWorking, own: totals.teachersWorking };
  };

  it('counts who marked, and the teachers of lessons marked, in the last 14 days', async () => {
    // Teaching this year: A, B, C, D, E, G, H. Working: A, B, C, D, H.
    expect(await counted(today)).toEqual({ all: { part: 5, whole: 7 }, own: { part: 5, whole: 7 } });
  });

  it('counts nobody working when no mark was entered in the window', async () => {
    const later = addDays(today, ACTIVITY_WINDOW_DAYS + 30);
    expect(await counted(later)).toEqual({ all: { part: 0, whole: 7 }, own: { part: 0, whole: 7 } });
  });
});
