import { isInteger, isSafeNumber, parse } from 'lossless-json';
import { ABOVE_2_53, DnevnikSimulator, SCHOOL_SIZES, startDnevnikSimulator } from '../../../adapters/dnevnik/simulator';

/** Response bodies are whatever JSON the vendor sends; the tests check their shape. */
type Json = any;

interface Reply {
  status: number;
  type: string;
  text: string;
  body: Json;
}

/** Parses as a careful client must: integers beyond 2^53 as bigint. */
const parseExact = (text: string) => parse(text, null, (v: string) => (isSafeNumber(v) ? Number(v) : isInteger(v) ? BigInt(v) : Number(v)));

describe('Dnevnik.ru simulator', () => {
  const simulator = new DnevnikSimulator({ ...SCHOOL_SIZES.small, seed: 11 });
  const token = simulator.options.accessToken;
  let base: string;
  const d = simulator.dataset;
  const groupId = () => String(d.groups.find((g) => g.type === 'Group')!.id);

  async function call(path: string, init: RequestInit & { auth?: 'header' | 'query' | 'none' } = {}): Promise<Reply> {
    const { auth = 'header', ...rest } = init;
    const url = `${base}${path}${auth === 'query' ? `${path.includes('?') ? '&' : '?'}access_token=${token}` : ''}`;
    const response = await fetch(url, { ...rest, headers: { ...(auth === 'header' ? { 'Access-Token': token } : {}), ...(rest.headers as Record<string, string>) } });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return { status: response.status, type, text, body: type.startsWith('application/json') ? parseExact(text) : text };
  }

  beforeAll(async () => {
    base = await simulator.start();
  });
  afterAll(() => simulator.stop());
  afterEach(() => simulator.setFaults({}));

  describe('authentication', () => {
    it('takes the token in the Access-Token header, or in the access_token query parameter', async () => {
      expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2\/$/);
      expect((await call('users/me')).status).toBe(200);
      expect((await call('users/me', { auth: 'query' })).status).toBe(200);
      expect(simulator.requests.slice(-2).map((r) => r.auth)).toEqual(['header', 'query']);
      const none = await call('users/me', { auth: 'none' });
      expect([none.status, none.body.type]).toEqual([401, 'invalidToken']);
      expect(none.body.description).toEqual(expect.any(String));
      // The older /v2.0/ prefix is the same API.
      expect((await fetch(`${base.replace('/v2/', '/v2.0/')}users/me`, { headers: { 'Access-Token': token } })).status).toBe(200);
    });

    it('issues tokens by credentials and by authorization code, which run out on the simulator’s clock', async () => {
      const post = (path: string, body: object) => call(path, { method: 'POST', auth: 'none', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const byCredentials = await post('authorizations/bycredentials', { client_id: 'any', client_secret: 'any', username: 'it-admin', password: 'secret', scope: 'CommonInfo,EducationalInfo' });
      expect(byCredentials.body).toMatchObject({ accessToken: expect.any(String), expiresIn: 30 * 24 * 3600 });
      const wrong = await post('authorizations/bycredentials', { username: 'it-admin', password: 'guess' });
      expect([wrong.status, wrong.body.type]).toEqual([401, 'authorizationFailed']);
      const byCode = await post('authorizations', { code: 'authorization-code', client_id: 'any', client_secret: 'any', grant_type: 'AuthorizationCode' });
      const issued = byCode.body.accessToken as string;
      const withIssued = () => fetch(`${base}users/me`, { headers: { 'Access-Token': issued } }).then((r) => r.status);
      expect(await withIssued()).toBe(200);
      simulator.advance(31 * 24 * 3600 * 1000);
      expect(await withIssued()).toBe(401);
      expect((await post('authorizations', { code: 'stolen' })).body.type).toBe('authorizationFailed');
      const revoked = (await post('authorizations', { code: 'authorization-code' })).body.accessToken as string;
      simulator.revokeToken(revoked);
      expect((await fetch(`${base}users/me`, { headers: { 'Access-Token': revoked } })).status).toBe(401);
    });
  });

  describe('errors', () => {
    it('answers unknown pages and records with the HTML error page, and bad parameters with the JSON envelope', async () => {
      for (const path of ['no/such/endpoint', 'schools/1000009999999', `edu-groups/42/students`]) {
        const reply = await call(path);
        expect([path, reply.status, reply.type]).toEqual([path, 404, 'text/html; charset=utf-8']);
        expect(reply.text).toMatch(/<div class="error__description"><p>[^<]+<\/p><\/div>/);
      }
      const bad = await call(`edu-groups/${groupId()}/lessons/03.09.2026/2026-09-07`);
      expect([bad.status, bad.body.type]).toEqual([400, 'parameterInvalid']);
      expect(bad.body.description).toContain('03.09.2026');
    });
  });

  describe('data', () => {
    it('writes ids above 2^53 as bare 64-bit numbers with their string twins, spelled as the vendor spells them', async () => {
      const reply = await call(`edu-groups/${groupId()}/marks/2026-09-01/2026-09-30`);
      const mark = reply.body[0];
      expect(typeof mark.id).toBe('bigint');
      expect(mark.id > ABOVE_2_53).toBe(true);
      expect(reply.text).toContain(`"id":${mark.id},"id_str":"${mark.id}"`);
      expect([String(mark.person), String(mark.lesson), String(mark.work)]).toEqual([mark.person_str, mark.lessonStr, mark.work_str]);
      expect(mark.lesson_str).toBeUndefined();
      const subjects = (await call(`edu-groups/${groupId()}/subjects`)).body;
      expect(subjects[0]).toMatchObject({ idStr: String(subjects[0].id), name: expect.any(String) });
      // Neighbouring students 2^53+1 and 2^53+2: JSON.parse would make them one.
      const students = (await call(`edu-groups/${groupId()}/students`)).body;
      expect(students[1].person.id - students[0].person.id).toBe(1n);
      const lessons = (await call(`edu-groups/${groupId()}/lessons/2026-09-01/2026-09-01`)).body;
      expect(typeof lessons[0].teachers[0]).toBe('bigint');
      expect(lessons[0].teachers_str).toBeUndefined();
    });

    it('serves local dates without a zone, and takes path dates as yyyy-MM-dd or ISO with or without milliseconds', async () => {
      const forms = ['2026-09-07/2026-09-11', '2026-09-07T00:00:00/2026-09-11T00:00:00', '2026-09-07T00:00:00.000/2026-09-11T23:59:59.999'];
      const replies = await Promise.all(forms.map((f) => call(`edu-groups/${groupId()}/lessons/${f}`)));
      expect(replies[0].body.length).toBeGreaterThan(0);
      expect(replies[1].text).toBe(replies[0].text);
      expect(replies[2].text).toBe(replies[0].text);
      expect(replies[0].body.every((l: Json) => /^2026-09-(0[7-9]|1[01])T00:00:00$/.test(l.date))).toBe(true);
      const marks = (await call(`edu-groups/${groupId()}/marks/2026-09-01/2026-10-31`)).body as Json[];
      expect(marks.every((m) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?$/.test(m.date))).toBe(true);
      expect(marks.some((m) => m.date.length === 19)).toBe(true);
      expect(marks.some((m) => m.date.length === 23)).toBe(true);
    });

    it('gives marks as strings with their scale type, lists the scales, and the average as a bare string with a decimal comma', async () => {
      const marks = (await call(`edu-groups/${groupId()}/marks/2026-09-01/2026-10-31`)).body as Json[];
      expect(new Set(marks.map((m) => m.type))).toEqual(new Set(['mark5', 'test']));
      expect(marks.every((m) => typeof m.value === 'string')).toBe(true);
      expect(marks.filter((m) => m.type === 'test').map((m) => m.value).every((v) => ['зачет', 'незачет'].includes(v))).toBe(true);
      const values = (await call('marks/values')).body;
      expect(Object.keys(values)).toEqual(expect.arrayContaining(['mark5', 'mark10', 'mark100', 'test', 'markna', 'markdismiss']));
      const student = marks.find((m) => m.type === 'mark5').person_str;
      const average = await call(`persons/${student}/reporting-periods/${d.periods[0].id}/avg-mark`);
      expect(average.body).toMatch(/^[1-5],\d{2}$/);
      expect(average.text).toBe(JSON.stringify(average.body));
    });

    it('keeps attendance in lesson-log entries, apart from marks', async () => {
      const lessons = d.logEntries.slice(0, 3).map((e) => String(e.lessonId));
      const entries = (await call(`lesson-log-entries?${lessons.map((l) => `lessons=${l}`).join('&')}`)).body as Json[];
      expect(entries.length).toBe(d.logEntries.filter((e) => lessons.includes(String(e.lessonId))).length);
      expect(entries[0]).toEqual({ person: expect.any(BigInt), person_str: expect.any(String), lesson: expect.any(BigInt), lesson_str: expect.any(String), comment: expect.any(String), status: expect.any(String), createdDate: expect.any(String) });
      expect((await call('lesson-log-entries/statuses')).body).toEqual(['Attend', 'Absent', 'Ill', 'Late', 'Pass']);
      expect((await call('lesson-log-entries')).body.type).toBe('parameterInvalid');
    });

    it('serves homework as works of type Homework with a target date, linked to tasks of the group’s students', async () => {
      const homework = d.works.find((w) => w.type === 'Homework')!;
      const work = (await call(`works/${homework.id}`)).body;
      expect(work).toMatchObject({ type: 'Homework', text: homework.text, targetDate: expect.stringMatching(/^2026-\d{2}-\d{2}T00:00:00$/), lesson_str: String(homework.lessonId) });
      const tasks = (await call(`works/${homework.id}/tasks`)).body as Json[];
      expect(tasks.length).toBe(d.memberships.filter((m) => m.groupId === homework.groupId && m.status === 'Active').length);
      expect(tasks.every((t) => t.work_str === String(homework.id) && t.targetDate === work.targetDate)).toBe(true);
      expect((await call(`tasks?lessons=${homework.lessonId}`)).body).toEqual(tasks);
    });

    it('hides archived students unless includeArchive is set, and marks them membershipstatus Archive', async () => {
      const active = (await call(`edu-groups/${groupId()}/students`)).body as Json[];
      const all = (await call(`edu-groups/${groupId()}/students?includeArchive=true`)).body as Json[];
      expect(all.length).toBe(active.length + 1);
      expect(all.filter((s) => s.membershipstatus === 'Archive')).toHaveLength(1);
      expect(active.every((s) => s.membershipstatus === 'Active')).toBe(true);
      expect((await call(`edu-groups/${groupId()}/persons?includeArchive=true`)).body.map((p: Json) => p.id_str)).toEqual(all.map((s) => s.person.id_str));
    });

    it('side-loads a student’s days: lessons, works, marks and log entries referring to each other by id', async () => {
      const student = d.memberships.find((m) => m.status === 'Active')!.personId;
      const days = (await call(`persons/${student}/groups/${groupId()}/schedules?startDate=2026-09-07&endDate=2026-09-13`)).body as Json[];
      expect(days).toHaveLength(7);
      expect(days[0].date).toBe('2026-09-07T00:00:00+05:00');
      const monday = days[0];
      const lessonIds = new Set(monday.lessons.map((l: Json) => l.id_str));
      const workIds = new Set([...monday.works, ...monday.homeworks].map((w: Json) => w.id_str));
      expect(monday.lessons.every((l: Json) => l.works.every((w: bigint) => workIds.has(String(w))))).toBe(true);
      expect(monday.marks.every((m: Json) => lessonIds.has(m.lessonStr) && m.person_str === String(student))).toBe(true);
      expect(monday.lessons.every((l: Json) => monday.subjects.some((s: Json) => s.idStr === String(l.subjectId)))).toBe(true);
      const recent = (await call(`persons/${student}/group/${groupId()}/recentmarks?limit=5`)).body;
      expect(recent.marks.length).toBeLessThanOrEqual(5);
      expect(recent.marks.every((m: Json) => recent.lessons.some((l: Json) => l.id_str === m.lessonStr) && recent.works.some((w: Json) => w.id_str === m.work_str))).toBe(true);
    });

    it('serves term marks per class with the reporting period, per subject', async () => {
      const rows = (await call(`edu-groups/${groupId()}/final-marks`)).body as Json[];
      expect(rows.length).toBeGreaterThan(0);
      expect(rows[0]).toMatchObject({ reportingPeriod_str: String(d.periods[0].id), 'per-subject-final-marks': expect.arrayContaining([{ subject: expect.any(Number), subject_str: expect.any(String), 'final-mark': expect.objectContaining({ type: 'mark5', value: expect.stringMatching(/^[2-5]$/) }) }]) });
    });
  });

  describe('faults', () => {
    it('fails the next requests, throttles with Retry-After, answers failures with the HTML page, and resets connections', async () => {
      simulator.setFaults({ failNext: 2 });
      expect([(await call('users/me')).body.type, (await call('users/me')).status, (await call('users/me')).status]).toEqual(['apiServerError', 500, 200]);
      simulator.setFaults({ throttleEvery: 2 });
      await call('users/me');
      const throttled = await fetch(`${base}users/me`, { headers: { 'Access-Token': token } });
      expect([throttled.status, throttled.headers.get('retry-after')]).toEqual([429, '1']);
      simulator.setFaults({ failureRate: 1, htmlErrors: true });
      const html = await call('users/me');
      expect([html.status, html.type]).toEqual([500, 'text/html; charset=utf-8']);
      simulator.setFaults({ down: true });
      await expect(fetch(`${base}users/me`, { headers: { 'Access-Token': token } })).rejects.toThrow();
    });

    it('expires a session after some requests, and serves listed records malformed', async () => {
      simulator.setFaults({ expireTokensAfter: 1 });
      expect((await call('users/me')).status).toBe(200);
      expect((await call('users/me')).body).toMatchObject({ type: 'invalidToken', description: expect.stringContaining('Сессия истекла') });
      const mark = d.marks.find((m) => m.type === 'mark5')!;
      simulator.setFaults({ malformed: [String(mark.id)] });
      expect((await call(`marks/${mark.id}`)).body.value).toBe('55');
    });

    it('is slow on demand', async () => {
      simulator.setFaults({ latencyMs: 150 });
      const started = Date.now();
      await call('users/me');
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    });
  });

  describe('data generation and changes', () => {
    it('generates the same school for the same seed, another for another, and whole schools on demand', () => {
      const again = new DnevnikSimulator({ ...SCHOOL_SIZES.small, seed: 11 });
      expect(again.dataset.marks.map((m) => m.value)).toEqual(d.marks.map((m) => m.value));
      expect(again.dataset.persons.map((p) => p.lastName)).toEqual(d.persons.map((p) => p.lastName));
      const other = new DnevnikSimulator({ ...SCHOOL_SIZES.small, seed: 12 });
      expect(other.dataset.persons.map((p) => p.lastName)).not.toEqual(d.persons.map((p) => p.lastName));
      const full = new DnevnikSimulator(SCHOOL_SIZES.full);
      expect(full.dataset.groups.filter((g) => g.type === 'Group').map((g) => g.name)).toHaveLength(15);
      expect(full.dataset.marks.length).toBeGreaterThan(10_000);
      expect(() => new DnevnikSimulator({ grades: [1] })).toThrow('grades must be a non-empty list of parallels from 5 to 9');
    });

    it('shows teachers’ changes: a corrected mark, a new mark, a deleted lesson, new homework, an archived student', async () => {
      const mark = d.marks.find((m) => m.type === 'mark5' && m.value !== '2')!;
      simulator.updateMark(mark.id, { value: '2' });
      expect((await call(`marks/${mark.id}`)).body.value).toBe('2');
      const lesson = d.lessons[5];
      const student = d.memberships.find((m) => m.groupId === lesson.groupId && m.status === 'Active')!.personId;
      const added = simulator.addMark(lesson.id, student, '5');
      expect((await call(`lessons/${lesson.id}/marks`)).body.map((m: Json) => m.id_str)).toContain(String(added.id));
      simulator.updateLesson(lesson.id, { title: 'Новая тема', homework: 'Повторить § 4' });
      const updated = (await call(`lessons/${lesson.id}`)).body;
      expect(updated.title).toBe('Новая тема');
      expect(updated.works.filter((w: Json) => w.type === 'Homework').map((w: Json) => w.text)).toEqual(['Повторить § 4']);
      simulator.removeLesson(lesson.id);
      expect((await call(`lessons/${lesson.id}`)).status).toBe(404);
      expect((await call(`marks/${added.id}`)).status).toBe(404);
      simulator.archiveStudent(student);
      const members = (await call(`edu-groups/${lesson.groupId}/students?includeArchive=true`)).body as Json[];
      expect(members.find((m) => m.person.id_str === String(student)).membershipstatus).toBe('Archive');
    });

    it('starts for the demo with a seed and a school size, and hands back the adapter configuration', async () => {
      const { simulator: demo, config } = await startDnevnikSimulator({ seed: 5, size: 'small' });
      try {
        expect(config).toEqual({ baseUrl: demo.baseUrl, accessToken: 'dnevnik-partner-token', schoolId: '1000002283077' });
        expect((await fetch(`${config.baseUrl}schools/${config.schoolId}`, { headers: { 'Access-Token': config.accessToken } })).status).toBe(200);
      } finally {
        await demo.stop();
      }
    });
  });
});
