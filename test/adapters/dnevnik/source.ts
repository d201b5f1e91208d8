import { dnevnikAdapter } from '../../../adapters/dnevnik';
import { DnevnikSimulator, Faults, SCHOOL_SIZES } from '../../../adapters/dnevnik/simulator';
import type { ContractSubject, SourceRef } from '../contract/source';

/**
 * The Dnevnik.ru simulator as the shared contract suite's source: a small school (two classes with their
 * English subgroups, eight weeks of lessons, a few hundred marks, attendance, homework, quarter marks).
 */
export const subject: ContractSubject = {
  adapter: dnevnikAdapter,

  async open(seed: number) {
    const simulator = new DnevnikSimulator({ ...SCHOOL_SIZES.small, seed });
    const baseUrl = await simulator.start();
    const config = { baseUrl, accessToken: simulator.options.accessToken, schoolId: simulator.schoolId, requestsPerSecond: 100, parallelism: 4 };
    const data = simulator.dataset;
    // Faults accumulate (a malformed record stays malformed through an outage), as the suite applies them one by one.
    let faults: Faults = {};
    const fault = (more: Faults) => simulator.setFaults((faults = { ...faults, ...more }));
    let changes = 0;

    return {
      config,
      wrongCredentials: { ...config, accessToken: 'revoked-or-mistyped-token' },

      async change() {
        changes++;
        const fivePoint = data.marks.filter((m) => m.type === 'mark5');
        for (const m of fivePoint.slice(changes * 3, changes * 3 + 3)) simulator.updateMark(m.id, { value: m.value === '5' ? '4' : '5' });
        const lesson = data.lessons[changes * 7];
        simulator.updateLesson(lesson.id, { title: `Изменённая тема ${changes}`, homework: `§ ${10 + changes}, вопросы 1–3` });
        const student = data.persons.find((p) => data.memberships.some((m) => m.personId === p.id && m.status === 'Active'))!;
        simulator.updatePerson(student.id, { lastName: `${student.lastName}-Новикова`.slice(0, 40) });
        const present = data.memberships.find((m) => m.groupId === lesson.groupId && m.status === 'Active')!;
        simulator.addMark(lesson.id, present.personId, '3');
      },

      async remove() {
        const removed: SourceRef[] = [];
        const mark = data.marks.find((m) => m.type === 'mark5')!;
        simulator.removeMark(mark.id);
        removed.push({ stream: 'marks', sourceId: String(mark.id) });
        // A lesson goes with its marks and log entries.
        const lesson = data.lessons.find((l) => data.marks.some((m) => m.lessonId === l.id))!;
        const ofLesson = data.marks.filter((m) => m.lessonId === lesson.id);
        simulator.removeLesson(lesson.id);
        removed.push({ stream: 'lessons', sourceId: String(lesson.id) }, ...ofLesson.map((m) => ({ stream: 'marks' as const, sourceId: String(m.id) })));
        // A student leaves: archived, their class enrollment is gone (the student and their marks stay).
        const leaving = data.memberships.find((m) => m.status === 'Active' && data.groups.some((g) => g.id === m.groupId && g.type === 'Group'))!;
        simulator.archiveStudent(leaving.personId);
        removed.push({ stream: 'enrollments', sourceId: `${leaving.groupId}:${leaving.personId}` });
        return removed;
      },

      async malform() {
        const mark = data.marks.find((m) => m.type === 'mark5' && !faults.malformed?.includes(String(m.id)))!;
        fault({ malformed: [...(faults.malformed ?? []), String(mark.id)] });
        return { stream: 'marks', sourceId: String(mark.id) };
      },

      outage(requests: number) {
        fault({ failNext: requests });
      },

      close: () => simulator.stop(),
    };
  },
};
