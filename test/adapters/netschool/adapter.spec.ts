import { createHash } from 'node:crypto';
import { Adapter, AdapterMessage, createHttpClient } from '../../../adapters/contract';
import { netSchoolAdapter } from '../../../adapters/netschool';
import { passwordHash } from '../../../adapters/netschool/client';
import { diaryMark, finalColumn, reportMark } from '../../../adapters/netschool/mapping';
import { findTable } from '../../../adapters/netschool/report-html';
import { NetSchoolSimulator } from '../../../adapters/netschool/simulator';
import { SyncEngine } from '../../../src/sync/engine';
import { Fixture } from '../../factories/fixture';
import { useTestDatabase } from '../../setup/database';
import { configFor } from './source';

const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');

describe('NetSchool normalisation, on real-shaped payloads', () => {
  it('hashes a Cyrillic password over its windows-1251 bytes, salted, and cuts pw to its length', () => {
    // «Пароль» in windows-1251: П=CF а=E0 р=F0 о=EE л=EB ь=FC.
    const expected = md5('9369808045' + md5(Buffer.from([0xcf, 0xe0, 0xf0, 0xee, 0xeb, 0xfc])));
    expect(passwordHash('Пароль', '9369808045')).toEqual({ pw2: expected, pw: expected.slice(0, 6) });
    expect(passwordHash('Пароль', '9369808045').pw2).not.toBe(md5('9369808045' + md5(Buffer.from('Пароль', 'utf8'))));
  });

  it('takes a mark from any assignment, a homework too, and none from a dutyMark («точка»)', () => {
    // From a captured sgo.edu-74.ru diary (vendors.md 2.3).
    const assignment = { id: 216833258, typeId: 10, assignmentName: 'Основное уравнение МКТ (§ 52).', weight: 0, dueDate: '2022-01-13T00:00:00', classMeetingId: 192287987,
      mark: { assignmentId: 216833258, studentId: 472262, mark: 5, resultScore: null, dutyMark: false } };
    expect(diaryMark(assignment, '472262', '192287987', { name: 'Домашнее задание' })).toEqual({ mark: {
      sourceId: '216833258:472262', lessonSourceId: '192287987', studentSourceId: '472262', scale: 'five_point', value: '5', numericValue: 5,
      workKind: 'homework', weight: null, comment: null,
    } });
    expect(diaryMark({ ...assignment, mark: { ...assignment.mark, mark: null, dutyMark: true } }, '472262', '192287987', undefined)).toEqual({ overdue: true });
    expect(diaryMark({ ...assignment, mark: null }, '472262', '192287987', undefined)).toBeNull();
    expect(diaryMark({ ...assignment, weight: 15 }, '472262', '192287987', { name: 'Контрольная работа' })).toMatchObject({ mark: { workKind: 'control_work', weight: 1.5 } });
  });

  it('reads term, year, exam and final marks from the total-marks report HTML, by column names', () => {
    const html = `<html><body><h1>Итоговые отметки</h1><table class="table-print" border="1">
      <tr><th>№</th><th>Предмет</th><th>1 полугодие</th><th>2 полугодие</th><th>Годовая</th><th>Экзамен</th><th>Итоговая</th></tr>
      <tr><td>1</td><td>Алгебра и начала анализа</td><td>4</td><td>5</td><td>5</td><td>4</td><td>5</td></tr>
      <tr><td>2</td><td>Физическая культура</td><td>зач</td><td>осв</td><td>зачёт</td><td>&nbsp;</td><td>н/а</td></tr></table></body></html>`;
    const table = findTable(html, [/предмет/])!;
    expect(table.header.map(finalColumn)).toEqual([null, null, { kind: 'term', term: { kind: 'half', number: 1 } }, { kind: 'term', term: { kind: 'half', number: 2 } }, { kind: 'year' }, { kind: 'exam' }, { kind: 'final' }]);
    expect(table.rows.map((r) => r.slice(1).map((c) => reportMark(c)?.value ?? null))).toEqual([
      [null, '4', '5', '5', '4', '5'],
      [null, 'зач', null, 'зачёт', null, null],
    ]);
  });
});

