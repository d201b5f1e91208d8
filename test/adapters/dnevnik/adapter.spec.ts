import { AdapterContext, AdapterMessage, createHttpClient } from '../../../adapters/contract';
import { dnevnikAdapter } from '../../../adapters/dnevnik';
import { DnevnikSimulator, SCHOOL_SIZES } from '../../../adapters/dnevnik/simulator';
import { SyncEngine } from '../../../src/sync/engine';
import { Fixture } from '../../factories/fixture';
import { useTestDatabase } from '../../setup/database';
import { subject } from './source';

/** Rows are whatever the queries return. */
type Row = any;

/** What a correct sync of the simulator's current data lands, table by table, counted from the vendor's side. */
function expectedFrom(simulator: DnevnikSimulator) {
  const d = simulator.dataset;
  const classes = new Set(d.groups.filter((g) => g.type === 'Group').map((g) => g.id));
  const subgroups = new Set(d.groups.filter((g) => g.type === 'Subgroup').map((g) => g.id));
  return {
    academic_year: 1,
    term: d.periods.length,
    staff: d.teachers.length,
    student: new Set(d.memberships.filter((m) => classes.has(m.groupId)).map((m) => m.personId)).size,
    class_group: classes.size,
    course: d.groups.reduce((n, g) => n + g.subjectIds.length, 0),
    course_teacher: new Set(d.lessons.map((l) => `${l.groupId}:${l.subjectId}:${l.teacherId}`)).size,
    course_student: d.memberships.filter((m) => subgroups.has(m.groupId) && m.status === 'Active').length,
    enrollment: d.memberships.filter((m) => classes.has(m.groupId) && m.status === 'Active').length,
    lesson: d.lessons.length,
    mark: d.marks.length,
    attendance: d.logEntries.filter((e) => e.status !== 'Attend').length,
    final_mark: d.finalMarks.length,
  };
}

const TABLES = Object.keys(expectedFrom(new DnevnikSimulator({ ...SCHOOL_SIZES.small, weeks: 0 })));

/** The columns that say what a row holds, for comparing two schools synced from one source. */
const CONTENT: Record<string, string> = {
  academic_year: 'label, starts_on::text, ends_on::text',
  term: 'kind, number, name, starts_on::text, ends_on::text',
  staff: 'last_name, first_name, middle_name',
  student: 'last_name, first_name, middle_name, birth_date::text',
  class_group: 'name, term_kind',
  course: 'source_subject_name, subgroup',
  course_teacher: 'source_id AS same',
  course_student: 'source_id AS same',
  enrollment: 'starts_on::text, ends_on::text',
  lesson: 'date::text, number, topic, homework',
  mark: 'scale, value, source_value, numeric_value, work_kind, weight, entered_at',
  attendance: 'status, comment',
  final_mark: 'kind, scale, value, source_value',
};

