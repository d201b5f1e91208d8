import { Adapter, AdapterError, AdapterMessage, createHttpClient } from '../../../adapters/contract';
import { eljurAdapter } from '../../../adapters/eljur';
import { EljurSimulator } from '../../../adapters/eljur/simulator';
import { SyncEngine } from '../../../src/sync/engine';
import { Fixture } from '../../factories/fixture';
import { useTestDatabase } from '../../setup/database';
import { configFor, lessonRef, markRef } from './source';

const TABLES = ['academic_year', 'term', 'staff', 'student', 'class_group', 'course', 'course_teacher', 'course_student', 'enrollment', 'lesson', 'mark', 'attendance', 'final_mark'];

const CONTENT: Record<string, string> = {
  academic_year: 'label, starts_on::text', term: 'kind, number, name, starts_on::text', staff: 'last_name, first_name, middle_name',
  student: 'last_name, first_name, middle_name', class_group: 'grade_level, letter, term_kind', course: 'source_subject_name, subgroup',
  course_teacher: 'source_id AS same', course_student: 'source_id AS same', enrollment: 'starts_on::text', lesson: 'date::text, number, topic, homework',
  mark: 'value, source_value, numeric_value, work_kind, weight, comment', attendance: 'status', final_mark: 'kind, value, numeric_value',
};