describe('NetSchool adapter, through the sync engine', () => {
  const db = useTestDatabase();
  const simulator = new NetSchoolSimulator({ seed: 3, classes: 3, studentsPerClass: 3, today: '2026-11-13' });
  let config: Record<string, string | number>;
  const q = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params);
  const count = async (table: string, schoolId: string) => Number((await q(`SELECT count(*) AS n FROM ${table} WHERE school_id = $1`, [schoolId]))[0].n);
  const newSchool = () => new Fixture(db.dataSource).school({ systemOfRecord: 'netschool' });
  const sync = (schoolId: string, cfg = config, adapter: Adapter = netSchoolAdapter) => new SyncEngine(db.dataSource).run(schoolId, adapter, cfg);
  const quarantined = (schoolId: string) => q(`SELECT stream, source_id, field, reason FROM sync_quarantine WHERE school_id = $1 ORDER BY stream, source_id`, [schoolId]);
  const logins = () => simulator.requests.filter((r) => r.path === '/webapi/login').length;

  /** What a correct sync of the simulator's school lands, table by table. */
  function expected() {
    const s = simulator.school;
    const kinds = new Set(s.classes.map((c) => c.termKind));
    return {
      academic_year: 1,
      term: s.terms.filter((t) => kinds.has(t.kind) && t.start <= s.today).length,
      class_group: s.classes.length,
      student: s.students.length,
      enrollment: s.students.length,
      course: new Set(s.classMeetings.map((m) => `${m.classId}:${m.subjectName}`)).size,
      lesson: s.classMeetings.length,
      mark: [...s.marks.values()].filter((m) => m.mark !== null).length,
      attendance: s.attendance.size,
      final_mark: s.finalMarks.size,
    };
  }
  const counts = async (schoolId: string) => Object.fromEntries(await Promise.all(Object.keys(expected()).map(async (t) => [t, await count(t, schoolId)])));

  beforeAll(async () => {
    config = configFor(simulator, await simulator.start());
  });
  afterAll(() => simulator.stop());
  afterEach(() => simulator.setFaults({}));

  it('lands a whole school: pupils, classes, lessons with homework, marks, attendance, term marks', async () => {
    const school = await newSchool();
    const result = await sync(school);
    expect(result).toMatchObject({ status: 'succeeded' });
    expect(await quarantined(school)).toEqual([]);
    expect(await counts(school)).toEqual(expected());

    const s = simulator.school;
    expect(await q(`SELECT name, term_kind FROM class_group WHERE school_id = $1 ORDER BY name`, [school])).toEqual([
      { name: '10А', term_kind: 'half' }, { name: '5А', term_kind: 'quarter' }, { name: '7А', term_kind: 'quarter' },
    ]);
    // «Физика профиль» of 10А is the municipality's Физика.
    const [physics] = await q(`SELECT s.code FROM course c JOIN subject s ON s.id = c.subject_id WHERE c.school_id = $1 AND c.source_id LIKE '%:Физика профиль'`, [school]);
    expect(physics).toEqual({ code: 'physics' });

    // A homework with a mark: the lesson's homework is its text, and the pupil's mark is on it.
    const homeworkType = s.assignmentTypes.find((t) => t.name === 'Домашнее задание')!.id;
    const [key] = [...s.marks].find(([k, m]) => m.mark !== null && s.assignments.find((a) => a.id === Number(k.split(':')[0]))!.typeId === homeworkType)!;
    const assignment = s.assignments.find((a) => a.id === Number(key.split(':')[0]))!;
    const [mark] = await q(`SELECT m.value, m.source_value, m.scale, m.work_kind, l.homework FROM mark m JOIN lesson l ON l.school_id = m.school_id AND l.id = m.lesson_id WHERE m.school_id = $1 AND m.source_id = $2`, [school, key]);
    expect(mark).toEqual({ value: String(s.marks.get(key)!.mark), source_value: String(s.marks.get(key)!.mark), scale: 'five_point', work_kind: 'homework', homework: expect.stringContaining(assignment.name) });

    // A «точка» is no mark.
    const [duty] = [...s.marks].find(([, m]) => m.dutyMark)!;
    expect(await q(`SELECT 1 FROM mark WHERE school_id = $1 AND source_id = $2`, [school, duty])).toEqual([]);

    // ill (Б), excused (УП), late (ОП) and absent (НП), with the vendor's code.
    const statuses = await q(`SELECT status, comment FROM attendance WHERE school_id = $1 GROUP BY status, comment ORDER BY comment`, [school]);
    expect(statuses).toEqual([{ status: 'ill', comment: 'Б' }, { status: 'absent', comment: 'НП' }, { status: 'late', comment: 'ОП' }, { status: 'excused', comment: 'УП' }]);

    // First-quarter marks for 5А and 7А; 10А's half-year is not over.
    const terms = await q(`SELECT DISTINCT t.kind, t.number, t.starts_on::text FROM final_mark f JOIN term t ON t.school_id = f.school_id AND t.id = f.term_id WHERE f.school_id = $1`, [school]);
    expect(terms).toEqual([{ kind: 'quarter', number: 1, starts_on: '2026-09-01' }]);

    // Progress and checkpoints: a group of pupils at a time.
    const diaries = simulator.requests.filter((r) => r.path === '/webapi/student/diary');
    expect(diaries.length).toBe(s.students.length * 12);
    expect(simulator.requests.every((r) => r.path.startsWith('/webapi/login') || !r.path.startsWith('/webapi/') || r.referer?.startsWith(config.serverUrl as string))).toBe(true);
  });

  it('changes nothing when run again', async () => {
    const school = await newSchool();
    await sync(school);
    const again = await sync(school);
    expect(again.status).toBe('succeeded');
    for (const [stream, c] of Object.entries(again.counts)) expect([stream, c.inserted, c.updated, c.quarantined]).toEqual([stream, 0, 0, 0]);
  });

  it('signs in again when the session ends mid-run (401), and goes through throttling (429)', async () => {
    const school = await newSchool();
    const before = logins();
    simulator.setFaults({ expireSessionsAfter: 40, throttleEvery: 25 });
    const result = await sync(school);
    expect(result.error).toBeUndefined();
    expect(logins() - before).toBeGreaterThan(3);
    expect(await counts(school)).toEqual(expected());
  });

  it('fails with kind config on a wrong password (409), and transient while logins are throttled', async () => {
    const school = await newSchool();
    const wrong = await sync(school, { ...config, password: 'неверный' });
    expect(wrong).toMatchObject({ status: 'failed', error: { kind: 'config', message: expect.stringContaining('Неправильный пароль или имя пользователя') } });
    await sync(school, { ...config, password: 'неверный' });
    await sync(school, { ...config, password: 'неверный' });
    const throttled = await sync(school);
    expect(throttled).toMatchObject({ status: 'failed', error: { kind: 'transient', message: expect.stringContaining('Следующая попытка') } });
    simulator.advanceClock(61);
    expect((await sync(school)).status).toBe('succeeded');
  });

  it('resumes after a crash from the next pupil, with nothing lost or duplicated', async () => {
    const school = await newSchool();
    // The run dies after its second checkpoint (two groups of pupils written).
    const crashing: Adapter = {
      ...netSchoolAdapter,
      async *read(cfg, state, ctx): AsyncIterable<AdapterMessage> {
        let checkpoints = 0;
        for await (const message of netSchoolAdapter.read(cfg, state, ctx)) {
          yield message;
          if (message.type === 'checkpoint' && ++checkpoints === 2) throw new Error('the worker died');
        }
      },
    };
    expect((await sync(school, config, crashing)).status).toBe('failed');
    const [saved] = await q(`SELECT state FROM sync_state WHERE school_id = $1`, [school]);
    const sorted = simulator.school.students.map((s) => s.id).sort((a, b) => a - b);
    expect(saved.state.after).toBe(sorted[7]);
    const mark = simulator.requests.length;
    expect((await sync(school)).status).toBe('succeeded');
    const read = new Set(simulator.requests.slice(mark).filter((r) => r.path === '/webapi/student/diary').map((r) => Number(r.query.studentId)));
    expect([...read].sort((a, b) => a - b)).toEqual(sorted.slice(8));
    expect(await counts(school)).toEqual(expected());
    expect((await q(`SELECT state FROM sync_state WHERE school_id = $1`, [school]))[0].state.after).toBeNull();
  });

  it('quarantines a malformed mark (7 on the five-point scale) while the rest lands', async () => {
    const school = await newSchool();
    const [key] = [...simulator.school.marks].find(([, m]) => m.mark !== null)!;
    simulator.setFaults({ malformed: [key] });
    expect((await sync(school)).status).toBe('succeeded');
    expect(await quarantined(school)).toEqual([{ stream: 'marks', source_id: key, field: 'value', reason: expect.stringContaining('"7" is not on the five_point scale') }]);
    expect(await count('mark', school)).toBe(expected().mark - 1);
  });

  it('checks the connection and finds the school by name', async () => {
    const ctx = { http: createHttpClient({ attempts: 2, baseDelayMs: 10, maxDelayMs: 50, timeoutMs: 5000 }), signal: new AbortController().signal, log: () => {} };
    expect(await netSchoolAdapter.check(config, ctx)).toEqual({ ok: true, problems: [] });
    expect(await netSchoolAdapter.discoverSchools({ ...config, school: 'СОШ' }, ctx)).toEqual([{ sourceId: String(simulator.school.id), name: simulator.school.loginName }]);
    const unknown = await netSchoolAdapter.check({ ...config, school: 'Лицей №1' }, ctx);
    expect(unknown.problems[0]).toContain('NetSchool finds no school named "Лицей №1"');
  });
});