describe('Dnevnik.ru adapter, through the sync engine', () => {
  const db = useTestDatabase();
  const simulator = new DnevnikSimulator(SCHOOL_SIZES.small);
  let config: Record<string, string | number>;
  let ctx: AdapterContext;
  /** The school synced first, from the simulator's untouched data. */
  let reference: string;

  const q = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params);
  const count = async (table: string, schoolId: string) => Number((await q(`SELECT count(*) AS n FROM ${table} WHERE school_id = $1`, [schoolId]))[0].n);
  const counts = async (schoolId: string) => Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, await count(t, schoolId)])));
  const snapshot = async (schoolId: string) => {
    const out: Record<string, unknown[]> = {};
    for (const t of TABLES) out[t] = await q(`SELECT source_id, ${CONTENT[t]} FROM ${t} WHERE school_id = $1 ORDER BY source_id`, [schoolId]);
    return out;
  };
  const newSchool = () => new Fixture(db.dataSource).school({ systemOfRecord: 'dnevnik' });
  const sync = (schoolId: string, cfg: Record<string, string | number> = config) => new SyncEngine(db.dataSource).run(schoolId, dnevnikAdapter, cfg);
  const quarantined = (schoolId: string) => q(`SELECT stream, source_id, field, reason FROM sync_quarantine WHERE school_id = $1 ORDER BY stream, source_id`, [schoolId]);
  const savedState = async (schoolId: string) => (await q(`SELECT state FROM sync_state WHERE school_id = $1`, [schoolId]))[0]?.state;
  const messages = async (cfg = config, state: Record<string, unknown> | null = null) => {
    const out: AdapterMessage[] = [];
    for await (const m of dnevnikAdapter.read(cfg, state, ctx)) out.push(m);
    return out;
  };

  beforeAll(async () => {
    const baseUrl = await simulator.start();
    config = { baseUrl, accessToken: simulator.options.accessToken, schoolId: simulator.schoolId, requestsPerSecond: 100, parallelism: 4 };
    ctx = { http: createHttpClient({ attempts: 4, baseDelayMs: 20, maxDelayMs: 200, timeoutMs: 5000 }), signal: new AbortController().signal, log: () => {} };
  });
  afterAll(() => simulator.stop());
  afterEach(() => simulator.setFaults({}));

  it('lands a whole school on a first read: classes, subgroups, students, lessons with homework, marks, attendance, quarter marks', async () => {
    reference = await newSchool();
    const result = await sync(reference);
    expect(result).toMatchObject({ status: 'succeeded' });
    expect(await counts(reference)).toEqual(expectedFrom(simulator));
    expect(await quarantined(reference)).toEqual([]);
    const d = simulator.dataset;

    // The year and its quarters; «5А» and «6А» with quarters; English in two subgroups of each class.
    expect(await q(`SELECT label, starts_on::text FROM academic_year WHERE school_id = $1`, [reference])).toEqual([{ label: '2026/2027', starts_on: '2026-09-01' }]);
    expect((await q(`SELECT kind, number, starts_on::text FROM term WHERE school_id = $1 ORDER BY number`, [reference])).map((t: Row) => `${t.kind}${t.number} ${t.starts_on}`))
      .toEqual(['quarter1 2026-09-01', 'quarter2 2026-11-05', 'quarter3 2027-01-09', 'quarter4 2027-03-31']);
    expect(await q(`SELECT name, term_kind FROM class_group WHERE school_id = $1 ORDER BY name`, [reference])).toEqual([{ name: '5А', term_kind: 'quarter' }, { name: '6А', term_kind: 'quarter' }]);
    expect(await q(`SELECT count(*)::int AS n FROM course WHERE school_id = $1 AND subgroup <> ''`, [reference])).toEqual([{ n: 4 }]);

    // Vendor subject names kept on the course and mapped onto the municipality's list by the hub's aliases.
    const subjects = await q(`SELECT DISTINCT s.code, c.source_subject_name FROM course c JOIN subject s ON s.id = c.subject_id WHERE c.school_id = $1 ORDER BY 1`, [reference]);
    expect(subjects).toEqual(expect.arrayContaining([
      { code: 'physical_education', source_subject_name: 'Физкультура' },
      { code: 'technology', source_subject_name: 'Технология' },
      { code: 'art', source_subject_name: 'ИЗО' },
      { code: 'mathematics', source_subject_name: 'Математика' },
    ]));

    // Ids above 2^53 stay exact: neighbouring students are two rows, under their own ids.
    const [first, second] = d.persons.filter((p) => d.memberships.some((m) => m.personId === p.id));
    expect(second.id - first.id).toBe(1n);
    expect(first.id > 2n ** 53n).toBe(true);
    expect(await q(`SELECT source_id, last_name FROM student WHERE school_id = $1 AND source_id = ANY($2) ORDER BY source_id`, [reference, [String(first.id), String(second.id)]]))
      .toEqual([{ source_id: String(first.id), last_name: first.lastName }, { source_id: String(second.id), last_name: second.lastName }]);

    // A five-point mark keeps the vendor's value; зачёт is pass/fail with the vendor's spelling kept beside the hub's.
    const five = d.marks.find((m) => m.type === 'mark5' && m.workTypeId === 3)!;
    const [fiveRow] = await q(`SELECT scale, value, source_value, work_kind, weight::float AS weight, entered_at FROM mark WHERE school_id = $1 AND source_id = $2`, [reference, String(five.id)]);
    expect(fiveRow).toMatchObject({ scale: 'five_point', value: five.value, source_value: five.value, work_kind: 'control_work', weight: 2 });
    // Local time in Kogalym (UTC+5), milliseconds or not.
    expect(fiveRow.entered_at.toISOString()).toBe(new Date(`${five.date.slice(0, 19)}+05:00`).toISOString());
    const passed = d.marks.find((m) => m.type === 'test' && m.value === 'зачет')!;
    expect(await q(`SELECT scale, value, source_value, numeric_value, work_kind FROM mark WHERE school_id = $1 AND source_id = $2`, [reference, String(passed.id)]))
      .toEqual([{ scale: 'pass_fail', value: 'зач', source_value: 'зачет', numeric_value: null, work_kind: 'credit' }]);

    // Attendance from lesson-log entries: «Attend» is no record; «Pass» is an excused absence.
    const statuses = await q(`SELECT status, count(*)::int AS n FROM attendance WHERE school_id = $1 GROUP BY 1 ORDER BY 1`, [reference]);
    const vendor = (s: string) => d.logEntries.filter((e) => e.status === s).length;
    expect(statuses).toEqual([
      { status: 'absent', n: vendor('Absent') }, { status: 'excused', n: vendor('Pass') }, { status: 'ill', n: vendor('Ill') }, { status: 'late', n: vendor('Late') },
    ].filter((s) => s.n > 0));

    // Homework is the text of the lesson's work of type Homework.
    const homework = d.works.find((w) => w.type === 'Homework')!;
    expect(await q(`SELECT homework FROM lesson WHERE school_id = $1 AND source_id = $2`, [reference, String(homework.lessonId)])).toEqual([{ homework: homework.text }]);

    // The archived student is kept with their marks, without an enrollment in the class.
    const leaver = d.memberships.find((m) => m.status === 'Archive')!;
    expect(await count('student', reference)).toBeGreaterThan(await count('enrollment', reference));
    expect(await q(`SELECT count(*)::int AS n FROM enrollment e JOIN student s ON s.school_id = e.school_id AND s.id = e.student_id WHERE e.school_id = $1 AND s.source_id = $2`, [reference, String(leaver.personId)]))
      .toEqual([{ n: 0 }]);
    expect(Number((await q(`SELECT count(*) AS n FROM mark m JOIN student s ON s.school_id = m.school_id AND s.id = m.student_id WHERE m.school_id = $1 AND s.source_id = $2`, [reference, String(leaver.personId)]))[0].n))
      .toBe(d.marks.filter((m) => m.personId === leaver.personId).length);

    // Quarter marks of the first quarter; English ones in the student's subgroup.
    expect(await q(`SELECT DISTINCT kind FROM final_mark WHERE school_id = $1`, [reference])).toEqual([{ kind: 'term' }]);
    const english = await q(`SELECT count(*)::int AS n FROM final_mark f JOIN course c ON c.school_id = f.school_id AND c.id = f.course_id WHERE f.school_id = $1 AND c.subgroup <> ''`, [reference]);
    expect(english[0].n).toBeGreaterThan(0);

    // A finished run leaves no resume point (an empty state is no state): the next run reads the school whole.
    expect(await savedState(reference)).toBeUndefined();
  });

  it('changes nothing when run again on an unchanged school', async () => {
    const again = await sync(reference);
    expect(again.status).toBe('succeeded');
    for (const [stream, c] of Object.entries(again.counts)) expect([stream, c.inserted, c.updated, c.quarantined]).toEqual([stream, 0, 0, 0]);
  });

  it('completes with the same data when the vendor fails a fifth of requests, throttles, and answers with its HTML error page', async () => {
    simulator.setFaults({ failureRate: 0.2, throttleEvery: 80, htmlErrors: true });
    const before = simulator.requests.length;
    const schoolId = await newSchool();
    const result = await sync(schoolId);
    expect(result.status).toBe('succeeded');
    const statuses = simulator.requests.slice(before).map((r) => r.status);
    expect(statuses).toContain(500);
    expect(statuses).toContain(429);
    expect(await snapshot(schoolId)).toEqual(await snapshot(reference));
  }, 60_000);

  it('fails with a config error when the session expires mid-walk, and resumes from its last week once the token works again', async () => {
    const schoolId = await newSchool();
    const full = simulator.requests.length;
    await sync(schoolId);
    const requestsOfFullRun = simulator.requests.length - full;
    const fresh = await newSchool();

    simulator.setFaults({ expireTokensAfter: Math.floor(requestsOfFullRun * 0.6) });
    const failed = await sync(fresh);
    expect(failed).toMatchObject({ status: 'failed', error: { kind: 'config', message: expect.stringContaining('refused the access token (invalidToken') } });
    const resumeFrom = (await savedState(fresh)).resumeFrom;
    expect(resumeFrom).toMatch(/^2026-\d{2}-\d{2}$/);
    expect(await count('lesson', fresh)).toBeGreaterThan(0);

    simulator.setFaults({});
    const before = simulator.requests.length;
    const resumed = await sync(fresh);
    expect(resumed.status).toBe('succeeded');
    const requests = simulator.requests.slice(before);
    // Not started over: the weeks before the resume point (less one, read again for late marks) are not asked for.
    expect(requests.length).toBeLessThan(requestsOfFullRun * 0.75);
    const earliest = requests.map((r) => /\/lessons\/(\d{4}-\d{2}-\d{2})\//.exec(r.path)?.[1]).filter(Boolean).sort()[0];
    expect(earliest).toBe(new Date(Date.parse(resumeFrom) - 7 * 86_400_000).toISOString().slice(0, 10));
    expect(await snapshot(fresh)).toEqual(await snapshot(reference));
  }, 60_000);

  it('quarantines a malformed mark, lesson, student and log entry with the reason while the rest lands', async () => {
    const d = simulator.dataset;
    const markId = String(d.marks.find((m) => m.type === 'mark5')!.id);
    const lesson = d.lessons.find((l) => !d.marks.some((m) => m.lessonId === l.id) && !d.logEntries.some((e) => e.lessonId === l.id))!;
    const student = d.memberships.find((m) => m.status === 'Active')!.personId;
    const entry = d.logEntries.find((e) => e.status === 'Absent' && e.personId !== student)!;
    simulator.setFaults({ malformed: [markId, String(lesson.id), String(student), `${entry.lessonId}:${entry.personId}`] });
    const schoolId = await newSchool();
    expect((await sync(schoolId)).status).toBe('succeeded');
    const problems = await quarantined(schoolId);
    expect(problems).toEqual(expect.arrayContaining([
      { stream: 'marks', source_id: markId, field: 'value', reason: expect.stringContaining('"55" is not on the five_point scale') },
      { stream: 'lessons', source_id: String(lesson.id), field: 'date', reason: 'is not a date YYYY-MM-DD' },
      { stream: 'students', source_id: String(student), field: 'lastName', reason: 'is empty' },
      { stream: 'attendance', source_id: `${entry.lessonId}:${entry.personId}`, field: 'status', reason: expect.stringContaining('must be one of') },
    ]));
    // Everything else that did not land refers to the student that could not.
    const rest = problems.filter((p: Row) => ![markId, String(lesson.id), String(student), `${entry.lessonId}:${entry.personId}`].includes(p.source_id));
    expect(rest.every((p: Row) => p.reason === `refers to an unknown student "${student}"`)).toBe(true);
    expect(await count('lesson', schoolId)).toBe(expectedFrom(simulator).lesson - 1);
  });

  it('says which streams it read whole: all of them on a full read, not the walked ones on a resumed read', async () => {
    const complete = (ms: AdapterMessage[]) => ms.filter((m) => m.type === 'complete').map((m) => (m as { stream: string }).stream).sort();
    expect(complete(await messages())).toEqual([...dnevnikAdapter.manifest.capabilities.streams].sort());
    const resumed = await messages(config, { resumeFrom: '2026-09-21' });
    expect(complete(resumed)).toEqual(['academicYears', 'classGroups', 'courseStudents', 'enrollments', 'finalMarks', 'staff', 'students', 'terms']);
    // Checkpoints after each week carry the next week to resume from; the last one clears it.
    const states = resumed.filter((m) => m.type === 'checkpoint').map((m) => (m as { state: { resumeFrom?: string } }).state.resumeFrom);
    expect(states.slice(0, 3)).toEqual(['2026-09-21', '2026-09-21', '2026-09-28']);
    expect(states.at(-1)).toBeUndefined();
    const progress = resumed.filter((m) => m.type === 'progress').map((m) => (m as { message: string }).message);
    expect(progress).toEqual(expect.arrayContaining([expect.stringMatching(/^resuming at the week of 2026-09-21/), expect.stringMatching(/^week 4\/\d+ \(2026-09-21\) read: \d+ lessons/)]));
  });

  it('keeps to the configured request rate and parallelism', async () => {
    simulator.setFaults({ latencyMs: 30 });
    const before = simulator.requests.length;
    const started = Date.now();
    await messages({ ...config, requestsPerSecond: 40, parallelism: 2 });
    const requests = simulator.requests.slice(before);
    const seconds = (Date.now() - started) / 1000;
    expect(requests.length / seconds).toBeLessThanOrEqual(41);
    for (const r of requests) expect(requests.filter((o) => o.at >= r.at && o.at < r.at + 1000).length).toBeLessThanOrEqual(41);
    expect(simulator.peakConcurrency).toBe(2);
    expect(requests.every((r) => r.auth === 'header')).toBe(true);
  }, 60_000);

  it('ends the run with a config error in plain words when the token is refused or the school is unknown', async () => {
    const schoolId = await newSchool();
    const run = await sync(schoolId, { ...config, accessToken: 'wrong' });
    expect(run).toMatchObject({ status: 'failed', error: { kind: 'config', message: expect.stringContaining('Dnevnik.ru refused the access token') } });
    const unknown = await sync(schoolId, { ...config, schoolId: '1000009999999' });
    expect(unknown).toMatchObject({ status: 'failed', error: { kind: 'config', message: expect.stringContaining('no school with id 1000009999999') } });
  });

  it('checks the connection and says what is wrong', async () => {
    expect(await dnevnikAdapter.check(config, ctx)).toEqual({ ok: true, problems: [] });
    expect(await dnevnikAdapter.check({ ...config, accessToken: 'guess' }, ctx)).toEqual({ ok: false, problems: [expect.stringContaining('refused the access token')] });
    expect((await dnevnikAdapter.check({ ...config, schoolId: '42' }, ctx)).problems).toEqual([expect.stringContaining('no school with id 42')]);
    const empty = await dnevnikAdapter.check({ baseUrl: 'not a url', schoolId: '5А', parallelism: 0 }, ctx);
    expect(empty.ok).toBe(false);
    expect(empty.problems.join(' ')).toMatch(/baseUrl.*accessToken.*schoolId.*parallelism/);
  });

  it('discovers the token’s schools', async () => {
    const { schoolId: _, ...withoutSchool } = config;
    expect(await dnevnikAdapter.discoverSchools(withoutSchool, ctx)).toEqual([{ sourceId: simulator.schoolId, name: 'МАОУ СОШ №1' }]);
  });

  it('declares its configuration and streams', () => {
    const { manifest } = dnevnikAdapter;
    expect(manifest.id).toBe('dnevnik');
    expect(manifest.config.find((f) => f.name === 'accessToken')).toMatchObject({ secret: true, required: true });
    expect(manifest.config.find((f) => f.name === 'requestsPerSecond')).toMatchObject({ required: false, default: 5 });
    expect(manifest.config.find((f) => f.name === 'parallelism')).toMatchObject({ required: false, default: 3 });
  });
});

