import { AdapterContext, createHttpClient } from '../../../adapters/contract';
import { keptLineItems } from '../../../adapters/oneroster/kept';
import { oneRosterRestAdapter } from '../../../adapters/oneroster/rest';
import { OneRosterSimulator } from '../../../adapters/oneroster/rest/simulator';
import { SyncEngine } from '../../../src/sync/engine';
import { Fixture } from '../../factories/fixture';
import { useTestDatabase } from '../../setup/database';

/** The simulator's records are whatever JSON a provider sends. */
type Json = any;

const ref = (record: Json, field: string): string | undefined => record?.[field]?.sourcedId;

/** What a correct sync of the simulator's current data for one school lands, table by table, from the provider's side. */
function expectedFrom(simulator: OneRosterSimulator, schoolId = simulator.records('schools')[0].sourcedId as string) {
  const active = (collection: string) => simulator.records(collection).filter((r: Json) => r.status === 'active') as Json[];
  const atSchool = (u: Json) => u.roles.some((r: Json) => ref(r, 'org') === schoolId);
  const classes = active('classes').filter((c) => ref(c, 'school') === schoolId);
  const homerooms = new Set(classes.filter((c) => c.classType === 'homeroom').map((c) => c.sourcedId));
  const scheduled = new Set(classes.filter((c) => c.classType !== 'homeroom').map((c) => c.sourcedId));
  const students = active('students').filter(atSchool);
  const guardians = active('users').filter((u) => atSchool(u) && u.roles.some((r: Json) => ['parent', 'guardian'].includes(r.role)));
  const links = new Set(students.flatMap((s) => s.agents.map((a: Json) => `${s.sourcedId}:${a.sourcedId}`)));
  const enrollments = active('enrollments').filter((e) => ref(e, 'school') === schoolId);
  return {
    academic_year: active('academicSessions').filter((s) => s.type === 'schoolYear').length,
    term: active('terms').length,
    staff: active('teachers').filter(atSchool).length,
    student: students.length,
    guardian: guardians.length,
    student_guardian: links.size,
    class_group: homerooms.size,
    course: scheduled.size,
    course_teacher: enrollments.filter((e) => e.role === 'teacher' && scheduled.has(ref(e, 'class'))).length,
    enrollment: enrollments.filter((e) => e.role === 'student' && homerooms.has(ref(e, 'class'))).length,
    lesson: active('lineItems').filter((l) => scheduled.has(ref(l, 'class'))).length,
    mark: active('results').filter((r) => r.scoreStatus !== 'exempt' && scheduled.has(ref(r, 'class'))).length,
  };
}

const TABLES = ['academic_year', 'term', 'staff', 'student', 'guardian', 'student_guardian', 'class_group', 'course', 'course_teacher', 'enrollment', 'lesson', 'mark'];

/** The columns that say what a row holds (not the hub's own ids), for comparing two schools synced from one source. */
const CONTENT: Record<string, string> = {
  academic_year: 'label, starts_on::text, ends_on::text',
  term: 'kind, number, name, starts_on::text',
  staff: 'last_name, first_name, middle_name, positions',
  student: 'last_name, first_name, middle_name, birth_date::text',
  guardian: 'last_name, first_name, middle_name',
  student_guardian: 'relation',
  class_group: 'name, term_kind',
  course: 'source_subject_name, subgroup',
  course_teacher: 'source_id AS same',
  enrollment: 'starts_on::text, ends_on::text',
  lesson: 'date::text, number, topic',
  mark: 'value, numeric_value, work_kind, weight, comment',
};

