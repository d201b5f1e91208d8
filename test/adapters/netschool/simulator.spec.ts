import { createHash } from 'node:crypto';
import { NetSchoolSimulator } from '../../../adapters/netschool/simulator';

/** The server's JSON, as any client sees it. */
type Json = any;

const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');
/** «Журнал-2026» in windows-1251, byte by byte (Ж=C6 у=F3 р=F0 н=ED а=E0 л=EB), independent of any encoding library. */
const PASSWORD_CP1251 = Buffer.from([0xc6, 0xf3, 0xf0, 0xed, 0xe0, 0xeb, 0x2d, 0x32, 0x30, 0x32, 0x36]);

describe('NetSchool simulator: the web API protocol', () => {
  const simulator = new NetSchoolSimulator({ seed: 7, classes: 2, studentsPerClass: 3, today: '2027-06-15' });
  let site: string;

  beforeAll(async () => {
    site = await simulator.start();
  });
  afterAll(() => simulator.stop());
  afterEach(() => simulator.setFaults({}));

  /** A browser-like session: the cookie jar and the Referer of the login page. */
  function session() {
    let cookie = '';
    const call = async (path: string, init: { method?: string; form?: Record<string, string>; json?: unknown; at?: string; referer?: string | null } = {}) => {
      const headers: Record<string, string> = { cookie };
      if (init.referer !== null) headers.referer = init.referer ?? `${site}/`;
      if (init.at) headers.at = init.at;
      let body: string | undefined;
      if (init.form) [headers['content-type'], body] = ['application/x-www-form-urlencoded', new URLSearchParams(init.form).toString()];
      if (init.json) [headers['content-type'], body] = ['application/json', JSON.stringify(init.json)];
      const response = await fetch(`${site}/webapi/${path}`, { method: init.method ?? 'GET', headers, body });
      const set = response.headers.getSetCookie()[0];
      if (set) cookie = set.split(';')[0];
      const text = await response.text();
      let json: Json = null;
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
      return { status: response.status, text, json };
    };
    const form = async (password: Buffer | string = PASSWORD_CP1251, overrides: Record<string, string> = {}) => {
      const data = (await call('auth/getdata', { method: 'POST' })).json;
      const pw2 = md5(data.salt + md5(password));
      return { loginType: '1', scid: String(simulator.school.id), un: 'hub-admin', pw: pw2.slice(0, 11), pw2, lt: data.lt, ver: data.ver, ...overrides };
    };
    return { call, form };
  }

  async function signedIn() {
    const s = session();
    await s.call('logindata');
    const login = await s.call('login', { method: 'POST', form: await s.form() });
    expect(login.status).toBe(200);
    return { ...s, at: login.json.at as string };
  }

  it('signs in with the salted MD5 of the windows-1251 password and then serves the at header', async () => {
    const s = session();
    const page = await s.call('logindata');
    expect(page.json).toMatchObject({ schoolLogin: true, productName: 'Сетевой Город. Образование' });
    const data = (await s.call('auth/getdata', { method: 'POST' })).json;
    expect(Object.keys(data).sort()).toEqual(['lt', 'salt', 'ver']);
    const pw2 = md5(data.salt + md5(PASSWORD_CP1251));
    const login = await s.call('login', { method: 'POST', form: { loginType: '1', scid: String(simulator.school.id), un: 'hub-admin', pw: pw2.slice(0, 11), pw2, lt: data.lt, ver: data.ver } });
    expect(login.status).toBe(200);
    expect(login.json).toMatchObject({ timeOut: 3600, accountInfo: { currentOrganization: { id: simulator.school.id } } });
    expect(typeof login.json.at).toBe('string');
    expect((await s.call('context', { at: login.json.at })).json).toMatchObject({ schoolId: simulator.school.id, version: '5.29.0', schoolyear: { name: '2026/2027' } });
    expect((await s.call('context')).status).toBe(401);
  });

  it('refuses the hash of the UTF-8 bytes of a Cyrillic password (409 with a message)', async () => {
    const s = session();
    await s.call('logindata');
    const login = await s.call('login', { method: 'POST', form: await s.form(Buffer.from('Журнал-2026', 'utf8')) });
    expect(login).toMatchObject({ status: 409, json: { message: 'Неправильный пароль или имя пользователя' } });
  });

  it('takes lt/ver/salt once only, and refuses a login without the Referer', async () => {
    const s = session();
    await s.call('logindata');
    const form = await s.form();
    expect((await s.call('login', { method: 'POST', form, referer: null })).text).toBe('Ошибка доступа');
    expect((await s.call('login', { method: 'POST', form })).status).toBe(200);
    // The same lt again: refused, though the password is right.
    expect((await s.call('login', { method: 'POST', form })).json).toEqual({ message: 'Данные формы входа устарели. Обновите страницу' });
  });

  it('throttles logins after repeated failures, until the time has passed', async () => {
    const s = session();
    await s.call('logindata');
    for (let i = 0; i < 3; i++) expect((await s.call('login', { method: 'POST', form: await s.form('wrong') })).status).toBe(409);
    const throttled = await s.call('login', { method: 'POST', form: await s.form() });
    expect(throttled.status).toBe(409);
    expect(throttled.json.message).toMatch(/Следующая попытка может быть совершена не ранее чем/);
    simulator.advanceClock(61);
    expect((await s.call('login', { method: 'POST', form: await s.form() })).status).toBe(200);
  });

  it('ends a session after timeOut seconds idle, and on logout (401)', async () => {
    const a = await signedIn();
    simulator.advanceClock(3601);
    expect((await a.call('context', { at: a.at })).status).toBe(401);
    const b = await signedIn();
    expect((await b.call('auth/logout', { method: 'POST', at: b.at, form: { at: b.at } })).status).toBe(200);
    expect((await b.call('context', { at: b.at })).status).toBe(401);
  });

  it('finds the school by name, and lists every pupil of the school in diary/init for the staff account', async () => {
    const s = await signedIn();
    expect((await s.call('schools/search?name=' + encodeURIComponent('СОШ'))).json).toEqual([expect.objectContaining({ id: simulator.school.id, name: simulator.school.loginName })]);
    const init = (await s.call('student/diary/init', { at: s.at })).json;
    expect(init.students).toHaveLength(6);
    expect(init).toMatchObject({ currentStudentId: 0, weekStart: '2027-06-14T00:00:00', maxMark: 5 });
    expect(init.students[0]).toEqual({ studentId: expect.any(Number), nickName: expect.stringMatching(/^\S+ \S+$/), className: '5А', classId: expect.any(Number), iupGrade: 0 });
  });

  it('serves a week diary: T00:00:00 dates, integer marks, dutyMark, no assignments key on a lesson without any', async () => {
    const s = await signedIn();
    const student = simulator.school.students[0];
    const diary = (await s.call(`student/diary?studentId=${student.id}&yearId=${simulator.school.year.id}&weekStart=2026-10-05&weekEnd=2026-10-11`, { at: s.at })).json;
    expect(diary).toMatchObject({ weekStart: '2026-10-05T00:00:00', weekEnd: '2026-10-11T00:00:00', termName: '1 четверть', className: '5А' });
    const lessons = diary.weekDays.flatMap((d: Json) => d.lessons);
    expect(lessons).toHaveLength(25);
    expect(lessons[0]).toMatchObject({ day: '2026-10-05T00:00:00', number: 1, relay: 1, startTime: '08:00', endTime: '08:40', isEaLesson: false });
    expect(lessons.some((l: Json) => !('assignments' in l))).toBe(true);
    const marks = lessons.flatMap((l: Json) => l.assignments ?? []).filter((a: Json) => a.mark).map((a: Json) => a.mark);
    expect(marks.length).toBeGreaterThan(0);
    for (const m of marks) expect(m.dutyMark ? m.mark === null : Number.isInteger(m.mark) && m.mark >= 1 && m.mark <= 5).toBe(true);
    const half = simulator.school.students.find((st) => simulator.school.classes.find((c) => c.id === st.classId)!.termKind === 'half')!;
    expect((await s.call(`student/diary?studentId=${half.id}&yearId=${simulator.school.year.id}&weekStart=2026-10-05&weekEnd=2026-10-11`, { at: s.at })).json.termName).toBe('1 полугодие');
  });

  it('builds term, year and final marks through the report queue as an HTML table', async () => {
    const s = await signedIn();
    const student = simulator.school.students[0];
    const queued = (await s.call('reports/studenttotalmarks/queue', {
      method: 'POST', at: s.at,
      json: { params: [{ name: 'SCHOOLYEARID', value: simulator.school.year.id }], selectedData: [{ filterId: 'SID', filterValue: String(student.id) }] },
    })).json;
    expect(queued).toEqual({ taskId: expect.any(Number), queueKey: expect.any(String) });
    const done = (await s.call('signalr/queueHub/startTaskAsync', { method: 'POST', at: s.at, json: queued })).json;
    expect(done).toMatchObject({ target: 'complete', arguments: [{ data: expect.any(String) }] });
    const html = (await s.call(`files/${done.arguments[0].data}`, { at: s.at })).text;
    expect(html).toContain('<th>Предмет</th><th>1 четверть</th><th>2 четверть</th><th>3 четверть</th><th>4 четверть</th><th>Годовая</th><th>Экзамен</th><th>Итоговая</th>');
    expect(html).toMatch(/<td>Русский язык<\/td><td>[1-5]<\/td>/);
  });

  it('injects faults: throttling (429 with Retry-After), expired sessions, malformed marks', async () => {
    const s = await signedIn();
    simulator.setFaults({ throttleEvery: 2 });
    expect((await s.call('context', { at: s.at })).status).toBe(200);
    const throttled = await fetch(`${site}/webapi/context`, { headers: { at: s.at, cookie: '' } });
    expect(throttled.status).toBe(401); // no cookie: not this session
    expect((await s.call('context', { at: s.at })).status).toBe(429);
    simulator.setFaults({ expireSessionsAfter: 0 });
    expect((await s.call('context', { at: s.at })).status).toBe(401);
    const t = await signedIn();
    const [key] = [...simulator.school.marks].find(([, m]) => m.mark !== null)!;
    simulator.setFaults({ malformed: [key] });
    const [assignmentId, studentId] = key.split(':').map(Number);
    const meeting = simulator.school.classMeetings.find((m) => m.id === simulator.school.assignments.find((a) => a.id === assignmentId)!.classMeetingId)!;
    const diary = (await t.call(`student/diary?studentId=${studentId}&yearId=${simulator.school.year.id}&weekStart=${meeting.date}&weekEnd=${meeting.date}`, { at: t.at })).json;
    const served = diary.weekDays[0].lessons.flatMap((l: Json) => l.assignments ?? []).find((a: Json) => a.id === assignmentId);
    expect(served.mark.mark).toBe(7);
  });

  it('generates the same school from the same seed', () => {
    const again = new NetSchoolSimulator({ seed: 7, classes: 2, studentsPerClass: 3, today: '2027-06-15' });
    expect(again.school.students).toEqual(simulator.school.students);
    expect([...again.school.marks].slice(0, 50)).toEqual([...simulator.school.marks].slice(0, 50));
  });
});