describe('Dnevnik.ru contract source', () => {
  const db = useTestDatabase();
  const sync = (schoolId: string, config: Record<string, unknown>) => new SyncEngine(db.dataSource).run(schoolId, dnevnikAdapter, config as never);
  const rows = async (schoolId: string, table: string, columns: string) => db.dataSource.query(`SELECT source_id, ${columns} FROM ${table} WHERE school_id = $1 ORDER BY source_id`, [schoolId]);

  it('an incremental sync of the changed school holds what a full sync of it holds', async () => {
    const source = await subject.open(3);
    try {
      const fixture = new Fixture(db.dataSource);
      const synced = await fixture.school({ systemOfRecord: 'dnevnik' });
      expect((await sync(synced, source.config)).status).toBe('succeeded');
      await source.change();
      const malformed = await source.malform();
      source.outage(3);
      expect((await sync(synced, source.config)).status).toBe('succeeded');
      const fresh = await fixture.school({ systemOfRecord: 'dnevnik' });
      expect((await sync(fresh, source.config)).status).toBe('succeeded');
      // The malformed mark is quarantined in both runs: the incremental one keeps its last good copy, the full one has none.
      const good = (list: Row[]) => list.filter((r) => r.source_id !== malformed.sourceId);
      for (const [table, columns] of [['mark', 'value, source_value'], ['lesson', 'topic, homework'], ['student', 'last_name']]) {
        expect([table, good(await rows(synced, table, columns))]).toEqual([table, good(await rows(fresh, table, columns))]);
      }
      const quarantined = await db.dataSource.query(`SELECT stream, source_id FROM sync_quarantine WHERE school_id = $1`, [fresh]);
      expect(quarantined).toEqual([{ stream: malformed.stream, source_id: malformed.sourceId }]);
      const wrong = await sync(await fixture.school({ systemOfRecord: 'dnevnik' }), source.wrongCredentials!);
      expect(wrong.error?.kind).toBe('config');
    } finally {
      await source.close();
    }
  }, 60_000);
});