describe('OneRoster 1.2 REST adapter, through the sync engine', () => {
  const db = useTestDatabase();
  const simulator = new OneRosterSimulator();
  let base: string;
  let config: Record<string, string>;
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
  const newSchool = () => new Fixture(db.dataSource).school({ systemOfRecord: 'oneroster-rest' });
  const sync = (schoolId: string, cfg: Record<string, string> = config) => new SyncEngine(db.dataSource).run(schoolId, oneRosterRestAdapter, cfg);
  const quarantined = (schoolId: string) => q(`SELECT stream, source_id, field, reason FROM sync_quarantine WHERE school_id = $1 ORDER BY stream, source_id`, [schoolId]);

  beforeAll(async () => {
    base = await simulator.start();
    config = {
      baseUrl: base, tokenUrl: `${base}/token`, clientId: 'hub', clientSecret: 'secret',
      schoolSourcedId: simulator.records('schools')[0].sourcedId as string,
    };
    ctx = { http: createHttpClient({ attempts: 3, baseDelayMs: 50, maxDelayMs: 500, timeoutMs: 5000 }), signal: new AbortController().signal, log: () => {} };
  });
  afterAll(() => simulator.stop());
  afterEach(() => simulator.setFaults({}));

  it('lands a whole school on a first, full read', async () => {
    reference = await newSchool();
    const result = await sync(reference);
    expect(result).toMatchObject({ status: 'succeeded' });
    expect(await counts(reference)).toEqual(expectedFrom(simulator));
    expect(await quarantined(reference)).toEqual([]);
    for (const stream of ['students', 'enrollments', 'courses', 'lessons', 'marks'] as const) expect(result.counts[stream]).toMatchObject({ updated: 0, quarantined: 0 });

    // The school year and its quarters; «5А» with its class teacher; subjects matched to the municipality's list.
    expect(await q(`SELECT label, starts_on::text FROM academic_year WHERE school_id = $1`, [reference])).toEqual([{ label: '2026/2027', starts_on: '2026-09-01' }]);
    expect((await q(`SELECT kind, number FROM term WHERE school_id = $1 ORDER BY number`, [reference])).map((t: Json) => `${t.kind}${t.number}`))
      .toEqual(['quarter1', 'quarter2', 'quarter3', 'quarter4']);
    const groups = await q(`SELECT name, term_kind, homeroom_teacher_id IS NOT NULL AS has_teacher FROM class_group WHERE school_id = $1 ORDER BY name`, [reference]);
    expect(groups).toEqual(['5А', '6А', '7А'].map((name) => ({ name, term_kind: 'quarter', has_teacher: true })));
    const [algebra] = await q(
      `SELECT g.name, s.code FROM course c JOIN class_group g ON g.school_id = c.school_id AND g.id = c.class_group_id JOIN subject s ON s.id = c.subject_id
        WHERE c.school_id = $1 AND c.source_subject_name = 'Алгебра'`, [reference]);
    expect(algebra).toEqual({ name: '7А', code: 'algebra' });

    // A student's birth date from demographics; parents are mothers and fathers, an опекун is a legal guardian.
    const student = simulator.records('students')[0] as Json;
    const demographics = simulator.records('demographics').find((d) => d.sourcedId === student.sourcedId) as Json;
    expect(await q(`SELECT last_name, first_name, middle_name, birth_date::text FROM student WHERE school_id = $1 AND source_id = $2`, [reference, student.sourcedId]))
      .toEqual([{ last_name: student.familyName, first_name: student.givenName, middle_name: student.middleName, birth_date: demographics.birthDate }]);
    const users = new Map(simulator.records('users').map((u) => [u.sourcedId, u as Json]));
    for (const link of await q(`SELECT source_id, relation FROM student_guardian WHERE school_id = $1`, [reference])) {
      const guardian = users.get(link.source_id.split(':')[1]);
      const expected = guardian.roles[0].role === 'guardian' ? 'legal_guardian' : /(вна|чна)$/.test(guardian.middleName) ? 'mother' : 'father';
      expect([link.source_id, link.relation]).toEqual([link.source_id, expected]);
    }

    // Enrollments from the school year's start unless the provider says otherwise; the mid-term leaver's ends.
    const enrollments = await q(`SELECT starts_on::text, ends_on::text FROM enrollment WHERE school_id = $1`, [reference]);
    expect(enrollments.filter((e: Json) => e.starts_on !== '2026-09-01')).toEqual([]);
    expect(enrollments.filter((e: Json) => e.ends_on !== null).map((e: Json) => e.ends_on)).toEqual(['2026-09-18', '2026-09-18', '2026-09-18']);

    // A line item is a lesson on its school-local date; a result a mark with its kind, weight and value as written.
    const lineItem = simulator.records('lineItems')[0] as Json;
    const localDate = new Date(Date.parse(lineItem.assignDate) + 5 * 3600_000).toISOString().slice(0, 10);
    expect(await q(`SELECT date::text, number FROM lesson WHERE school_id = $1 AND source_id = $2`, [reference, lineItem.sourcedId])).toEqual([{ date: localDate, number: 1 }]);
    const signed = simulator.records('results').find((r: Json) => r.textScore && r.comment === undefined) as Json;
    const [mark] = await q(`SELECT value, numeric_value, work_kind, weight, entered_at FROM mark WHERE school_id = $1 AND source_id = $2`, [reference, signed.sourcedId]);
    expect(mark).toMatchObject({ value: signed.textScore, numeric_value: `${signed.score}.000` });
    expect(mark.entered_at.toISOString()).toBe(new Date(Date.parse(`${signed.scoreDate}T00:00:00+05:00`)).toISOString());
    const kinds = await q(`SELECT work_kind, weight::float AS weight, count(*)::int AS n FROM mark WHERE school_id = $1 GROUP BY 1, 2 ORDER BY 1`, [reference]);
    expect(kinds.map((k: Json) => [k.work_kind, k.weight])).toEqual([['class_answer', 1], ['control_work', 2], ['homework', 1]]);

    // The watermark is the latest change seen; settled, as the provider's clock (its Date header) was weeks past it.
    const latest = ['users', 'enrollments', 'lineItems', 'results', 'classes'].flatMap((c) => simulator.records(c).map((r) => r.dateLastModified as string)).sort().at(-1);
    expect(latest! < '2026-10-31').toBe(true);
    expect((await q(`SELECT state FROM sync_state WHERE school_id = $1`, [reference]))[0].state).toEqual({ watermark: latest, settled: true, lineItems: expect.any(Object) });
  });

  it('changes nothing when run again on an unchanged source, reading only what changed since the watermark', async () => {
    const before = simulator.requests.length;
    const again = await sync(reference);
    expect(again.status).toBe('succeeded');
    for (const [stream, c] of Object.entries(again.counts)) expect([stream, c.inserted, c.updated, c.quarantined]).toEqual([stream, 0, 0, 0]);
    const requests = simulator.requests.slice(before);
    const results = requests.filter((r) => r.path.endsWith('/results'));
    expect(results.map((r) => r.query.filter)).toEqual([expect.stringMatching(/^dateLastModified>'2026-/)]);
    expect(requests.some((r) => /\/classes\/[^/]+\/results$/.test(r.path))).toBe(false);
  });

  it('checkpoints a delta read of a few changes once, at its end', async () => {
    const [{ state }] = await q(`SELECT state FROM sync_state WHERE school_id = $1`, [reference]);
    const result = simulator.records('results').find((r: Json) => r.status === 'active' && r.scoreStatus !== 'exempt' && r.score !== 3) as Json;
    simulator.update('results', result.sourcedId, { score: 3, textScore: null });
    const out: Json[] = [];
    for await (const m of oneRosterRestAdapter.read(config, state, ctx)) out.push(m);
    expect(out.filter((m) => m.type === 'record' && m.stream === 'marks').map((m) => m.record.sourceId)).toEqual([result.sourcedId]);
    expect(out.filter((m) => m.type === 'checkpoint')).toEqual([out.at(-1)]);
    expect(out.at(-1).state).toEqual({ watermark: simulator.clock.now().toISOString(), lineItems: expect.any(Object) });
    // The reference school takes the change in, for the tests after this one.
    expect((await sync(reference)).counts.marks).toMatchObject({ updated: 1 });
  });

  it('completes with the same data when the provider fails 30 % of requests and throttles every 7th', async () => {
    simulator.setFaults({ failureRate: 0.3, throttleEvery: 7 });
    const before = simulator.requests.length;
    const schoolId = await newSchool();
    const result = await sync(schoolId);
    expect(result.status).toBe('succeeded');
    const statuses = simulator.requests.slice(before).map((r) => r.status);
    expect(statuses).toContain(500);
    expect(statuses).toContain(429);
    expect(await snapshot(schoolId)).toEqual(await snapshot(reference));
  }, 30_000);

  it('gets a new token when the provider stops accepting the old one, and goes on', async () => {
    simulator.setFaults({ expireTokensAfter: 3 });
    const before = simulator.requests.length;
    const schoolId = await newSchool();
    expect((await sync(schoolId)).status).toBe('succeeded');
    const requests = simulator.requests.slice(before);
    expect(requests.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(4);
    expect(requests.filter((r) => r.path === '/token').length).toBeGreaterThanOrEqual(5);
    expect(await snapshot(schoolId)).toEqual(await snapshot(reference));
  });

  it('quarantines malformed records with the reason while the rest lands', async () => {
    const student = simulator.records('students')[3] as Json;
    const result = simulator.records('results').find((r: Json) => r.scoreStatus !== 'exempt' && ref(r, 'student') !== student.sourcedId) as Json;
    simulator.setFaults({ malformed: [result.sourcedId, student.sourcedId] });
    const schoolId = await newSchool();
    expect((await sync(schoolId)).status).toBe('succeeded');
    const problems = await quarantined(schoolId);
    expect(problems).toEqual(expect.arrayContaining([
      { stream: 'marks', source_id: result.sourcedId, field: 'value', reason: expect.stringContaining('"abc" is not on the five_point scale') },
      { stream: 'students', source_id: student.sourcedId, field: 'lastName', reason: 'is empty' },
    ]));
    // Everything else that did not land refers to the student that could not.
    const rest = problems.filter((p: Json) => p.source_id !== result.sourcedId && p.source_id !== student.sourcedId);
    expect(rest.every((p: Json) => p.field === 'studentSourceId' && p.reason === `refers to an unknown student "${student.sourcedId}"`)).toBe(true);
    const expected = expectedFrom(simulator);
    const ofStudent = simulator.records('results').filter((r: Json) => r.scoreStatus !== 'exempt' && ref(r, 'student') === student.sourcedId).length;
    expect(await count('student', schoolId)).toBe(expected.student - 1);
    expect(await count('mark', schoolId)).toBe(expected.mark - 1 - ofStudent);
    expect(await count('lesson', schoolId)).toBe(expected.lesson);
  });

  it('picks up exactly a changed result on an incremental run, with the mark’s history', async () => {
    const result = simulator.records('results').find((r: Json) => r.scoreStatus !== 'exempt' && r.textScore) as Json;
    simulator.clock.advance(60_000);
    simulator.update('results', result.sourcedId, { score: 2, textScore: null });
    const run = await sync(reference);
    expect(run.status).toBe('succeeded');
    expect(run.counts.marks).toMatchObject({ inserted: 0, updated: 1, quarantined: 0 });
    for (const [stream, c] of Object.entries(run.counts)) if (stream !== 'marks') expect([stream, c.inserted + c.updated]).toEqual([stream, 0]);
    const [mark] = await q(`SELECT id, value, numeric_value FROM mark WHERE school_id = $1 AND source_id = $2`, [reference, result.sourcedId]);
    expect(mark).toMatchObject({ value: '2', numeric_value: '2.000' });
    const history = await q(`SELECT action, before->>'value' AS before, after->>'value' AS after, changed_via FROM mark_history WHERE school_id = $1 AND mark_id = $2 ORDER BY changed_at, action`, [reference, mark.id]);
    expect(history).toEqual([
      { action: 'created', before: null, after: result.textScore, changed_via: 'sync' },
      { action: 'changed', before: result.textScore, after: '2', changed_via: 'sync' },
    ]);
    expect((await q(`SELECT state FROM sync_state WHERE school_id = $1`, [reference]))[0].state).toEqual({ watermark: '2026-11-01T00:01:00.000Z', lineItems: expect.any(Object) });
  });

  it('reads again what is stamped at the watermark until the provider’s clock has passed it, and no longer', async () => {
    const resultFilters = (from: number) => simulator.requests.slice(from).filter((r) => r.path.endsWith('/results')).map((r) => r.query.filter);
    const [first, second] = simulator.records('results').filter((r: Json) => r.status === 'active' && r.scoreStatus !== 'exempt' && r.score !== 1) as Json[];
    // Two changes in the same instant, the second after a run has read the first: it is not lost.
    simulator.clock.advance(60_000);
    const stamp = simulator.clock.now().toISOString();
    simulator.update('results', first.sourcedId, { score: 1, textScore: null });
    let before = simulator.requests.length;
    expect((await sync(reference)).counts.marks).toMatchObject({ updated: 1 });
    expect((await q(`SELECT state FROM sync_state WHERE school_id = $1`, [reference]))[0].state).toEqual({ watermark: stamp, lineItems: expect.any(Object) });
    simulator.update('results', second.sourcedId, { score: 1, textScore: null });
    before = simulator.requests.length;
    expect((await sync(reference)).counts.marks).toMatchObject({ updated: 1, unchanged: 1 });
    expect(resultFilters(before)).toEqual([`dateLastModified>='${stamp}'`]);
    expect(await q(`SELECT value FROM mark WHERE school_id = $1 AND source_id = ANY($2)`, [reference, [first.sourcedId, second.sourcedId]])).toEqual([{ value: '1' }, { value: '1' }]);

    // Read once more after the provider's clock has moved past the margin; from then on, only what is newer.
    simulator.clock.advance(10 * 60_000);
    expect((await sync(reference)).counts.marks).toMatchObject({ updated: 0, unchanged: 2 });
    expect((await q(`SELECT state FROM sync_state WHERE school_id = $1`, [reference]))[0].state).toEqual({ watermark: stamp, settled: true, lineItems: expect.any(Object) });
    before = simulator.requests.length;
    const quiet = await sync(reference);
    expect(quiet.counts.marks).toBeUndefined();
    expect(resultFilters(before)).toEqual([`dateLastModified>'${stamp}'`]);
  });

  /** Listings of the school's line items not limited to what changed, and line items looked up one by one, since `from`. */
  const lineItemReadsBeyondChanges = (from: number) => simulator.requests.slice(from)
    .filter((r) => /\/lineItems(\/[^/]+)?$/.test(r.path) && !/^\/ims\/oneroster\/gradebook\/v1p2\/classes\//.test(r.path) && !/dateLastModified/.test(r.query.filter ?? ''));
  /** What the state keeps of the school's line items, as [sourcedId, class, category], sorted. */
  const keptOf = async (schoolId: string) => {
    const [{ state }] = await q(`SELECT state FROM sync_state WHERE school_id = $1`, [schoolId]);
    return keptLineItems(state.lineItems)!.map((i) => [i.sourcedId, ref(i, 'class'), ref(i, 'category')]).sort();
  };
  const lineItemsOfSchool = () => (simulator.records('lineItems') as Json[])
    .filter((l) => ref(l, 'school') === config.schoolSourcedId).map((l) => [l.sourcedId, ref(l, 'class'), ref(l, 'category')]).sort();

  it('finds the line items of many changed results in what it kept, listing none, and keeps kinds and weights', async () => {
    const kinds = () => q(`SELECT source_id, work_kind, weight::float AS weight FROM mark WHERE school_id = $1 ORDER BY source_id`, [reference]);
    const before = await kinds();
    expect(await keptOf(reference)).toEqual(lineItemsOfSchool());
    // One result of each of 120 line items: more than the adapter would look up one by one.
    const marked = (simulator.records('results') as Json[]).filter((r) => r.status === 'active' && r.scoreStatus !== 'exempt' && r.score !== 2);
    const changed = [...new Map(marked.map((r) => [ref(r, 'lineItem'), r])).values()].slice(0, 120);
    expect(changed).toHaveLength(120);
    simulator.clock.advance(60_000);
    for (const r of changed) simulator.update('results', r.sourcedId, { score: 2, textScore: null });
    const from = simulator.requests.length;
    expect((await sync(reference)).counts.marks).toMatchObject({ updated: 120, quarantined: 0 });
    expect(lineItemReadsBeyondChanges(from)).toEqual([]);
    expect(await kinds()).toEqual(before);
  });

  it('keeps a line item moved to another category, so that its next changed mark takes the new kind', async () => {
    const markOf = async (result: Json) => (await q(`SELECT work_kind, weight::float AS weight FROM mark WHERE school_id = $1 AND source_id = $2`, [reference, result.sourcedId]))[0];
    const results = (simulator.records('results') as Json[]).filter((r) => r.status === 'active' && r.scoreStatus !== 'exempt' && typeof r.score === 'number');
    const lineItems = new Map((simulator.records('lineItems') as Json[]).map((l) => [l.sourcedId, l]));
    const categoryOf = (r: Json) => ref(lineItems.get(ref(r, 'lineItem')!), 'category');
    const moved = results[0];
    const before = await markOf(moved);
    // A result of a line item in a category with another kind or weight: its mark is what the moved one's becomes.
    let other: Json;
    for (const r of results.filter((r) => categoryOf(r) !== categoryOf(moved))) if (JSON.stringify(await markOf(r)) !== JSON.stringify(before) && (other = r)) break;
    const target = await markOf(other);
    expect(target).not.toEqual(before);

    simulator.clock.advance(60_000);
    simulator.update('lineItems', ref(moved, 'lineItem')!, { category: lineItems.get(ref(other, 'lineItem')!).category });
    expect((await sync(reference)).counts.lessons).toMatchObject({ updated: expect.any(Number) });
    expect(await keptOf(reference)).toEqual(lineItemsOfSchool());

    simulator.clock.advance(60_000);
    simulator.update('results', moved.sourcedId, { score: moved.score === 1 ? 2 : 1, textScore: null });
    const from = simulator.requests.length;
    expect((await sync(reference)).counts.marks).toMatchObject({ updated: 1 });
    expect(lineItemReadsBeyondChanges(from)).toEqual([]);
    expect(await markOf(moved)).toEqual(target);
  });

  it('reads on from a state saved before line items were kept: lists them once with only what marks need, then keeps them', async () => {
    const [{ state }] = await q(`SELECT state FROM sync_state WHERE school_id = $1`, [reference]);
    const { lineItems, ...older } = state;
    expect(lineItems).toBeDefined();
    await q(`DELETE FROM sync_state_part WHERE school_id = $1 AND part = 'lineItems'`, [reference]);
    expect((await q(`SELECT state FROM sync_state WHERE school_id = $1`, [reference]))[0].state).toEqual(older);
    const [first, second] = (simulator.records('results') as Json[]).filter((r) => r.status === 'active' && r.scoreStatus !== 'exempt' && r.score !== 4);
    const kindBefore = (await q(`SELECT work_kind FROM mark WHERE school_id = $1 AND source_id = $2`, [reference, first.sourcedId]))[0];

    simulator.clock.advance(60_000);
    simulator.update('results', first.sourcedId, { score: 4, textScore: null });
    let from = simulator.requests.length;
    expect((await sync(reference)).counts.marks).toMatchObject({ updated: 1, quarantined: 0 });
    expect(lineItemReadsBeyondChanges(from).map((r) => r.query.fields)).toEqual(['sourcedId,class,category']);
    expect((await q(`SELECT work_kind FROM mark WHERE school_id = $1 AND source_id = $2`, [reference, first.sourcedId]))[0]).toEqual(kindBefore);
    expect(await keptOf(reference)).toEqual(lineItemsOfSchool());

    simulator.clock.advance(60_000);
    simulator.update('results', second.sourcedId, { score: 4, textScore: null });
    from = simulator.requests.length;
    expect((await sync(reference)).counts.marks).toMatchObject({ updated: 1 });
    expect(lineItemReadsBeyondChanges(from)).toEqual([]);
  });

  it('reports a result flagged tobedeleted as a deletion, once', async () => {
    const result = simulator.records('results').find((r: Json) => r.status === 'active' && r.scoreStatus !== 'exempt' && !r.textScore) as Json;
    simulator.clock.advance(60_000);
    simulator.remove('results', result.sourcedId);
    expect((await sync(reference)).status).toBe('succeeded');
    const deletions = () => q(`SELECT stream, source_id FROM sync_deletion WHERE school_id = $1`, [reference]);
    expect(await deletions()).toEqual([{ stream: 'marks', source_id: result.sourcedId }]);
    await sync(reference);
    expect(await deletions()).toHaveLength(1);
  });

  it('picks up changed people: a new name, a new birth date, a new parent, and a student flagged tobedeleted with the links', async () => {
    const [renamed, born, adopted, leaving] = simulator.records('students') as Json[];
    simulator.clock.advance(60_000);
    simulator.update('students', renamed.sourcedId, { familyName: 'Новикова' });
    simulator.update('demographics', born.sourcedId, { birthDate: '2014-12-31' });
    const userRef = (id: string) => ({ href: `/ims/oneroster/rostering/v1p2/users/${id}`, sourcedId: id, type: 'user' });
    simulator.add('users', {
      sourcedId: 'new-parent', enabledUser: 'true', givenName: 'Алсу', familyName: 'Сафина', middleName: 'Ринатовна',
      roles: [{ roleType: 'primary', role: 'parent', org: adopted.roles[0].org }], agents: [userRef(adopted.sourcedId)],
    });
    simulator.update('students', adopted.sourcedId, { agents: [...adopted.agents, userRef('new-parent')] });
    simulator.remove('students', leaving.sourcedId);

    const run = await sync(reference);
    expect(run.status).toBe('succeeded');
    expect(run.counts.students).toMatchObject({ inserted: 0, updated: 3, quarantined: 0 });
    expect(run.counts.guardians).toMatchObject({ inserted: 1, quarantined: 0 });
    expect(run.counts.studentGuardians).toMatchObject({ inserted: 1, quarantined: 0 });
    const student = (id: string) => q(`SELECT last_name, birth_date::text FROM student WHERE school_id = $1 AND source_id = $2`, [reference, id]);
    expect((await student(renamed.sourcedId))[0].last_name).toBe('Новикова');
    expect((await student(born.sourcedId))[0].birth_date).toBe('2014-12-31');
    expect(await q(`SELECT relation FROM student_guardian WHERE school_id = $1 AND source_id = $2`, [reference, `${adopted.sourcedId}:new-parent`]))
      .toEqual([{ relation: 'mother' }]);
    const deletions = await q(`SELECT stream, source_id FROM sync_deletion WHERE school_id = $1 AND stream <> 'marks' ORDER BY stream, source_id`, [reference]);
    expect(deletions).toEqual([
      ...leaving.agents.map((a: Json) => ({ stream: 'studentGuardians', source_id: `${leaving.sourcedId}:${a.sourcedId}` })).sort((a: Json, b: Json) => a.source_id.localeCompare(b.source_id)),
      { stream: 'students', source_id: leaving.sourcedId },
    ]);
  });

  it('dates a lesson by the school’s clock and renumbers the day’s lessons when one comes earlier', async () => {
    // A line item at 20:30 UTC on 7 September is at 01:30 on the 8th in Kogalym (UTC+5).
    const onThe8th = simulator.records('lineItems').filter((l: Json) => l.assignDate.startsWith('2026-09-08')) as Json[];
    const template = onThe8th[0];
    const sameDay = onThe8th.filter((l) => ref(l, 'class') === ref(template, 'class'));
    simulator.clock.advance(60_000);
    simulator.add('lineItems', { ...template, sourcedId: 'night-line-item', assignDate: '2026-09-07T20:30:00.000Z', title: 'Самостоятельная работа' });
    const run = await sync(reference);
    expect(run.counts.lessons).toMatchObject({ inserted: 1, updated: sameDay.length, quarantined: 0 });
    const lessons = await q(`SELECT source_id, date::text, number, topic FROM lesson WHERE school_id = $1 AND source_id = ANY($2) ORDER BY number`,
      [reference, ['night-line-item', ...sameDay.map((l) => l.sourcedId)]]);
    expect(lessons[0]).toEqual({ source_id: 'night-line-item', date: '2026-09-08', number: 1, topic: 'Самостоятельная работа' });
    expect(lessons.map((l: Json) => l.number)).toEqual(lessons.map((_: Json, i: number) => i + 1));
  });

  it('ends the run with a config error in plain words when the credentials are refused', async () => {
    const schoolId = await newSchool();
    const run = await sync(schoolId, { ...config, clientSecret: 'wrong' });
    expect(run).toMatchObject({ status: 'failed', error: { kind: 'config', message: expect.stringContaining('refused the client ID or the client secret') } });
    expect(await q(`SELECT status, error_kind FROM sync_run WHERE school_id = $1`, [schoolId])).toEqual([{ status: 'failed', error_kind: 'config' }]);
    const unknown = await sync(schoolId, { ...config, schoolSourcedId: 'no-such-school' });
    expect(unknown).toMatchObject({ status: 'failed', error: { kind: 'config', message: expect.stringContaining('no school with sourcedId "no-such-school"') } });
  });

  it('checks the connection and says what is wrong', async () => {
    expect(await oneRosterRestAdapter.check(config, ctx)).toEqual({ ok: true, problems: [] });
    const wrong = await oneRosterRestAdapter.check({ ...config, clientSecret: 'guess' }, ctx);
    expect(wrong).toEqual({ ok: false, problems: [expect.stringContaining('refused the client ID or the client secret')] });
    const school = await oneRosterRestAdapter.check({ ...config, schoolSourcedId: 'no-such-school' }, ctx);
    expect(school.problems).toEqual([expect.stringMatching(/no school with sourcedId "no-such-school".*МАОУ СОШ №1/)]);
    const token = await oneRosterRestAdapter.check({ ...config, tokenUrl: `${base}/oauth/nothing-here` }, ctx);
    expect(token.problems).toEqual([expect.stringContaining('does not answer like an OAuth 2.0 token address')]);
    const empty = await oneRosterRestAdapter.check({ baseUrl: 'not a url', timeZone: 'Mars/Olympus' }, ctx);
    expect(empty.ok).toBe(false);
    expect(empty.problems.join(' ')).toMatch(/baseUrl.*tokenUrl.*clientId.*clientSecret.*schoolSourcedId.*Mars\/Olympus/);
  });

  it('reads only its own school from a provider that serves several, class by class', async () => {
    const district = new OneRosterSimulator({ schools: 2, grades: [5, 6], weeks: 1, seed: 5 });
    const districtBase = await district.start();
    try {
      const second = district.records('schools')[1].sourcedId as string;
      const schoolId = await newSchool();
      const run = await sync(schoolId, { ...config, baseUrl: districtBase, tokenUrl: `${districtBase}/token`, schoolSourcedId: second });
      expect(run.status).toBe('succeeded');
      expect(await counts(schoolId)).toEqual(expectedFrom(district, second));
      expect(await quarantined(schoolId)).toEqual([]);
      expect(district.requests.filter((r) => /\/classes\/[^/]+\/results$/.test(r.path))).toHaveLength(expectedFrom(district, second).course);
    } finally {
      await district.stop();
    }
  });

  it('discovers the provider’s schools', async () => {
    const { schoolSourcedId: _, ...withoutSchool } = config;
    expect(await oneRosterRestAdapter.discoverSchools(withoutSchool, ctx)).toEqual([{ sourceId: config.schoolSourcedId, name: 'МАОУ СОШ №1' }]);
  });

  it('declares its configuration and streams', () => {
    const { manifest } = oneRosterRestAdapter;
    expect(manifest.id).toBe('oneroster-rest');
    expect(manifest.config.find((f) => f.name === 'clientSecret')).toMatchObject({ secret: true, required: true });
    expect(manifest.config.find((f) => f.name === 'timeZone')).toMatchObject({ default: 'Asia/Yekaterinburg', required: false });
    expect(manifest.capabilities.incremental.every((s) => manifest.capabilities.streams.includes(s))).toBe(true);
  });
});
