import { LocalServer } from '../../simulator-kit/local-server';
import { generateDataset } from './generate';
import { Dataset, FinalMark, Id, Lesson, LogEntry, Mark, Person } from './model';
import { Faults, resolveOptions, ResolvedOptions, SCHOOL_SIZES, SchoolSize, SimulatorOptions } from './options';
import { DnevnikServer, RequestLogEntry } from './server';

export type { Faults, SchoolSize, SimulatorOptions } from './options';
export type { RequestLogEntry } from './server';
export type { Dataset, EduGroup, FinalMark, Lesson, LogEntry, Mark, Person, Work } from './model';
export { SCHOOL_SIZES } from './options';
export { ABOVE_2_53 } from './model';
export { htmlErrorPage } from './server';

/** The simulator's clock starts here (lessons run from 1 September 2026). */
export const CLOCK_START = Date.parse('2026-11-28T07:00:00Z');

/**
 * Dnevnik.ru's partner REST API v2 for tests and the demo (reference §1.5): `Access-Token` header (or the
 * `access_token` query parameter), POST /v2/authorizations and /v2/authorizations/bycredentials, the
 * `{type, description}` error envelope and the HTML error page, 64-bit ids above 2^53 with their string
 * twins, zone-less local dates, marks as strings with a scale type, lesson-log entries, homework works
 * linked to tasks, archived students, side-loaded schedules and recent marks, and faults on demand.
 * It imports nothing from the hub: it is the vendor's side.
 */
export class DnevnikSimulator {
  readonly options: ResolvedOptions;
  private readonly data: Dataset;
  private readonly server: DnevnikServer;
  private readonly http: LocalServer;
  private origin = '';
  private clock = CLOCK_START;
  private markSeq: bigint;

  constructor(options: SimulatorOptions = {}) {
    this.options = resolveOptions(options);
    this.data = generateDataset(this.options);
    this.server = new DnevnikServer(this.data, this.options, () => this.clock);
    this.http = new LocalServer(this.server.handler);
    this.markSeq = this.data.marks.reduce((max, m) => (m.id > max ? m.id : max), 0n) + 1000n;
  }

  /** Listens on 127.0.0.1 only (port 0: any free port); returns the API base URL, e.g. http://127.0.0.1:40123/v2/. */
  async start(port = 0): Promise<string> {
    this.origin = await this.http.start(port);
    return this.baseUrl;
  }

