import { LocalServer } from '../../simulator-kit/local-server';
import { computeFinalMarks, generateSchool, School } from './school';
import { Account, Faults, NetSchoolServer, RequestLogEntry } from './server';

export type { Faults, RequestLogEntry } from './server';
export type { Assignment, ClassMeeting, School, SchoolClass, Student } from './school';

export interface SimulatorOptions {
  /** Same seed, same school. */
  seed?: number;
  /** Classes, spread over grades 5–11 (10–11 study by half-years, the rest by quarters). */
  classes?: number;
  studentsPerClass?: number;
  /** The server's today: lessons run from 1 September 2026 up to it; terms over by then have term marks. */
  today?: string;
  /** The staff account the school gives the hub. The default password is Cyrillic on purpose (windows-1251 hashing). */
  login?: string;
  password?: string;
  /** Seconds a session lives without requests. */
  timeOutSeconds?: number;
  throttleAfterFailures?: number;
  throttleSeconds?: number;
  /** context.version, e.g. "5.29.0" (newer) or "4.70.53523" (older). */
  version?: string;
}

const DEFAULTS: Required<SimulatorOptions> = {
  seed: 1, classes: 3, studentsPerClass: 8, today: '2026-11-13',
  login: 'hub-admin', password: 'Журнал-2026', timeOutSeconds: 3600, throttleAfterFailures: 3, throttleSeconds: 60, version: '5.29.0',
};

/**
 * A NetSchool («Сетевой город. Образование») server for tests and the demo: the web API's login
 * handshake (logindata cookie, single-use lt/ver/salt, salted MD5 over windows-1251, Referer, `at`),
 * school search, the week diary per pupil, assignment types, the report queue (term and year marks,
 * attendance as HTML), session expiry, login throttling and injected faults, over one generated school.
 */
export class NetSchoolSimulator {
  readonly options: Required<SimulatorOptions>;
  /** The school as the server holds it; tests read it to know what a correct sync lands. Change it through the methods below. */
  readonly school: School;
  private readonly server: NetSchoolServer;
  private readonly http: LocalServer;

