import { createHash } from 'node:crypto';
import { netSchoolAdapter } from '../../../adapters/netschool';
import { NetSchoolSimulator } from '../../../adapters/netschool/simulator';
import type { ContractSource, ContractSubject, SourceRef } from '../contract/source';

/** The configuration that reads the simulator's school, fast enough for tests. */
export function configFor(simulator: NetSchoolSimulator, url: string, overrides: Record<string, string | number> = {}) {
  return {
    serverUrl: url, school: simulator.school.loginName, login: simulator.options.login, password: simulator.options.password,
    requestsPerSecond: 1000, parallelism: 4, ...overrides,
  };
}

/** A stable pick from a list, by a key derived from the seed (the same seed picks the same records). */
function pick<T>(items: T[], seed: number, salt: string): T {
  const n = createHash('md5').update(`${seed}:${salt}`).digest().readUInt32BE(0);
  return items[n % items.length];
}

export const subject: ContractSubject = {
  adapter: netSchoolAdapter,
  async open(seed: number): Promise<ContractSource> {
    // Two classes (quarters and half-years), three pupils each, up to mid-November: a few hundred marks and first-quarter marks.
    const simulator = new NetSchoolSimulator({ seed, classes: 2, studentsPerClass: 3, today: '2026-11-13' });
    const url = await simulator.start();
    const config = configFor(simulator, url);
    const s = simulator.school;
    const marked = () => [...s.marks].filter(([, m]) => m.mark !== null).map(([key]) => key.split(':').map(Number) as [number, number]);
    return {
      config,
      wrongCredentials: { ...config, password: 'не тот пароль' },
      async change() {
        for (const salt of ['a', 'b', 'c']) {
          const [assignmentId, studentId] = pick(marked(), seed, salt);
          const now = s.marks.get(`${assignmentId}:${studentId}`)!.mark!;
          simulator.setMark(assignmentId, studentId, now === 5 ? 4 : now + 1);
        }
        const homework = s.assignmentTypes.find((t) => t.name === 'Домашнее задание')!.id;
        simulator.renameAssignment(pick(s.assignments.filter((a) => a.typeId === homework), seed, 'hw').id, '§ 14, выучить определения');
        const student = pick(s.students, seed, 'name');
        simulator.renameStudent(student.id, `${student.lastName}-Новикова`, student.firstName);
        // A mark for a pupil on a class work that had none for them.
        const unmarked = s.assignments.flatMap((a) => s.students.filter((st) => !s.marks.has(`${a.id}:${st.id}`) && s.classMeetings.some((m) => m.id === a.classMeetingId && m.classId === st.classId)).map((st) => [a.id, st.id] as const));
        const [assignmentId, studentId] = pick(unmarked, seed, 'new');
        simulator.setMark(assignmentId, studentId, 5);
      },
      async remove(): Promise<SourceRef[]> {
        const lesson = pick(s.classMeetings.filter((m) => s.assignments.some((a) => a.classMeetingId === m.id)), seed, 'lesson');
        const inLesson = new Set(s.assignments.filter((a) => a.classMeetingId === lesson.id).map((a) => a.id));
        const [assignmentId, studentId] = pick(marked().filter(([a]) => !inLesson.has(a)), seed, 'mark');
        simulator.setMark(assignmentId, studentId, null);
        simulator.removeClassMeeting(lesson.id);
        return [{ stream: 'marks', sourceId: `${assignmentId}:${studentId}` }, { stream: 'lessons', sourceId: String(lesson.id) }];
      },
      async malform(): Promise<SourceRef> {
        const [assignmentId, studentId] = pick(marked(), seed, 'malformed');
        simulator.setFaults({ malformed: [`${assignmentId}:${studentId}`] });
        return { stream: 'marks', sourceId: `${assignmentId}:${studentId}` };
      },
      outage(requests: number) {
        simulator.failNext(requests);
      },
      close: () => simulator.stop(),
    };
  },
};
