import { GRADEBOOK_BASE_PATH, OneRosterSimulator, ROSTERING_BASE_PATH, SCOPE_PREFIX } from '../../../adapters/oneroster/rest/simulator';

/** Response bodies are whatever JSON the provider sends; the tests check their shape. */
type Json = any;

interface Reply {
  status: number;
  headers: Headers;
  body: Json;
}

const ROSTER = ROSTERING_BASE_PATH;
const GRADEBOOK = GRADEBOOK_BASE_PATH;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function requestToken(base: string, body = 'grant_type=client_credentials', authorization = basic('hub', 'secret')): Promise<Reply> {
  const response = await fetch(`${base}/token`, { method: 'POST', headers: { ...FORM, authorization }, body });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

async function tokenFor(base: string): Promise<string> {
  return (await requestToken(base)).body.access_token;
}

async function get(base: string, token: string | undefined, path: string, params: Record<string, string> = {}): Promise<Reply> {
  const query = new URLSearchParams(params).toString();
  const response = await fetch(`${base}${path}${query ? `?${query}` : ''}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

const codeMinor = (body: Json) => body.imsx_CodeMinor.imsx_codeMinorField[0].imsx_codeMinorFieldValue;
const ids = (records: Json[]) => records.map((r) => r.sourcedId as string);
const sorted = (values: string[]) => [...values].sort();

/** Parses `<url>; rel="next", …` into { next: url, … }. */
function links(header: string | null): Record<string, string> {
  return Object.fromEntries((header ?? '').split(', ').filter(Boolean).map((part) => {
    const [, url, rel] = /^<([^>]+)>; rel="(\w+)"$/.exec(part)!;
    return [rel, url];
  }));
}

/** Every GUIDRef inside a value: objects with href, sourcedId and type. */
function refsIn(value: unknown): { href: string; sourcedId: string; type: string }[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value === null || typeof value !== 'object') return [];
  const object = value as Record<string, unknown>;
  if (typeof object.href === 'string' && typeof object.type === 'string') return [object as never];
  return Object.values(object).flatMap(refsIn);
}

describe('OneRoster 1.2 REST simulator', () => {
  const simulator = new OneRosterSimulator();
  let base: string;
  let token: string;

  beforeAll(async () => {
    base = await simulator.start();
    token = await tokenFor(base);
  });
  afterAll(() => simulator.stop());

  describe('OAuth 2.0 client credentials', () => {
    it('issues a bearer token to a client that authenticates with HTTP Basic', async () => {
      const reply = await requestToken(base);
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        access_token: expect.any(String), token_type: 'bearer', expires_in: 3600, scope: expect.stringContaining(`${SCOPE_PREFIX}roster.readonly`),
      });
      expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    });

    it('accepts the credentials in the form body and narrows the token to the scope asked for', async () => {
      const body = new URLSearchParams({
        grant_type: 'client_credentials', client_id: 'hub', client_secret: 'secret', scope: `${SCOPE_PREFIX}roster-core.readonly`,
      });
      const reply = await requestToken(base, body.toString(), '');
      expect(reply.body.scope).toBe(`${SCOPE_PREFIX}roster-core.readonly`);
      const narrow = reply.body.access_token;
      expect((await get(base, narrow, `${ROSTER}/users`)).status).toBe(200);
      const refused = await get(base, narrow, `${GRADEBOOK}/results`);
      expect([refused.status, codeMinor(refused.body)]).toEqual([403, 'forbidden']);
      expect((await get(base, narrow, `${ROSTER}/demographics`)).status).toBe(403);
    });

    it('refuses a wrong secret with invalid_client, and a grant other than client credentials', async () => {
      const wrong = await requestToken(base, 'grant_type=client_credentials', basic('hub', 'guess'));
      expect([wrong.status, wrong.body.error]).toEqual([401, 'invalid_client']);
      const password = await requestToken(base, 'grant_type=password&username=a&password=b');
      expect([password.status, password.body.error]).toEqual([400, 'unsupported_grant_type']);
      const scope = await requestToken(base, 'grant_type=client_credentials&scope=everything');
      expect([scope.status, scope.body.error]).toEqual([400, 'invalid_scope']);
    });

    it('refuses data requests without a token, with an unknown one and with an expired one, in the imsx envelope', async () => {
      const own = new OneRosterSimulator({ tokenTtlSeconds: 60 });
      const ownBase = await own.start();
      try {
        const fresh = await tokenFor(ownBase);
        for (const candidate of [undefined, 'not-a-token']) {
          const reply = await get(ownBase, candidate, `${ROSTER}/orgs`);
          expect(reply.status).toBe(401);
          expect(reply.body).toMatchObject({ imsx_codeMajor: 'failure', imsx_severity: 'error' });
          expect(reply.body.imsx_CodeMinor.imsx_codeMinorField).toEqual([
            { imsx_codeMinorFieldName: 'TargetEndSystemReference', imsx_codeMinorFieldValue: 'unauthorisedrequest' },
          ]);
        }
        expect((await get(ownBase, fresh, `${ROSTER}/orgs`)).status).toBe(200);
        own.clock.advance(60_000);
        expect((await get(ownBase, fresh, `${ROSTER}/orgs`)).status).toBe(401);
        expect((await get(ownBase, await tokenFor(ownBase), `${ROSTER}/orgs`)).status).toBe(200);
      } finally {
        await own.stop();
      }
    });
  });

  describe('endpoints', () => {
    it('wraps collections in the plural key and single records in the singular one, views included', async () => {
      const schools = await get(base, token, `${ROSTER}/schools`);
      expect(Object.keys(schools.body)).toEqual(['orgs']);
      const schoolId = schools.body.orgs[0].sourcedId;
      expect((await get(base, token, `${ROSTER}/schools/${schoolId}`)).body.org.sourcedId).toBe(schoolId);
      const students = await get(base, token, `${ROSTER}/students`);
      expect(Object.keys(students.body)).toEqual(['users']);
      expect(Object.keys((await get(base, token, `${ROSTER}/terms`)).body)).toEqual(['academicSessions']);
      const studentId = students.body.users[0].sourcedId;
      expect((await get(base, token, `${ROSTER}/users/${studentId}`)).body.user.sourcedId).toBe(studentId);
      expect((await get(base, token, `${ROSTER}/demographics/${studentId}`)).body.demographics.sourcedId).toBe(studentId);
      const result = simulator.records('results')[0];
      expect((await get(base, token, `${GRADEBOOK}/results/${result.sourcedId}`)).body).toEqual({ result });
    });

    it('answers 404 unknownobject for an unknown record, a record outside the view and an unknown endpoint', async () => {
      const district = simulator.records('orgs').find((o) => o.type === 'district')!;
      const teacher = simulator.records('teachers')[0];
      for (const path of [
        `${ROSTER}/users/no-such-user`,
        `${ROSTER}/schools/${district.sourcedId}`,
        `${ROSTER}/students/${teacher.sourcedId}`,
        `${ROSTER}/classes/no-such-class/students`,
        `${ROSTER}/timetables`,
      ]) {
        const reply = await get(base, token, path);
        expect([path, reply.status, codeMinor(reply.body)]).toEqual([path, 404, 'unknownobject']);
      }
    });

    it('lists what belongs to a school and to a class', async () => {
      const school = simulator.records('schools')[0];
      const classes = (await get(base, token, `${ROSTER}/schools/${school.sourcedId}/classes`, { limit: '500' })).body.classes;
      expect(sorted(ids(classes))).toEqual(sorted(ids(simulator.records('classes'))));

      const scheduled = simulator.records('classes').find((c) => c.classType === 'scheduled')!;
      const expectedStudents = simulator.records('enrollments')
        .filter((e: Json) => e.class.sourcedId === scheduled.sourcedId && e.role === 'student')
        .map((e: Json) => e.user.sourcedId);
      const students = (await get(base, token, `${ROSTER}/classes/${scheduled.sourcedId}/students`)).body.users;
      expect(sorted(ids(students))).toEqual(sorted(expectedStudents));

      const results = (await get(base, token, `${GRADEBOOK}/classes/${scheduled.sourcedId}/results`, { limit: '500' })).body.results;
      const lineItemsOfClass = new Set(ids(simulator.records('lineItems').filter((l: Json) => l.class.sourcedId === scheduled.sourcedId)));
      expect(results.length).toBeGreaterThan(0);
      expect(results.every((r: Json) => lineItemsOfClass.has(r.lineItem.sourcedId))).toBe(true);
      const terms = (await get(base, token, `${ROSTER}/schools/${school.sourcedId}/terms`)).body.academicSessions;
      expect(terms.map((t: Json) => t.title)).toEqual(['1 четверть', '2 четверть', '3 четверть', '4 четверть']);
    });

    it('serves absolute hrefs that lead to the referenced record', async () => {
      const enrollment = (await get(base, token, `${ROSTER}/enrollments`, { limit: '1' })).body.enrollments[0];
      expect(enrollment.user.href).toBe(`${base}${ROSTER}/users/${enrollment.user.sourcedId}`);
      const user = await fetch(enrollment.user.href, { headers: { authorization: `Bearer ${token}` } });
      expect(((await user.json()) as Json).user.sourcedId).toBe(enrollment.user.sourcedId);
    });
  });

  describe('paging', () => {
    it('covers every record exactly once by following Link next, with X-Total-Count on every page', async () => {
      const all = simulator.records('results');
      const seen: string[] = [];
      let next: string | undefined = `${base}${GRADEBOOK}/results?limit=37`;
      let pages = 0;
      while (next) {
        const response: Response = await fetch(next, { headers: { authorization: `Bearer ${token}` } });
        expect(response.headers.get('x-total-count')).toBe(String(all.length));
        const pageLinks = links(response.headers.get('link'));
        if (pages === 0) expect(Object.keys(pageLinks)).toEqual(['first', 'next', 'last']);
        seen.push(...ids(((await response.json()) as Json).results));
        next = pageLinks.next;
        if (!next) expect(Object.keys(pageLinks)).toEqual(['first', 'prev', 'last']);
        pages++;
      }
      expect(pages).toBe(Math.ceil(all.length / 37));
      expect(seen).toEqual(ids(all));
    });

    it('ends at a page that is exactly full, and answers an offset past the end with an empty page', async () => {
      const last = await get(base, token, `${ROSTER}/students`, { limit: '10', offset: '20' });
      expect(last.body.users).toHaveLength(10);
      expect(Object.keys(links(last.headers.get('link')))).toEqual(['first', 'prev', 'last']);
      expect(links(last.headers.get('link')).last).toContain('limit=10&offset=20');
      const beyond = await get(base, token, `${ROSTER}/students`, { limit: '10', offset: '90' });
      expect([beyond.status, beyond.body.users, beyond.headers.get('x-total-count')]).toEqual([200, [], '30']);
    });

    it('serves 100 records by default and clamps an oversized limit to maxPageSize', async () => {
      expect((await get(base, token, `${GRADEBOOK}/results`)).body.results).toHaveLength(100);
      const small = new OneRosterSimulator({ maxPageSize: 50 });
      const smallBase = await small.start();
      try {
        const reply = await get(smallBase, await tokenFor(smallBase), `${GRADEBOOK}/results`, { limit: '100000' });
        expect(reply.body.results).toHaveLength(50);
        expect(links(reply.headers.get('link')).next).toContain('limit=50&offset=50');
      } finally {
        await small.stop();
      }
    });

    it('answers each page from the data as it is when the page is asked for', async () => {
      const changing = new OneRosterSimulator();
      const changingBase = await changing.start();
      try {
        const changingToken = await tokenFor(changingBase);
        const page = async (offset: number, filter?: string) => (await get(changingBase, changingToken, `${ROSTER}/students`, {
          limit: '10', offset: String(offset), sort: 'familyName', ...(filter && { filter }),
        })).body.users.map((u: Json) => u.familyName);
        const first = await page(0);
        const watermark = changing.clock.now().toISOString();
        expect(await page(0, `dateLastModified>'${watermark}'`)).toEqual([]);
        // The first student on page one moves to the end of the order, and is the only one changed since.
        changing.clock.advance(1000);
        const moved = changing.records('students').find((u) => u.familyName === first[0])!;
        changing.update('students', moved.sourcedId as string, { familyName: 'Ящерицына' });
        const collator = new Intl.Collator('ru');
        const expected = changing.records('students').map((u) => u.familyName as string).sort(collator.compare);
        expect([...await page(0), ...await page(10), ...await page(20)]).toEqual(expected);
        expect(await page(0, `dateLastModified>'${watermark}'`)).toEqual(['Ящерицына']);
        // A class's students follow its enrollments, another collection.
        const enrollment = changing.records('enrollments').find((e) => e.role === 'student' && e.status === 'active') as Json;
        const classStudents = async () => ids((await get(changingBase, changingToken, `${ROSTER}/classes/${enrollment.class.sourcedId}/students`, { limit: '100' })).body.users);
        expect(await classStudents()).toContain(enrollment.user.sourcedId);
        changing.remove('enrollments', enrollment.sourcedId);
        expect(await classStudents()).not.toContain(enrollment.user.sourcedId);
      } finally {
        await changing.stop();
      }
    });

    it('refuses a limit below one and a malformed offset with invalid_data', async () => {
      for (const params of [{ limit: '0' }, { limit: '-1' }, { limit: 'ten' }, { offset: '-5' }] as Record<string, string>[]) {
        const reply = await get(base, token, `${ROSTER}/users`, params);
        expect([reply.status, codeMinor(reply.body)]).toEqual([400, 'invalid_data']);
      }
    });
  });

  describe('sort, fields and filter', () => {
    const list = async (path: string, params: Record<string, string>) => (await get(base, token, path, { limit: '500', ...params })).body;

    it('sorts by a field, ascending or descending, and keeps the default order for a field the entity lacks', async () => {
      const collator = new Intl.Collator('ru');
      const ascending = (await list(`${ROSTER}/students`, { sort: 'familyName' })).users.map((u: Json) => u.familyName);
      expect(ascending).toEqual([...ascending].sort(collator.compare));
      const descending = (await list(`${ROSTER}/students`, { sort: 'familyName', orderBy: 'desc' })).users.map((u: Json) => u.familyName);
      expect(descending).toEqual([...ascending].reverse());
      expect(ids((await list(`${ROSTER}/students`, { sort: 'shoeSize' })).users)).toEqual(ids(simulator.records('students')));
    });

    it('returns only the selected fields, and refuses an unknown one with invalid_selection_field', async () => {
      const users = (await list(`${ROSTER}/users`, { fields: 'sourcedId,familyName' })).users;
      expect(users.every((u: Json) => Object.keys(u).join() === 'sourcedId,familyName')).toBe(true);
      const refused = await get(base, token, `${ROSTER}/users`, { fields: 'sourcedId,shoeSize' });
      expect([refused.status, codeMinor(refused.body)]).toEqual([400, 'invalid_selection_field']);
      const one = await get(base, token, `${ROSTER}/users/${users[0].sourcedId}`, { fields: 'givenName' });
      expect(Object.keys(one.body.user)).toEqual(['givenName']);
    });

    it('filters with = != ~ and dotted paths into references, joined by AND or by OR', async () => {
      const enrollments = simulator.records('enrollments');
      const students = (await list(`${ROSTER}/enrollments`, { filter: "role='student'" })).enrollments;
      expect(ids(students)).toEqual(ids(enrollments.filter((e) => e.role === 'student')));

      const scheduled = simulator.records('classes').find((c) => c.classType === 'scheduled')!;
      const inClass = (await list(`${ROSTER}/enrollments`, { filter: `class.sourcedId='${scheduled.sourcedId}' AND role!='student'` })).enrollments;
      expect(inClass.length).toBeGreaterThan(0);
      expect(inClass.every((e: Json) => e.role === 'teacher' && e.class.sourcedId === scheduled.sourcedId)).toBe(true);

      const guardians = (await list(`${ROSTER}/users`, { filter: "roles.role='guardian' OR roles.role='parent'" })).users;
      expect(guardians.length).toBeGreaterThan(0);
      expect(guardians.every((u: Json) => ['guardian', 'parent'].includes(u.roles[0].role))).toBe(true);

      const math = (await list(`${ROSTER}/classes`, { filter: "title~'математика'" })).classes;
      expect(math.map((c: Json) => c.title).sort()).toEqual(['5А Математика', '6А Математика']);
    });

    it('compares dates as instants whatever their precision', async () => {
      const reply = await list(`${GRADEBOOK}/lineItems`, { filter: "assignDate>='2026-09-07' AND assignDate<'2026-09-08T00:00Z'" });
      expect(reply.lineItems.length).toBeGreaterThan(0);
      expect(reply.lineItems.every((l: Json) => l.assignDate.startsWith('2026-09-07'))).toBe(true);
    });

    it('refuses a filter it cannot read with invalid_filter_field', async () => {
      for (const filter of [
        "role='student' AND status='active' OR status='tobedeleted'",
        'role=student',
        "shoeSize='42'",
        "dateLastModified>'yesterday'",
        "role='student'AND status='active'",
      ]) {
        const reply = await get(base, token, `${ROSTER}/enrollments`, { filter });
        expect([filter, reply.status, codeMinor(reply.body)]).toEqual([filter, 400, 'invalid_filter_field']);
      }
    });
  });

  describe('incremental sync', () => {
    const changing = new OneRosterSimulator({ seed: 7 });
    let changingBase: string;
    let changingToken: string;
    const changedSince = async (collection: string, watermark: string, service = ROSTER) =>
      (await get(changingBase, changingToken, `${service}/${collection}`, { filter: `dateLastModified>'${watermark}'`, limit: '500' })).body;

    beforeAll(async () => {
      changingBase = await changing.start();
      changingToken = await tokenFor(changingBase);
    });
    afterAll(() => changing.stop());

    it('returns exactly the records changed after the watermark: updated, added and flagged tobedeleted', async () => {
      const watermark = changing.clock.now().toISOString();
      expect(watermark).toBe('2026-11-01T00:00:00.000Z');
      for (const [collection, service] of [['users', ROSTER], ['enrollments', ROSTER], ['results', GRADEBOOK]]) {
        expect(Object.values(await changedSince(collection, watermark, service))[0]).toEqual([]);
      }

      changing.clock.advance(60_000);
      const student = changing.records('students')[0];
      changing.update('students', student.sourcedId as string, { familyName: 'Новикова' });
      const enrollment = changing.records('enrollments')[5];
      changing.remove('enrollments', enrollment.sourcedId as string);
      const template = changing.records('results')[0] as Json;
      changing.add('results', { ...template, sourcedId: 'result-added-in-test', score: 2, textScore: '2+' });

      const users = (await changedSince('users', watermark)).users;
      expect(users.map((u: Json) => [u.sourcedId, u.familyName, u.dateLastModified])).toEqual([
        [student.sourcedId, 'Новикова', '2026-11-01T00:01:00.000Z'],
      ]);
      const enrollments = (await changedSince('enrollments', watermark)).enrollments;
      expect(enrollments.map((e: Json) => [e.sourcedId, e.status])).toEqual([[enrollment.sourcedId, 'tobedeleted']]);
      expect(ids((await changedSince('results', watermark, GRADEBOOK)).results)).toEqual(['result-added-in-test']);

      const tombstones = await get(changingBase, changingToken, `${ROSTER}/enrollments`, { filter: "status='tobedeleted'" });
      expect(ids(tombstones.body.enrollments)).toEqual([enrollment.sourcedId]);
      const later = changing.clock.now().toISOString();
      expect((await changedSince('users', later)).users).toEqual([]);
    });

    it('forgets a hard-removed record: a delta sync cannot see it, only a full listing misses it', async () => {
      const watermark = changing.clock.now().toISOString();
      changing.clock.advance(1000);
      const lineItem = changing.records('lineItems')[3];
      changing.removeHard('lineItems', lineItem.sourcedId as string);
      expect((await changedSince('lineItems', watermark, GRADEBOOK)).lineItems).toEqual([]);
      expect((await get(changingBase, changingToken, `${GRADEBOOK}/lineItems/${lineItem.sourcedId}`)).status).toBe(404);
      expect(ids(changing.records('lineItems'))).not.toContain(lineItem.sourcedId);
    });

    it('answers a dateLastModified bound as a scan of every record would, in the default order, through changes of every kind', async () => {
      const listing = async (filter: string) =>
        (await get(changingBase, changingToken, `${GRADEBOOK}/results`, { filter, limit: '10000' })).body.results as Json[];
      // Alone or joined by AND, a bound is answered from an index; the same bound twice, joined by OR, record by record.
      const answers = async (bound: string) => {
        const indexed = ids(await listing(bound));
        expect(indexed).toEqual(ids(await listing(`${bound} OR ${bound}`)));
        return indexed;
      };
      const start = changing.clock.now().toISOString();
      const results = changing.records('results');
      for (let i = 0; i < 6; i++) {
        changing.clock.advance(1000);
        changing.update('results', results[i * 7].sourcedId as string, { score: 3 });
      }
      changing.remove('results', results[7].sourcedId as string);
      changing.removeHard('results', results[14].sourcedId as string);
      changing.add('results', { ...(results[1] as Json), sourcedId: 'result-added-for-the-index', score: 4 });

      expect(await answers(`dateLastModified>'${start}'`)).toHaveLength(6);
      // One record was changed at the fourth second.
      const fourth = new Date(Date.parse(start) + 4000).toISOString();
      expect((await answers(`dateLastModified>='${fourth}'`)).length).toBe((await answers(`dateLastModified>'${fourth}'`)).length + 1);
      // Every record, in the default order (the first page of them: the page size is clamped).
      const all = await answers("dateLastModified>'2000-01-01'");
      expect(all.length).toBeGreaterThan(100);
      expect(all).toEqual(ids(changing.records('results')).slice(0, all.length));
      const student = (results[21] as Json).student.sourcedId;
      const everything = await listing(`dateLastModified>'2000-01-01' OR dateLastModified>'2000-01-01'`);
      expect(ids(await listing(`dateLastModified>'2000-01-01' AND student.sourcedId='${student}'`)))
        .toEqual(ids(everything.filter((r) => r.student.sourcedId === student)));
    });

    it('dates its answers by the clock that stamps its records', async () => {
      changing.clock.advance(90_000);
      const reply = await get(changingBase, changingToken, `${ROSTER}/users`, { limit: '1' });
      expect(reply.headers.get('date')).toBe(changing.clock.now().toUTCString());
    });

    it('hands out copies: changing what records() returned changes nothing', () => {
      const [user] = changing.records('users');
      user.familyName = 'Подменённая';
      expect(changing.records('users')[0].familyName).not.toBe('Подменённая');
    });
  });

  describe('faults', () => {
    const faulty = new OneRosterSimulator({ seed: 3 });
    let faultyBase: string;
    let faultyToken: string;
    const statuses = async (count: number) => {
      const result: number[] = [];
      for (let i = 0; i < count; i++) result.push((await get(faultyBase, faultyToken, `${ROSTER}/orgs`)).status);
      return result;
    };

    beforeAll(async () => {
      faultyBase = await faulty.start();
      faultyToken = await tokenFor(faultyBase);
    });
    afterEach(() => faulty.setFaults({}));
    afterAll(() => faulty.stop());

    it('answers a seeded share of data requests with 500, the same sequence every time', async () => {
      faulty.setFaults({ failureRate: 0.3 });
      const first = await statuses(100);
      const failures = first.filter((s) => s === 500).length;
      expect(failures).toBeGreaterThan(15);
      expect(failures).toBeLessThan(45);
      expect(first.every((s) => s === 200 || s === 500)).toBe(true);
      faulty.setFaults({ failureRate: 0.3 });
      expect(await statuses(100)).toEqual(first);
      const failed = await get(faultyBase, faultyToken, `${ROSTER}/orgs`);
      if (failed.status === 500) expect(codeMinor(failed.body)).toBe('internal_server_error');
      expect((await requestToken(faultyBase)).status).toBe(200);
    });

    it('throttles every Nth data request with 429, Retry-After: 1 and server_busy', async () => {
      faulty.setFaults({ throttleEvery: 3 });
      expect(await statuses(6)).toEqual([200, 200, 429, 200, 200, 429]);
      faulty.setFaults({ throttleEvery: 1 });
      const reply = await get(faultyBase, faultyToken, `${ROSTER}/orgs`);
      expect(reply.headers.get('retry-after')).toBe('1');
      expect(codeMinor(reply.body)).toBe('server_busy');
    });

    it('stops accepting a token after N uses, until a new one is fetched', async () => {
      faulty.setFaults({ expireTokensAfter: 2 });
      expect(await statuses(3)).toEqual([200, 200, 401]);
      faultyToken = await tokenFor(faultyBase);
      expect(await statuses(3)).toEqual([200, 200, 401]);
      faultyToken = await tokenFor(faultyBase);
    });

    it('serves the listed records broken but parseable, and only those', async () => {
      const [result, clean] = faulty.records('results');
      const user = faulty.records('users')[0];
      faulty.setFaults({ malformed: [result.sourcedId as string, user.sourcedId as string] });
      const page = (await get(faultyBase, faultyToken, `${GRADEBOOK}/results`, { limit: '2' })).body.results;
      expect(page[0]).toEqual({ ...result, score: 'abc' });
      expect(page[1]).toEqual(clean);
      const broken = (await get(faultyBase, faultyToken, `${ROSTER}/users/${user.sourcedId}`)).body.user;
      expect(broken.familyName).toBeUndefined();
      expect(broken.givenName).toBe(user.givenName);
      expect(faulty.records('results')[0]).toEqual(result);
    });

    it('resets every connection while down, and serves again once it is back', async () => {
      faulty.setFaults({ down: true });
      await expect(fetch(`${faultyBase}${ROSTER}/orgs`, { headers: { authorization: `Bearer ${faultyToken}` } })).rejects.toThrow();
      await expect(requestToken(faultyBase)).rejects.toThrow();
      expect(faulty.requests.at(-1)).toMatchObject({ path: '/token', status: 0 });
      faulty.setFaults({});
      expect((await get(faultyBase, faultyToken, `${ROSTER}/orgs`)).status).toBe(200);
    });

    it('adds latency to every response', async () => {
      faulty.setFaults({ latencyMs: 150 });
      const started = performance.now();
      await get(faultyBase, faultyToken, `${ROSTER}/orgs`);
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    });

    it('logs every request with its status and query', async () => {
      const before = faulty.requests.length;
      await get(faultyBase, faultyToken, `${ROSTER}/users`, { limit: '5', filter: "familyName~'ов'" });
      expect(faulty.requests.slice(before)).toEqual([
        { method: 'GET', path: `${ROSTER}/users`, status: 200, query: { limit: '5', filter: "familyName~'ов'" } },
      ]);
    });
  });

  describe('generated data', () => {
    it('is the same for the same seed and different for another', () => {
      const collections = ['orgs', 'academicSessions', 'courses', 'classes', 'users', 'enrollments', 'demographics', 'categories', 'lineItems', 'results', 'scoreScales'];
      const snapshot = (s: OneRosterSimulator) => collections.map((c) => s.records(c));
      expect(snapshot(new OneRosterSimulator({ seed: 1 }))).toEqual(snapshot(new OneRosterSimulator({ seed: 1 })));
      expect(snapshot(new OneRosterSimulator({ seed: 2 }))).not.toEqual(snapshot(new OneRosterSimulator({ seed: 1 })));
    });

    it('generates the default school in well under a second', () => {
      const started = performance.now();
      const generated = new OneRosterSimulator();
      expect(performance.now() - started).toBeLessThan(1000);
      expect(generated.records('results').length).toBeGreaterThan(300);
    });

    it('describes a Kogalym district with МАОУ СОШ schools and a school year of four quarters', () => {
      const data = new OneRosterSimulator({ schools: 2 });
      const orgs = data.records('orgs') as Json[];
      expect(orgs.map((o) => [o.type, o.name])).toEqual([
        ['district', 'Управление образования города Когалыма'], ['school', 'МАОУ СОШ №1'], ['school', 'МАОУ СОШ №2'],
      ]);
      expect(orgs[1].parent.sourcedId).toBe(orgs[0].sourcedId);
      const sessions = data.records('academicSessions') as Json[];
      const year = sessions.find((s) => s.type === 'schoolYear');
      expect(year).toMatchObject({ title: '2026/2027 учебный год', schoolYear: '2027', startDate: '2026-09-01' });
      const terms = data.records('terms') as Json[];
      expect(terms).toHaveLength(4);
      expect(terms.every((t) => t.parent.sourcedId === year.sourcedId)).toBe(true);
      expect(data.records('gradingPeriods').map((g: Json) => g.parent.sourcedId)).toEqual(ids(terms));
    });

    it('has courses per subject, homeroom classes «5А» and a scheduled class per subject with course, school and terms', () => {
      const data = new OneRosterSimulator();
      const courses = data.records('courses').map((c: Json) => c.title);
      expect(courses).toEqual(expect.arrayContaining(['Математика', 'Русский язык', 'Английский язык', 'Алгебра']));
      const classes = data.records('classes') as Json[];
      expect(classes.filter((c) => c.classType === 'homeroom').map((c) => c.title)).toEqual(['5А', '6А', '7А']);
      const scheduled = classes.filter((c) => c.classType === 'scheduled');
      expect(scheduled.map((c) => c.title)).toContain('7А Алгебра');
      expect(scheduled.every((c) => c.course.sourcedId && c.school.sourcedId && c.terms.length === 4 && c.grades.length === 1)).toBe(true);
    });

    it('names people the Russian way and links guardians and children through agents, both ways', () => {
      const data = new OneRosterSimulator();
      const users = new Map(data.records('users').map((u) => [u.sourcedId, u as Json]));
      const students = data.records('students') as Json[];
      expect(students).toHaveLength(30);
      for (const student of students) {
        expect(student).toMatchObject({ enabledUser: 'true', givenName: expect.any(String), familyName: expect.any(String) });
        expect(student.middleName).toMatch(/(вич|вна|ична|ич)$/);
        expect(student.agents.length).toBeGreaterThan(0);
        for (const agent of student.agents) {
          const guardian = users.get(agent.sourcedId);
          expect(['parent', 'guardian']).toContain(guardian.roles[0].role);
          expect(ids(guardian.agents)).toContain(student.sourcedId);
        }
      }
      expect(data.records('demographics').map((d) => d.sourcedId)).toEqual(ids(students));
    });

    it('records a mid-term class change with end and begin dates on the enrollments', () => {
      const data = new OneRosterSimulator({ classesPerGrade: 2 });
      const dated = data.records('enrollments') as Json[];
      const leaving = dated.filter((e) => e.endDate);
      const joining = dated.filter((e) => e.beginDate);
      expect(leaving.length).toBeGreaterThan(0);
      expect(new Set(leaving.map((e) => e.user.sourcedId))).toEqual(new Set(joining.map((e) => e.user.sourcedId)));
      expect(leaving.every((e) => e.endDate < joining[0].beginDate)).toBe(true);
    });

    it('grades on the five-point scale: weighted categories, line items in a term, results 1..5, «4-» and a few exempt', () => {
      const data = new OneRosterSimulator({ weeks: 10 });
      expect(data.records('categories').map((c: Json) => [c.title, c.weight])).toEqual([
        ['Ответ на уроке', 1], ['Контрольная работа', 2], ['Домашняя работа', 1],
      ]);
      const scale = data.records('scoreScales')[0] as Json;
      expect(scale.scoreScaleValue.map((v: Json) => v.itemValueLHS)).toEqual(['5', '4', '3', '2', '1']);
      const terms = new Map(data.records('terms').map((t: Json) => [t.sourcedId, t]));
      for (const lineItem of data.records('lineItems') as Json[]) {
        const term = terms.get(lineItem.academicSession.sourcedId);
        const day = lineItem.assignDate.slice(0, 10);
        expect(term.startDate <= day && day <= term.endDate).toBe(true);
        expect([1, 2, 3, 4, 5]).toContain(new Date(lineItem.assignDate).getUTCDay());
        expect(lineItem.dueDate >= lineItem.assignDate).toBe(true);
      }
      const results = data.records('results') as Json[];
      const graded = results.filter((r) => r.scoreStatus === 'fully graded');
      expect(graded.every((r) => [1, 2, 3, 4, 5].includes(r.score))).toBe(true);
      expect(graded.some((r) => /^[2-5][+-]$/.test(r.textScore))).toBe(true);
      const exempt = results.filter((r) => r.scoreStatus === 'exempt');
      expect(exempt.length).toBeGreaterThan(0);
      expect(exempt.length).toBeLessThan(results.length / 20);
      expect(results.every((r) => /^\d{4}-\d{2}-\d{2}$/.test(r.scoreDate))).toBe(true);
    });

    it('points every reference at a record that exists, and stamps nothing later than the clock', () => {
      const data = new OneRosterSimulator({ classesPerGrade: 2, weeks: 10 });
      const stored: Record<string, string> = {
        org: 'orgs', academicSession: 'academicSessions', course: 'courses', class: 'classes', user: 'users',
        category: 'categories', lineItem: 'lineItems', scoreScale: 'scoreScales',
      };
      const existing = new Map(Object.entries(stored).map(([type, collection]) => [type, new Set(ids(data.records(collection)))]));
      const now = data.clock.now().toISOString();
      const problems: string[] = [];
      for (const collection of [...Object.values(stored), 'enrollments', 'results', 'demographics']) {
        for (const record of data.records(collection) as Json[]) {
          if (record.dateLastModified > now) problems.push(`${collection} ${record.sourcedId} modified in the future`);
          for (const ref of refsIn(record)) {
            if (!existing.get(ref.type)?.has(ref.sourcedId)) problems.push(`${collection} ${record.sourcedId} → missing ${ref.type} ${ref.sourcedId}`);
          }
        }
      }
      expect(problems).toEqual([]);
    });
  });
});