  constructor(options: SimulatorOptions = {}) {
    this.options = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
    const { seed, classes, studentsPerClass, today } = this.options;
    if (!Number.isInteger(classes) || classes < 1 || classes > 28) throw new RangeError('classes must be a whole number from 1 to 28');
    if (!Number.isInteger(studentsPerClass) || studentsPerClass < 1 || studentsPerClass > 40) throw new RangeError('studentsPerClass must be a whole number from 1 to 40');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || today < '2026-09-01' || today > '2027-08-31') throw new RangeError('today must be a date of the 2026/2027 school year');
    this.school = generateSchool(seed, { classes, studentsPerClass, today });
    const account: Account = {
      login: this.options.login, password: this.options.password, timeOutSeconds: this.options.timeOutSeconds,
      throttleAfterFailures: this.options.throttleAfterFailures, throttleSeconds: this.options.throttleSeconds,
    };
    this.server = new NetSchoolServer(this.school, account, this.options.version, seed);
    this.http = new LocalServer(this.server.handler);
  }

  /** Every request the server got, in order. */
  get requests(): RequestLogEntry[] {
    return this.server.log;
  }

  /** Listens on 127.0.0.1 (port 0: any free port) and returns the site URL, e.g. http://127.0.0.1:40123. */
  async start(port = 0): Promise<string> {
    this.server.origin = await this.http.start(port);
    return this.server.origin;
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  /** Replaces the faults in force (pass {} to clear them) and restarts their seeded sequence. */
  setFaults(faults: Faults): void {
    this.server.setFaults(faults);
  }

  /** The next `requests` requests are answered 503; then the server recovers. */
  failNext(requests: number): void {
    this.server.failNext(requests);
  }

  /** Moves the server's clock on (sessions expire after timeOut seconds idle; login throttling lifts). */
  advanceClock(seconds: number): void {
    this.server.clockOffsetMs += seconds * 1000;
  }

  /** Ends every session, as a restart of the server does: the next request gets 401. */
  endSessions(): void {
    this.server.endSessions();
  }

  /** Sets a pupil's mark on an assignment (an integer 1–5); null removes it. Term and year marks follow. */
  setMark(assignmentId: number, studentId: number, mark: number | null): void {
    this.assignment(assignmentId);
    this.student(studentId);
    const key = `${assignmentId}:${studentId}`;
    if (mark === null) this.school.marks.delete(key);
    else this.school.marks.set(key, { mark, dutyMark: false });
    computeFinalMarks(this.school);
  }

  /** Marks an assignment overdue for a pupil (a «точка»): it then has no mark. */
  setDutyMark(assignmentId: number, studentId: number): void {
    this.school.marks.set(`${assignmentId}:${studentId}`, { mark: null, dutyMark: true });
    computeFinalMarks(this.school);
  }

  /** Rewrites an assignment's text (a homework's task, a class work's title). */
  renameAssignment(assignmentId: number, name: string): void {
    this.assignment(assignmentId).name = name;
  }

  renameStudent(studentId: number, lastName: string, firstName: string): void {
    Object.assign(this.student(studentId), { lastName, firstName });
  }

  /** Sets or clears (null) a pupil's attendance code on a lesson: НП, УП, Б, ОП. */
  setAttendance(classMeetingId: number, studentId: number, code: string | null): void {
    const key = `${classMeetingId}:${studentId}`;
    if (code === null) this.school.attendance.delete(key);
    else this.school.attendance.set(key, code);
  }

  /** A lesson cancelled: gone with its assignments, their marks and its attendance. */
  removeClassMeeting(classMeetingId: number): void {
    const s = this.school;
    const index = s.classMeetings.findIndex((m) => m.id === classMeetingId);
    if (index < 0) throw new Error(`no class meeting ${classMeetingId}`);
    s.classMeetings.splice(index, 1);
    const gone = new Set(s.assignments.filter((a) => a.classMeetingId === classMeetingId).map((a) => a.id));
    s.assignments = s.assignments.filter((a) => !gone.has(a.id));
    for (const key of [...s.marks.keys()]) if (gone.has(Number(key.split(':')[0]))) s.marks.delete(key);
    for (const key of [...s.attendance.keys()]) if (key.startsWith(`${classMeetingId}:`)) s.attendance.delete(key);
    computeFinalMarks(s);
  }

  /** A pupil leaves the school: no longer listed, nor in the reports. */
  removeStudent(studentId: number): void {
    const s = this.school;
    s.students = s.students.filter((st) => st.id !== studentId);
    for (const key of [...s.marks.keys()]) if (key.endsWith(`:${studentId}`)) s.marks.delete(key);
    for (const key of [...s.attendance.keys()]) if (key.endsWith(`:${studentId}`)) s.attendance.delete(key);
    computeFinalMarks(s);
  }

  private assignment(id: number) {
    const found = this.school.assignments.find((a) => a.id === id);
    if (!found) throw new Error(`no assignment ${id}`);
    return found;
  }

  private student(id: number) {
    const found = this.school.students.find((s) => s.id === id);
    if (!found) throw new Error(`no student ${id}`);
    return found;
  }
}

/**
 * Starts a simulator for the demo or a manual try: a school of `classes` classes of `studentsPerClass`
 * pupils from `seed`, on `port` (0: any free one). Returns the simulator and the URL to configure.
 */
export async function startNetSchoolSimulator(options: SimulatorOptions & { port?: number } = {}): Promise<{ simulator: NetSchoolSimulator; url: string }> {
  const { port, ...rest } = options;
  const simulator = new NetSchoolSimulator(rest);
  const url = await simulator.start(port ?? 0);
  return { simulator, url };
}
