import { LocalServer } from '../../simulator-kit/local-server';
import { FinalMark, generateSchool, Lesson, Mark, School, SchoolOptions, Student, WORK_KINDS } from './school';
import { EljurServer, Faults, RequestLogEntry } from './server';

export type { Faults, RequestLogEntry } from './server';
export type { FinalMark, Lesson, Mark, School, Student, Teacher, SchoolClass, Account } from './school';
export { WORK_KINDS } from './school';

export interface SimulatorOptions extends Partial<SchoolOptions> {
  /** The developer key the simulator accepts (any value works; ЭлЖур's look like md5 hex). */
  devkey?: string;
  /** The account the school gives journal-hub (it sees every student). */
  hubLogin?: string;
  hubPassword?: string;
  /** "Today" for calls without `days` (the current week); the real date unless set. */
  today?: string;
}

const DEFAULTS = {
  seed: 1, grades: [5, 6, 7], classesPerGrade: 1, studentsPerClass: 8, weeks: 4, year: 2026, vendor: 'school1',
  devkey: '0123456789abcdef0123456789abcdef', hubLogin: 'journal-hub', hubPassword: 'hub-secret',
};

/**
 * An ЭлЖур API for tests and the demo: one school (vendor) with generated data, served at
 * `/api/<method>` and `/apiv3/<method>` the way ЭлЖур serves it (see server.ts), with faults on
 * demand and methods to change the data between syncs. Imports nothing from the hub or the adapter.
 */
export class EljurSimulator {
  readonly school: School;
  readonly options: typeof DEFAULTS & SimulatorOptions;
  private readonly api: EljurServer;
  private readonly server: LocalServer;
  private nextMarkId: number;

  constructor(options: SimulatorOptions = {}) {
    this.options = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
    const o = this.options;
    if (!o.grades.length || o.grades.some((g) => !Number.isInteger(g) || g < 5 || g > 11)) throw new RangeError('grades must be a non-empty list from 5 to 11');
    if (!(o.classesPerGrade >= 1 && o.classesPerGrade <= 5)) throw new RangeError('classesPerGrade must be from 1 to 5');
    if (!(o.studentsPerClass >= 1 && o.studentsPerClass <= 40)) throw new RangeError('studentsPerClass must be from 1 to 40');
    if (!(o.weeks >= 0 && o.weeks <= 40)) throw new RangeError('weeks must be from 0 to 40');
    this.school = generateSchool(o);
    this.nextMarkId = this.school.marks.length + 1;
    this.api = new EljurServer(this.school, o, o.seed, () => o.today ?? new Date().toISOString().slice(0, 10));
    this.server = new LocalServer(this.api.handler);
  }

  /** Listens on 127.0.0.1 (port 0: any free port); returns the base URL, e.g. http://127.0.0.1:40123 (the API is under /apiv3). */
  start(port = 0): Promise<string> {
    return this.server.start(port);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** Every request answered, in order. */
  get requests(): RequestLogEntry[] {
    return this.api.log;
  }

  /** The most requests the simulator was answering at one time. */
  get maxInFlight(): number {
    return this.api.maxInFlight;
  }

  /** Replaces the faults in force (pass {} to clear them) and restarts their seeded sequence. */
  setFaults(faults: Faults): void {
    this.api.setFaults(faults);
  }

  /** Ends every session, as when tokens run out: clients must sign in again. */
  expireSessions(): void {
    this.api.expireSessions();
  }

  /** A v_token for `getusersvendors` (the Госуслуги sign-in of regional hosts). */
  vTokenFor(login: string): string {
    return this.api.vTokenFor(login);
  }

  // ---------------------------------------------------------------- changes, as the school's teachers make them

  private find<T extends { id: string }>(list: T[], id: string, what: string): T {
    const found = list.find((x) => x.id === id);
    if (!found) throw new Error(`no ${what} ${id}`);
    return found;
  }

  updateMark(id: string, patch: Partial<Pick<Mark, 'value' | 'comment' | 'kind'>>): void {
    Object.assign(this.find(this.school.marks, id, 'mark'), patch);
    this.api.invalidate();
  }

  /** Adds a mark (or an absence, value «н»/«оп») after the student's others in the lesson; returns its id. */
  addMark(mark: { lessonId: string; studentId: string; value: string; kind?: keyof typeof WORK_KINDS | null; comment?: string }): string {
    this.find(this.school.lessons, mark.lessonId, 'lesson');
    this.find(this.school.students, mark.studentId, 'student');
    const id = String(this.nextMarkId++);
    this.school.marks.push({ id, lessonId: mark.lessonId, studentId: mark.studentId, value: mark.value, kind: mark.kind ? WORK_KINDS[mark.kind] : null, comment: mark.comment ?? '' });
    this.api.invalidate();
    return id;
  }

  removeMark(id: string): void {
    this.school.marks.splice(this.school.marks.indexOf(this.find(this.school.marks, id, 'mark')), 1);
    this.api.invalidate();
  }

  updateLesson(id: string, patch: Partial<Pick<Lesson, 'topic' | 'room'>> & { homework?: string | null }): void {
    const lesson = this.find(this.school.lessons, id, 'lesson');
    const { homework, ...rest } = patch;
    Object.assign(lesson, rest);
    if (homework !== undefined) lesson.homework = homework === null ? [] : [{ id: 90_000 + Number(lesson.id) % 10_000, value: homework, individual: false }];
    this.api.invalidate();
  }

  /** Removes a lesson from the timetable, with its marks. */
  removeLesson(id: string): void {
    const lesson = this.find(this.school.lessons, id, 'lesson');
    this.school.lessons.splice(this.school.lessons.indexOf(lesson), 1);
    this.school.marks = this.school.marks.filter((m) => m.lessonId !== id);
    this.api.invalidate();
  }

  updateStudent(id: string, patch: Partial<Pick<Student, 'lastName' | 'firstName' | 'middleName'>>): void {
    Object.assign(this.find(this.school.students, id, 'student'), patch);
  }

  /** The student leaves the school: no account sees them any more. */
  removeStudent(id: string): void {
    this.school.students.splice(this.school.students.indexOf(this.find(this.school.students, id, 'student')), 1);
    this.school.marks = this.school.marks.filter((m) => m.studentId !== id);
    this.school.finals = this.school.finals.filter((f) => f.studentId !== id);
    this.api.invalidate();
  }

  setFinalMark(final: FinalMark): void {
    const existing = this.school.finals.find((f) => f.studentId === final.studentId && f.subject === final.subject && f.period === final.period);
    if (existing) existing.value = final.value;
    else this.school.finals.push({ ...final });
  }
}

/**
 * Starts a simulator for the demo or by hand: `startEljurSimulator({ seed: 7, grades: [5, 6, 7, 8, 9, 10, 11],
 * classesPerGrade: 2, studentsPerClass: 25, weeks: 8 })` → its URL and the adapter configuration that reads it.
 */
export async function startEljurSimulator(options: SimulatorOptions & { port?: number } = {}) {
  const { port, ...rest } = options;
  const simulator = new EljurSimulator(rest);
  const url = await simulator.start(port);
  const o = simulator.options;
  return {
    simulator,
    url,
    config: { baseUrl: `${url}/apiv3`, devkey: o.devkey, vendor: o.vendor, login: o.hubLogin, password: o.hubPassword, requestsPerSecond: 50, parallelism: 4 },
  };
}