describe('ЭлЖур adapter, through the sync engine', () => {
  const db = useTestDatabase();
  const simulator = new EljurSimulator({ seed: 11 });
  let base: string;
  let config: Record<string, string | number>;
  let reference: string;

  const q = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params);
  const counts = async (schoolId: string) => Object.fromEntries(await Promise.all(
    TABLES.map(async (t) => [t, Number((await q(`SELECT count(*) AS n FROM ${t} WHERE school_id = $1`, [schoolId]))[0].n)])));
  const snapshot = async (schoolId: string) => {
    const out: Record<string, unknown[]> = {};
    for (const t of TABLES) out[t] = await q(`SELECT source_id, ${CONTENT[t]} FROM ${t} WHERE school_id = $1 ORDER BY source_id`, [schoolId]);
    return out;
  };
  const newSchool = () => new Fixture(db.dataSource).school({ systemOfRecord: 'eljur' });
  const sync = (schoolId: string, cfg = config, adapter: Adapter = eljurAdapter) => new SyncEngine(db.dataSource, { batchSize: 200 }).run(schoolId, adapter, cfg);
  const quarantined = (schoolId: string) => q(`SELECT stream, source_id, field, reason FROM sync_quarantine WHERE school_id = $1 AND resolved_at IS NULL ORDER BY stream, source_id`, [schoolId]);
  const diaryCalls = () => simulator.requests.filter((r) => r.call === 'getdiary').length;

  /** What a correct sync of the simulator's school lands, from the vendor's side. */
  const expected = () => {
    const s = simulator.school;
    const absences = s.marks.filter((m) => m.value === 'н' || m.value === 'оп');
    const courses = new Set(s.lessons.map((l) => `${l.className}:${l.subject}:${l.grp}`));
    return {
      academic_year: 1, term: 4, student: s.students.length, class_group: s.classes.length, enrollment: s.students.length,
      course: courses.size, lesson: s.lessons.length, mark: s.marks.length - absences.length, attendance: absences.length, final_mark: s.finals.length,
    };
  };

  beforeAll(async () => {
    base = await simulator.start();
    config = configFor(simulator, base);
  });
  afterAll(() => simulator.stop());
  afterEach(() => simulator.setFaults({}));

  it('lands a whole school: terms by period name, classes, subjects on the municipality list, marks with their vendor values, absences as attendance', async () => {
    reference = await newSchool();
    const result = await sync(reference);
    expect(result).toMatchObject({ status: 'succeeded' });
    expect(await quarantined(reference)).toEqual([]);
    expect(await counts(reference)).toMatchObject(expected());

    expect(await q(`SELECT kind, number, name FROM term WHERE school_id = $1 ORDER BY number`, [reference])).toEqual(
      ['I', 'II', 'III', 'IV'].map((n, i) => ({ kind: 'quarter', number: i + 1, name: `${n} четверть` })));
    const groups = await q(`SELECT name, homeroom_teacher_id IS NOT NULL AS has_teacher FROM class_group WHERE school_id = $1 ORDER BY name`, [reference]);
    expect(groups).toEqual(['5А', '6А', '7А'].map((name) => ({ name, has_teacher: true })));
    // Vendor names kept in the course's origin and mapped onto the list: «Физкультура» is «Физическая культура».
    const pe = await q(`SELECT c.source_id, s.code FROM course c JOIN subject s ON s.id = c.subject_id WHERE c.school_id = $1 AND c.source_id = '5А:Физкультура:'`, [reference]);
    expect(pe).toEqual([{ source_id: '5А:Физкультура:', code: 'physical_education' }]);
    const english = await q(`SELECT subgroup FROM course WHERE school_id = $1 AND source_id LIKE '5А:Английский язык:%' ORDER BY subgroup`, [reference]);
    expect(english).toEqual([{ subgroup: 'Группа 1' }, { subgroup: 'Группа 2' }]);

    // A weighted mark: weight_float (1.5), not the rounded weight (2); the kind of work from control_type.
    const weighted = simulator.school.marks.find((m) => m.kind?.short === 'СР')!;
    expect(await q(`SELECT value, weight::float, work_kind FROM mark WHERE school_id = $1 AND source_id = $2`, [reference, markRef(simulator, weighted)]))
      .toEqual([{ value: weighted.value, weight: 1.5, work_kind: 'independent_work' }]);
    const minus = simulator.school.marks.find((m) => /^[2-5]-$/.test(m.value))!;
    expect(await q(`SELECT value, source_value, numeric_value::float FROM mark WHERE school_id = $1 AND source_id = $2`, [reference, markRef(simulator, minus)]))
      .toEqual([{ value: minus.value, source_value: minus.value, numeric_value: Number(minus.value[0]) - 0.25 }]);
    const pass = await q(`SELECT DISTINCT scale, value FROM mark WHERE school_id = $1 AND value IN ('зач', 'незач') ORDER BY value`, [reference]);
    expect(pass.map((m: { scale: string }) => m.scale)).toEqual(pass.map(() => 'pass_fail'));

    // «н» and «оп» among the marks are attendance, not marks.
    const absence = simulator.school.marks.find((m) => m.value === 'оп')!;
    const lesson = simulator.school.lessons.find((l) => l.id === absence.lessonId)!;
    expect(await q(`SELECT status FROM attendance WHERE school_id = $1 AND source_id = $2`, [reference, `${absence.studentId}:${lessonRef(lesson)}`])).toEqual([{ status: 'late' }]);
    expect(Number((await q(`SELECT count(*) AS n FROM mark WHERE school_id = $1 AND value IN ('н', 'оп')`, [reference]))[0].n)).toBe(0);

    // Term marks keyed by period name land on the term of that name.
    const final = simulator.school.finals[0];
    const [landed] = await q(
      `SELECT f.value, t.name FROM final_mark f JOIN term t ON t.school_id = f.school_id AND t.id = f.term_id JOIN student s ON s.school_id = f.school_id AND s.id = f.student_id
        WHERE f.school_id = $1 AND s.source_id = $2 AND f.source_id LIKE '%:' || $3 || '::%' ORDER BY f.source_id LIMIT 1`,
      [reference, final.studentId, final.subject]);
    expect(landed).toEqual({ value: final.value, name: final.period });
  });

  it('changes nothing when run again on an unchanged school', async () => {
    const before = await snapshot(reference);
    const result = await sync(reference);
    expect(result.status).toBe('succeeded');
    for (const c of Object.values(result.counts)) expect(c).toMatchObject({ inserted: 0, updated: 0, quarantined: 0 });
    expect(await snapshot(reference)).toEqual(before);
  });

  it('keeps within the request rate and the parallelism limit while walking the students', async () => {
    const small = new EljurSimulator({ seed: 5, grades: [6], studentsPerClass: 3, weeks: 1 });
    const url = await small.start();
    try {
      small.setFaults({ latencyMs: 60 });
      const ctx = { http: createHttpClient(), signal: new AbortController().signal, log: () => {} };
      const started = Date.now();
      const messages: AdapterMessage[] = [];
      for await (const m of eljurAdapter.read(configFor(small, url, { requestsPerSecond: 40, parallelism: 3 }), null, ctx)) messages.push(m);
      const elapsed = Date.now() - started;
      const requests = small.requests.length;
      expect(elapsed).toBeGreaterThanOrEqual((requests - 1) * 25 * 0.9);
      expect(small.maxInFlight).toBeLessThanOrEqual(3);
      expect(small.maxInFlight).toBeGreaterThanOrEqual(2);
      const progress = messages.filter((m) => m.type === 'progress').map((m) => (m as { message: string }).message);
      expect(progress.at(-1)).toMatch(/weeks read: (\d+) of \1 \(100%\)/);
    } finally {
      await small.stop();
    }
  });

  it('resumes an interrupted walk from its checkpoint, without starting over or losing anything', async () => {
    const school = await newSchool();
    let checkpoints = 0;
    const crashing: Adapter = {
      ...eljurAdapter,
      async *read(cfg, state, ctx) {
        for await (const m of eljurAdapter.read(cfg, state, ctx)) {
          yield m;
          if (m.type === 'checkpoint' && ++checkpoints === 30) throw new AdapterError('transient', 'the connection to ЭлЖур was lost');
        }
      },
    };
    const failed = await sync(school, config, crashing);
    expect(failed).toMatchObject({ status: 'failed', error: { kind: 'transient' } });
    const [{ state }] = await q(`SELECT state FROM sync_state WHERE school_id = $1`, [school]);
    expect(Object.keys(state.walk.done).length).toBeGreaterThan(0);

    const calls = diaryCalls();
    expect(await sync(school)).toMatchObject({ status: 'succeeded' });
    const fullRead = simulator.requests.filter((r) => r.call === 'getdiary').length - calls;
    const weeksPerStudent = Math.ceil((Date.parse(new Date().toISOString().slice(0, 10)) - Date.parse('2026-08-31')) / (7 * 86_400_000));
    expect(fullRead).toBeLessThan(simulator.school.students.length * weeksPerStudent - 50);
    expect(await snapshot(school)).toEqual(await snapshot(reference));
    expect((await q(`SELECT state FROM sync_state WHERE school_id = $1`, [school]))[0].state.walk).toBeUndefined();
  });

  it('reads errors inside HTTP 200 answers too: retries state 500, signs in again when the session expires', async () => {
    simulator.setFaults({ errorsAsHttp200: true, failureRate: 0.1, expireTokensAfter: 120 });
    const signIns = simulator.requests.filter((r) => r.call === 'auth').length;
    const before = await snapshot(reference);
    expect(await sync(reference)).toMatchObject({ status: 'succeeded' });
    expect(simulator.requests.filter((r) => r.call === 'auth').length - signIns).toBeGreaterThan(1);
    expect(simulator.requests.some((r) => r.httpStatus === 200 && r.state === 500)).toBe(true);
    expect(await snapshot(reference)).toEqual(before);
  });

  it('rides out throttling (429 with Retry-After) and a short outage', async () => {
    simulator.setFaults({ throttleEvery: 200, failNext: 2 });
    const result = await sync(reference);
    expect(result.status).toBe('succeeded');
    expect(simulator.requests.some((r) => r.httpStatus === 429)).toBe(true);
  });

  it('quarantines a malformed mark and a student without a name while the rest lands', async () => {
    const mark = simulator.school.marks.find((m) => /^[1-5]$/.test(m.value))!;
    const student = simulator.school.students[2];
    simulator.setFaults({ malformed: [mark.id, student.id] });
    const school = await newSchool();
    expect(await sync(school)).toMatchObject({ status: 'succeeded' });
    const problems = await quarantined(school);
    expect(problems).toContainEqual(expect.objectContaining({ stream: 'marks', source_id: markRef(simulator, mark), field: 'value', reason: expect.stringContaining('"5++" is not on the five_point scale') }));
    expect(problems).toContainEqual(expect.objectContaining({ stream: 'students', source_id: student.id, field: 'lastName' }));
    expect((await counts(school)).lesson).toBe(expected().lesson);
  });

  it('picks up changed marks, topics and names, and a new mark, on the next run', async () => {
    const mark = simulator.school.marks.find((m) => m.value === '3')!;
    simulator.updateMark(mark.id, { value: '4+' });
    const lesson = simulator.school.lessons[5];
    simulator.updateLesson(lesson.id, { topic: 'Обыкновенные дроби', homework: '№ 101' });
    simulator.updateStudent(simulator.school.students[0].id, { lastName: 'Гарипова' });
    const student = simulator.school.students.find((s) => s.className === lesson.className && (!lesson.grp || lesson.grp === `Группа ${s.englishGroup}`))!;
    const added = simulator.addMark({ lessonId: lesson.id, studentId: student.id, value: '5', kind: 'control' });
    expect(await sync(reference)).toMatchObject({ status: 'succeeded' });
    expect(await q(`SELECT value, numeric_value::float FROM mark WHERE school_id = $1 AND source_id = $2`, [reference, markRef(simulator, mark)])).toEqual([{ value: '4+', numeric_value: 4.25 }]);
    expect(await q(`SELECT topic, homework FROM lesson WHERE school_id = $1 AND source_id = $2`, [reference, lessonRef(lesson)])).toEqual([{ topic: 'Обыкновенные дроби', homework: '№ 101' }]);
    expect(await q(`SELECT last_name FROM student WHERE school_id = $1 AND source_id = $2`, [reference, simulator.school.students[0].id])).toEqual([{ last_name: 'Гарипова' }]);
    const newMark = simulator.school.marks.find((m) => m.id === added)!;
    expect(await q(`SELECT value, work_kind, weight::float FROM mark WHERE school_id = $1 AND source_id = $2`, [reference, markRef(simulator, newMark)])).toEqual([{ value: '5', work_kind: 'control_work', weight: 2 }]);
  });

  it('ends the run with a config error in plain words when the devkey or the password is refused', async () => {
    for (const [field, value, words] of [['devkey', 'ffffffffffffffffffffffffffffffff', /developer key/], ['password', 'wrong', /login and password/], ['vendor', 'school2', /refused/]] as const) {
      simulator.setFaults({ errorsAsHttp200: field === 'password' });
      const result = await sync(await newSchool(), { ...config, [field]: value });
      expect(result).toMatchObject({ status: 'failed', error: { kind: 'config', message: expect.stringMatching(words) } });
    }
  });

  it('checks the connection, finds the school, and says what is wrong', async () => {
    const ctx = { http: createHttpClient({ attempts: 2, baseDelayMs: 10, maxDelayMs: 50, timeoutMs: 2000 }), signal: new AbortController().signal, log: () => {} };
    expect(await eljurAdapter.check(config, ctx)).toEqual({ ok: true, problems: [] });
    expect(await eljurAdapter.discoverSchools(config, ctx)).toEqual([{ sourceId: 'school1', name: simulator.school.title }]);
    const wrong = await eljurAdapter.check({ ...config, devkey: 'nope' }, ctx);
    expect(wrong).toEqual({ ok: false, problems: [expect.stringMatching(/devkey/)] });
    expect((await eljurAdapter.check({ ...config, login: '', requestsPerSecond: 'fast' }, ctx)).problems).toEqual([
      expect.stringMatching(/login.*not filled in/), expect.stringMatching(/requestsPerSecond.*"fast"/),
    ]);
    expect((await eljurAdapter.check({ ...config, baseUrl: 'http://127.0.0.1:1/apiv3' }, ctx)).problems).toEqual([expect.stringMatching(/Cannot reach ЭлЖур/)]);
  });

  it('declares its configuration with secrets marked', () => {
    const { manifest } = eljurAdapter;
    expect(manifest.id).toBe('eljur');
    for (const secret of ['devkey', 'password']) expect(manifest.config.find((f) => f.name === secret)).toMatchObject({ secret: true, required: true });
    expect(manifest.config.find((f) => f.name === 'requestsPerSecond')).toMatchObject({ required: false, default: 5 });
    expect(manifest.config.find((f) => f.name === 'parallelism')).toMatchObject({ required: false, default: 4 });
  });
});
