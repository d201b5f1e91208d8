import { EljurSimulator } from '../../../adapters/eljur/simulator';

/** JSON as ЭлЖур sends it. */
type Json = any;

describe('ЭлЖур simulator: the API as a client sees it', () => {
  const simulator = new EljurSimulator({ seed: 3, today: '2026-09-16' });
  const { devkey, vendor, hubLogin, hubPassword } = simulator.options;
  let base: string;
  let token: string;

  const call = async (method: string, params: Record<string, string> = {}, init?: RequestInit, prefix = 'apiv3') => {
    const response = await fetch(`${base}/${prefix}/${method}?${new URLSearchParams(params)}`, init);
    return { status: response.status, headers: response.headers, body: (await response.json()) as Json };
  };
  const data = (method: string, params: Record<string, string> = {}) => call(method, { devkey, vendor, out_format: 'json', auth_token: token, ...params });

  beforeAll(async () => {
    base = await simulator.start();
    token = (await call('auth', { devkey, vendor, out_format: 'json', login: hubLogin, password: hubPassword })).body.response.result.token;
  });
  afterAll(() => simulator.stop());
  afterEach(() => simulator.setFaults({}));

  it('refuses a wrong or missing devkey with state 400 and the Russian text, in the HTTP status too', async () => {
    for (const key of ['wrong', '']) {
      const { status, body } = await call('getrules', { devkey: key, vendor, out_format: 'json', auth_token: token });
      expect(status).toBe(400);
      expect(body).toEqual({ response: { state: 400, error: 'не удалось авторизовать разработчика', result: {} } });
    }
  });

  it('can answer errors with HTTP 200 and the state only in the envelope, as some installs do', async () => {
    simulator.setFaults({ errorsAsHttp200: true });
    const { status, body } = await call('getrules', { devkey: 'wrong', vendor, out_format: 'json' });
    expect(status).toBe(200);
    expect(body.response).toMatchObject({ state: 400, error: 'не удалось авторизовать разработчика' });
  });

  it('signs in with the login and password in the query, a form body or a JSON body, on /api/ and /apiv3/', async () => {
    const query = { devkey, vendor, out_format: 'json' };
    const answers = [
      await call('auth', { ...query, login: hubLogin, password: hubPassword }),
      await call('auth', query, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `login=${hubLogin}&password=${hubPassword}` }),
      await call('auth', query, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: hubLogin, password: hubPassword }) }, 'api'),
    ];
    for (const { status, body } of answers) {
      expect(status).toBe(200);
      expect(body.response.state).toBe(200);
      expect(body.response.error).toBeNull();
      expect(body.response.result.token).toMatch(/^[0-9a-f]{40}$/);
      expect(body.response.result.expires).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    }
    const wrong = await call('auth', { ...query, login: hubLogin, password: 'nope' });
    expect([wrong.status, wrong.body.response.state, wrong.body.response.error]).toEqual([400, 400, 'неверный логин или пароль']);
  });

  it('exchanges a v_token at getusersvendors, unwrapped, and refuses a bad one with {error, result:false}', async () => {
    const good = await call('getusersvendors', { v_token: simulator.vTokenFor('parent1'), auth_token: 'true', out_format: 'json' });
    expect(good.status).toBe(200);
    expect(good.body.response).toBeUndefined();
    expect(good.body.result[0]).toMatchObject({ vendor, vendor_id: 77, login: 'parent1' });
    expect(good.body.result[0].token).toMatch(/^[0-9a-f]{40}$/);
    const bad = await call('getusersvendors', { v_token: 'x.y.z', auth_token: 'true', out_format: 'json' });
    expect([bad.status, bad.body]).toEqual([400, { error: 'недействительный v_token', result: false }]);
  });

  it('refuses data calls without a session token, and an expired session with state 401', async () => {
    expect((await call('getrules', { devkey, vendor, out_format: 'json' })).body.response.state).toBe(401);
    simulator.setFaults({ expireTokensAfter: 0 });
    const expired = await data('getrules');
    expect([expired.status, expired.body.response.state]).toEqual([401, 401]);
    expect(expired.body.response.error).toMatch(/токен/);
  });

  it('gives the hub account every student and class in getrules, keyed by id and by class name', async () => {
    const { body } = await data('getrules');
    const { students, groups, schools } = body.response.result.relations;
    expect(Object.keys(students)).toEqual(simulator.school.students.map((s) => s.id));
    const first = simulator.school.students[0];
    expect(students[first.id]).toMatchObject({ name: first.id, firstname: first.firstName, lastname: first.lastName, class: first.className, parallel: 5 });
    expect(Object.keys(groups)).toEqual(['5А', '6А', '7А']);
    expect(groups['5А'].hometeacher_id).toMatch(/^\d+$/);
    expect(schools[0].title).toMatch(/СОШ/);
  });

  it('serves a parent\'s several children under `students`, and refuses a child that is not theirs', async () => {
    const parent = simulator.school.accounts.find((a) => a.studentIds.length === 2)!;
    const own = await call('auth', { devkey, vendor, out_format: 'json', login: parent.login, password: parent.password });
    const params = { devkey, vendor, out_format: 'json', auth_token: own.body.response.result.token };
    const diary = await call('getdiary', { ...params, days: '20260907-20260913' });
    expect(Object.keys(diary.body.response.result.students).sort()).toEqual([...parent.studentIds].sort());
    const stranger = simulator.school.students.find((s) => !parent.studentIds.includes(s.id))!;
    const refused = await call('getdiary', { ...params, student: stranger.id, days: '20260907' });
    expect([refused.status, refused.body.response.state]).toEqual([403, 403]);
  });

  it('serves periods by name with YYYYMMDD dates and their weeks', async () => {
    const student = simulator.school.students[0];
    const { body } = await data('getperiods', { student: student.id, weeks: 'true' });
    const [entry] = body.response.result.students;
    expect(entry.name).toBe(student.id);
    expect(entry.periods.map((p: Json) => [p.name, p.start, p.end])).toEqual([
      ['I четверть', '20260901', '20261025'], ['II четверть', '20261105', '20261228'], ['III четверть', '20270112', '20270321'], ['IV четверть', '20270330', '20270526'],
    ]);
    expect(entry.periods[0].weeks[0]).toEqual({ start: '20260901', end: '20260906', title: '01.09 - 06.09' });
    const withDisabled = await data('getperiods', { student: student.id, show_disabled: 'true' });
    expect(withDisabled.body.response.result.students[0].periods.at(-1)).toMatchObject({ name: 'Год', disabled: true });
  });

  it('serves a diary of days keyed YYYYMMDD with lessons keyed by number, ids as strings, marks and absences in one list', async () => {
    const student = simulator.school.students[0];
    const { body } = await data('getdiary', { student: student.id, days: '20260901-20260930', rings: 'true' });
    const days = body.response.result.students[student.id].days;
    expect(Object.keys(days)[0]).toBe('20260901');
    expect(days['20260901'].title).toBe('Вторник, 01.09.2026');
    const items = Object.entries(days).flatMap(([, d]: [string, Json]) => Object.entries(d.items)) as [string, Json][];
    for (const [key, item] of items) {
      expect(item.num).toBe(key);
      expect(typeof item.sort).toBe('number');
      expect(item.lesson_id).toMatch(/^\d+$/);
      expect(item.starttime).toMatch(/^\d{2}:\d{2}:00$/);
    }
    const assessments = items.flatMap(([, i]) => i.assessments ?? []);
    const absence = assessments.find((a: Json) => a.value === 'н');
    expect(absence).toMatchObject({ countas: 0, count: false, convert: 0 });
    const weighted = assessments.find((a: Json) => a.weight_float === 1.5);
    expect(weighted).toMatchObject({ weight: 2, count: true, control_type: 'Самостоятельная работа', control_type_short: 'СР' });
    expect(typeof weighted.countas).toBe('string');
    const english = items.find(([, i]) => /англ/i.test(i.name))![1];
    expect(english.grp).toBe(`Группа ${student.englishGroup}`);
    // Without rings, no bell times.
    const plain = await data('getdiary', { student: student.id, days: '20260901' });
    expect(Object.values(plain.body.response.result.students[student.id].days['20260901'].items as Json).every((i: Json) => i.starttime === undefined)).toBe(true);
  });

  it('refuses a days parameter it cannot read', async () => {
    const { body } = await data('getdiary', { student: simulator.school.students[0].id, days: '2026-09-01..2026-09-07' });
    expect(body.response).toMatchObject({ state: 400, error: expect.stringMatching(/days/) });
  });

  it('serves marks by subject with mtype and averages as strings, and term marks keyed by period name', async () => {
    const student = simulator.school.students[1];
    const marks = await data('getmarks', { student: student.id, days: '20260901-20260930' });
    const lessons = marks.body.response.result.students[student.id].lessons;
    expect(lessons.length).toBeGreaterThan(5);
    const marked = lessons.find((l: Json) => l.marks.some((m: Json) => m.mtype));
    expect(marked.average).toMatch(/^\d\.\d{2}$/);
    expect(marked.marks.find((m: Json) => m.mtype).mtype).toEqual({ id: expect.any(Number), short: expect.any(String), type: expect.any(String) });
    const finals = await data('getfinalassessments', { student: student.id });
    const items = finals.body.response.result.students[student.id].items;
    expect(items.length).toBeGreaterThan(0);
    expect(items[0].assessments[0]).toMatchObject({ period: 'I четверть', value: expect.stringMatching(/^([1-5]|зач)$/) });
  });

  it('throttles with 429 and Retry-After, fails on demand, and resets connections when down', async () => {
    simulator.setFaults({ throttleEvery: 1 });
    const throttled = await data('getrules');
    expect([throttled.status, throttled.headers.get('retry-after'), throttled.body.response.state]).toEqual([429, '1', 429]);
    simulator.setFaults({ failNext: 1, failNextWith: 503 });
    expect((await data('getrules')).status).toBe(503);
    expect((await data('getrules')).status).toBe(200);
    simulator.setFaults({ down: true });
    await expect(data('getrules')).rejects.toThrow();
  });

  it('serves a malformed mark when told to, and the same school for the same seed', async () => {
    const mark = simulator.school.marks.find((m) => /^[1-5]$/.test(m.value))!;
    const lesson = simulator.school.lessons.find((l) => l.id === mark.lessonId)!;
    simulator.setFaults({ malformed: [mark.id] });
    const { body } = await data('getdiary', { student: mark.studentId, days: lesson.date.replace(/-/g, '') });
    const item = body.response.result.students[mark.studentId].days[lesson.date.replace(/-/g, '')].items[String(lesson.num)];
    expect(item.assessments.map((a: Json) => a.value)).toContain('5++');
    const again = new EljurSimulator({ seed: 3 });
    expect(again.school.students).toEqual(simulator.school.students);
    expect(again.school.marks.length).toBe(simulator.school.marks.length);
    expect(new EljurSimulator({ seed: 4 }).school.students).not.toEqual(simulator.school.students);
  });
});
