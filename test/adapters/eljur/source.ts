import { eljurAdapter } from '../../../adapters/eljur';
import { courseSourceId, lessonSourceId, markSourceId } from '../../../adapters/eljur/mapping';
import { EljurSimulator, Faults, Lesson, Mark } from '../../../adapters/eljur/simulator';
import type { ContractSource, ContractSubject, SourceRef } from '../contract/source';

const isAbsence = (m: Mark) => m.value === 'н' || m.value === 'оп';

/** The adapter's id of a simulator lesson (ЭлЖур has no lesson ids of its own that the adapter relies on). */
export function lessonRef(lesson: Lesson): string {
  return lessonSourceId(courseSourceId(lesson.className, lesson.subject, lesson.grp), lesson.date, lesson.num);
}

/** The adapter's id of a simulator mark: its place among the student's marks (not absences) in the lesson. */
export function markRef(simulator: EljurSimulator, mark: Mark): string {
  const lesson = simulator.school.lessons.find((l) => l.id === mark.lessonId)!;
  const place = simulator.school.marks.filter((m) => m.lessonId === mark.lessonId && m.studentId === mark.studentId && !isAbsence(m)).indexOf(mark) + 1;
  return markSourceId(mark.studentId, lessonRef(lesson), place);
}

/** Adapter configuration for a started simulator: fast enough for tests (the defaults are for a real ЭлЖур). */
export function configFor(simulator: EljurSimulator, base: string, overrides: Record<string, string | number> = {}) {
  const o = simulator.options;
  return { baseUrl: `${base}/apiv3`, devkey: o.devkey, vendor: o.vendor, login: o.hubLogin, password: o.hubPassword, requestsPerSecond: 1000, parallelism: 4, ...overrides };
}

/** One small ЭлЖур school (two classes, three weeks) for the shared contract suite. */
export const subject: ContractSubject = {
  adapter: eljurAdapter,
  async open(seed: number): Promise<ContractSource> {
    const simulator = new EljurSimulator({ seed, grades: [5, 7], studentsPerClass: 5, weeks: 3 });
    const base = await simulator.start();
    let faults: Faults = {};
    const setFaults = (more: Faults) => simulator.setFaults((faults = { ...faults, ...more }));
    /** A student's only mark in a lesson: removing it shifts no other mark's place. */
    const loneMarks = () => simulator.school.marks.filter((m) => !isAbsence(m) && simulator.school.marks.filter((x) => x.lessonId === m.lessonId && x.studentId === m.studentId).length === 1);
    return {
      config: configFor(simulator, base),
      wrongCredentials: configFor(simulator, base, { password: 'not-the-password' }),
      async change() {
        const [a, b] = loneMarks();
        simulator.updateMark(a.id, { value: a.value === '5' ? '4-' : '5' });
        simulator.updateMark(b.id, { value: b.value === '3' ? '2' : '3', comment: 'исправлено' });
        const lesson = simulator.school.lessons[3];
        simulator.updateLesson(lesson.id, { topic: 'Повторение: дроби', homework: '№ 12, 13' });
        simulator.updateStudent(simulator.school.students[1].id, { lastName: 'Новикова-Сафина' });
        const student = simulator.school.students.find((s) => s.className === lesson.className)!;
        simulator.addMark({ lessonId: lesson.id, studentId: student.id, value: '5', kind: 'answer' });
      },
      async remove(): Promise<SourceRef[]> {
        const mark = loneMarks().at(-1)!;
        const markId = markRef(simulator, mark);
        simulator.removeMark(mark.id);
        const lesson = simulator.school.lessons.find((l) => l.className === simulator.school.classes[1].name && l.id !== mark.lessonId)!;
        const lessonMarks = simulator.school.marks.filter((m) => m.lessonId === lesson.id && !isAbsence(m)).map((m) => markRef(simulator, m));
        simulator.removeLesson(lesson.id);
        return [{ stream: 'marks', sourceId: markId }, { stream: 'lessons', sourceId: lessonRef(lesson) }, ...lessonMarks.map((sourceId) => ({ stream: 'marks' as const, sourceId }))];
      },
      async malform(): Promise<SourceRef> {
        const mark = simulator.school.marks.find((m) => /^[1-5]$/.test(m.value))!;
        setFaults({ malformed: [...(faults.malformed ?? []), mark.id] });
        return { stream: 'marks', sourceId: markRef(simulator, mark) };
      },
      outage(requests: number) {
        setFaults({ failNext: requests, failNextWith: 503 });
      },
      close: () => simulator.stop(),
    };
  },
};