  get baseUrl(): string {
    return `${this.origin}/v2/`;
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  /** Every request answered (or reset), in order. */
  get requests(): RequestLogEntry[] {
    return this.server.log;
  }

  /** The most requests the simulator answered at once since the faults were last set (with a latency fault: a client's parallelism). */
  get peakConcurrency(): number {
    return this.server.peakConcurrency;
  }

  /** Replaces the faults in force (pass {} to clear them) and restarts their seeded sequence. */
  setFaults(faults: Faults): void {
    this.server.setFaults(faults);
  }

  /** Moves the simulator's clock (token lifetimes) forward. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`the clock only moves forward, got ${ms} ms`);
    this.clock += ms;
  }

  /** Withdraws a token: calls with it fail with invalidToken from now on. */
  revokeToken(token: string): void {
    this.server.revoke(token);
  }

  /** The school's data as the vendor holds it (a live view: read it, change it through the methods below). */
  get dataset(): Readonly<Dataset> {
    return this.data;
  }

  get schoolId(): string {
    return String(this.data.school.id);
  }

  /** Students of a class (type Group), archived ones included. */
  studentsOf(groupId: Id | string): Person[] {
    const id = BigInt(groupId);
    return this.data.memberships.filter((m) => m.groupId === id).map((m) => this.data.persons.find((p) => p.id === m.personId)!);
  }

  // ---------------------------------------------------------------- what teachers and admins do

  /** A teacher corrects a mark (a new value, or a new value on another scale). */
  updateMark(id: Id | string, patch: Partial<Pick<Mark, 'value' | 'type'>>): Mark {
    const mark = this.find(this.data.marks, id, 'mark');
    Object.assign(mark, patch);
    return mark;
  }

  /** A teacher gives a mark on a lesson's everyday work; returns it. */
  addMark(lessonId: Id | string, personId: Id | string, value: string, type = 'mark5'): Mark {
    const lesson = this.find(this.data.lessons, lessonId, 'lesson');
    const work = this.data.works.find((w) => w.lessonId === lesson.id && w.type === 'DefaultNewLessonWork')!;
    const mark: Mark = { id: this.markSeq++, personId: BigInt(personId), workId: work.id, lessonId: lesson.id, type, value, workTypeId: work.workTypeId, date: `${lesson.date}T12:00:00.000` };
    this.data.marks.push(mark);
    return mark;
  }

  /** A teacher deletes a mark: it is simply gone (the vendor keeps no tombstones). */
  removeMark(id: Id | string): Mark {
    return this.drop(this.data.marks, this.find(this.data.marks, id, 'mark'));
  }

  /** A teacher changes a lesson's topic, or sets (or clears, with '') its homework. */
  updateLesson(id: Id | string, patch: { title?: string; homework?: string }): Lesson {
    const lesson = this.find(this.data.lessons, id, 'lesson');
    if (patch.title !== undefined) lesson.title = patch.title;
    if (patch.homework !== undefined) {
      const homework = this.data.works.filter((w) => w.lessonId === lesson.id && w.type === 'Homework');
      for (const w of homework) this.drop(this.data.works, w);
      if (patch.homework !== '') {
        const template = this.data.works.find((w) => w.lessonId === lesson.id)!;
        this.data.works.push({ ...template, id: this.markSeq++, type: 'Homework', workTypeId: 6, text: patch.homework, targetDate: `${lesson.date}T00:00:00` });
      }
    }
    return lesson;
  }

  /** The lesson is removed from the journal, with its works, marks and log entries. */
  removeLesson(id: Id | string): Lesson {
    const lesson = this.drop(this.data.lessons, this.find(this.data.lessons, id, 'lesson'));
    const d = this.data;
    d.works.splice(0, d.works.length, ...d.works.filter((w) => w.lessonId !== lesson.id));
    d.marks.splice(0, d.marks.length, ...d.marks.filter((m) => m.lessonId !== lesson.id));
    d.logEntries.splice(0, d.logEntries.length, ...d.logEntries.filter((e) => e.lessonId !== lesson.id));
    return lesson;
  }

  /** A student's or teacher's name is corrected. */
  updatePerson(id: Id | string, patch: Partial<Pick<Person, 'firstName' | 'lastName' | 'middleName' | 'birthday'>>): Person {
    return Object.assign(this.find(this.data.persons, id, 'person'), patch);
  }

  /** The student leaves the school: archived in every group of theirs (their marks stay). */
  archiveStudent(personId: Id | string): void {
    const id = BigInt(personId);
    const memberships = this.data.memberships.filter((m) => m.personId === id);
    if (memberships.length === 0) throw new Error(`no student ${personId}`);
    for (const m of memberships) m.status = 'Archive';
  }

  /** Sets a lesson-log entry (status Attend, Absent, Ill, Late or Pass), or removes it with null. */
  setAttendance(lessonId: Id | string, personId: Id | string, status: LogEntry['status'] | null): void {
    const lesson = this.find(this.data.lessons, lessonId, 'lesson');
    const person = BigInt(personId);
    const d = this.data;
    d.logEntries.splice(0, d.logEntries.length, ...d.logEntries.filter((e) => !(e.lessonId === lesson.id && e.personId === person)));
    if (status) d.logEntries.push({ lessonId: lesson.id, personId: person, status, comment: '', createdDate: `${lesson.date}T09:00:00` });
  }

  /** A term mark is corrected. */
  updateFinalMark(id: Id | string, value: string): FinalMark {
    return Object.assign(this.find(this.data.finalMarks, id, 'final mark'), { value });
  }

  private find<T extends { id: Id }>(list: T[], id: Id | string, what: string): T {
    // Every change of lessons and their works looks the record up here first: the server drops its index of works.
    this.server.changed();
    const key = BigInt(id);
    const found = list.find((x) => x.id === key);
    if (!found) throw new Error(`no ${what} ${id}`);
    return found;
  }

  private drop<T>(list: T[], item: T): T {
    list.splice(list.indexOf(item), 1);
    return item;
  }
}

/**
 * Starts a simulator for the demo or a manual try: `await startDnevnikSimulator({ seed: 7, size: 'full', port: 8088 })`.
 * Returns the running simulator and the adapter configuration that reads its school.
 */
export async function startDnevnikSimulator(options: SimulatorOptions & { size?: SchoolSize; port?: number } = {}) {
  const { size = 'medium', port = 0, ...rest } = options;
  const simulator = new DnevnikSimulator({ ...SCHOOL_SIZES[size], ...rest });
  const baseUrl = await simulator.start(port);
  return { simulator, config: { baseUrl, accessToken: simulator.options.accessToken, schoolId: simulator.schoolId } };
}
