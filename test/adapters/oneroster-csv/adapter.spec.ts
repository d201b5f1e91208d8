import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AdapterContext, AdapterMessage, createHttpClient } from '../../../adapters/contract';
import { oneRosterCsvAdapter } from '../../../adapters/oneroster/csv';
import { OneRosterCsvExporter } from '../../../adapters/oneroster/csv/simulator';
import { oneRosterRestAdapter } from '../../../adapters/oneroster/rest';
import { OneRosterSimulator } from '../../../adapters/oneroster/rest/simulator';
import { SyncEngine } from '../../../src/sync/engine';
import { Fixture } from '../../factories/fixture';
import { useTestDatabase } from '../../setup/database';

/** Generated OneRoster records are whatever JSON a vendor has. */
type Json = any;

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

const OPTIONS = { grades: [5, 6], classesPerGrade: 2, studentsPerClass: 6, weeks: 2, seed: 7 };

describe('OneRoster 1.2 CSV adapter, through the sync engine', () => {
  const db = useTestDatabase();
  let dir: string;
  let ctx: AdapterContext;

  const q = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params);
  const count = async (table: string, schoolId: string) => Number((await q(`SELECT count(*) AS n FROM ${table} WHERE school_id = $1`, [schoolId]))[0].n);
  const snapshot = async (schoolId: string) => {
    const out: Record<string, unknown[]> = {};
    for (const t of TABLES) out[t] = await q(`SELECT source_id, ${CONTENT[t]} FROM ${t} WHERE school_id = $1 ORDER BY source_id`, [schoolId]);
    return out;
  };
  const newSchool = (system = 'oneroster-csv') => new Fixture(db.dataSource).school({ systemOfRecord: system });
  const sync = (schoolId: string, config: Record<string, string>) => new SyncEngine(db.dataSource).run(schoolId, oneRosterCsvAdapter, config);
  const quarantined = (schoolId: string) => q(`SELECT stream, source_id, field, reason, payload->>'origin' AS origin FROM sync_quarantine WHERE school_id = $1 ORDER BY stream, source_id`, [schoolId]);
  const state = async (schoolId: string) => (await q(`SELECT state FROM sync_state WHERE school_id = $1`, [schoolId]))[0]?.state;
  const messages = async (config: Record<string, string>, saved: Json = null) => {
    const out: AdapterMessage[] = [];
    for await (const m of oneRosterCsvAdapter.read(config, saved, ctx)) out.push(m);
    return out;
  };
  const write = (file: string, text: string) => fs.writeFileSync(file, text);

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oneroster-csv-'));
    ctx = { http: createHttpClient(), signal: new AbortController().signal, log: () => {} };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lands the same rows as the REST adapter does from the same data', async () => {
    const simulator = new OneRosterSimulator(OPTIONS);
    const base = await simulator.start();
    try {
      const restSchool = await newSchool('oneroster-rest');
      const rest = await new SyncEngine(db.dataSource).run(restSchool, oneRosterRestAdapter, {
        baseUrl: base, tokenUrl: `${base}/token`, clientId: 'hub', clientSecret: 'secret', schoolSourcedId: simulator.records('schools')[0].sourcedId as string,
      });
      expect(rest.status).toBe('succeeded');
      for (const target of [path.join(dir, 'same-folder'), path.join(dir, 'same.zip')]) {
        const exported = await new OneRosterCsvExporter(OPTIONS).write(target, 'bulk');
        const csvSchool = await newSchool();
        const run = await sync(csvSchool, { path: exported });
        expect(run).toMatchObject({ status: 'succeeded' });
        expect(await quarantined(csvSchool)).toEqual([]);
        const csv = await snapshot(csvSchool);
        expect(csv).toEqual(await snapshot(restSchool));
        for (const t of TABLES) expect([t, csv[t].length > 0]).toEqual([t, true]);
      }
    } finally {
      await simulator.stop();
    }
  });

  it('yields every stream complete from a bulk export, and the export as applied in the last checkpoint', async () => {
    const target = await new OneRosterCsvExporter(OPTIONS).write(path.join(dir, 'complete'), 'bulk');
    const out = await messages({ path: target });
    const complete = out.filter((m) => m.type === 'complete').map((m) => (m as Json).stream).sort();
    expect(complete).toEqual(['academicYears', 'classGroups', 'courseTeachers', 'courses', 'enrollments', 'guardians', 'lessons', 'marks', 'staff', 'studentGuardians', 'students', 'terms']);
    const last = out.filter((m) => m.type === 'checkpoint').at(-1) as Json;
    expect(last.state).toMatchObject({ applied: expect.any(String), progress: null });
    // The same export again: nothing is read, nothing yielded but a word of progress.
    const again = await messages({ path: target }, last.state);
    expect(again.map((m) => m.type)).toEqual(['progress']);
  });

  it('applies a delta export on top of the bulk one: changes, additions and tombstones, once', async () => {
    const vendor = new OneRosterCsvExporter(OPTIONS);
    const target = path.join(dir, 'delta.zip');
    const schoolId = await newSchool();
    await vendor.write(target, 'bulk');
    expect((await sync(schoolId, { path: target })).status).toBe('succeeded');
    const marksBefore = await count('mark', schoolId);
    expect(await state(schoolId)).toMatchObject({ applied: expect.any(String), progress: null, index: { schoolId: expect.any(String) } });

    const results = vendor.records('results').filter((r: Json) => r.scoreStatus !== 'exempt') as Json[];
    const [changed, removed] = results;
    const [renamed, leaving] = vendor.records('users').filter((u: Json) => u.roles[0].role === 'student') as Json[];
    const enrollment = vendor.records('enrollments').find((e: Json) => e.role === 'student' && e.user.sourcedId !== leaving.sourcedId) as Json;
    vendor.clock.advance(60_000);
    vendor.update('results', changed.sourcedId, { score: 2, textScore: null });
    vendor.remove('results', removed.sourcedId);
    vendor.update('users', renamed.sourcedId, { familyName: 'Новикова-Петрова' });
    vendor.remove('users', leaving.sourcedId);
    vendor.remove('enrollments', enrollment.sourcedId);
    vendor.add('results', { ...changed, sourcedId: 'added-result', score: 5, textScore: undefined, comment: 'Отлично, с запятой, и "кавычками"' });
    await vendor.write(target, 'delta');

    const run = await sync(schoolId, { path: target });
    expect(run.status).toBe('succeeded');
    expect(run.counts.marks).toMatchObject({ inserted: 1, updated: 1, quarantined: 0 });
    expect(run.counts.students).toMatchObject({ inserted: 0, updated: 1, quarantined: 0 });
    expect(run.counts.lessons ?? { inserted: 0, updated: 0 }).toMatchObject({ inserted: 0, updated: 0 });
    expect(await q(`SELECT value, comment FROM mark WHERE school_id = $1 AND source_id = ANY($2) ORDER BY value`, [schoolId, [changed.sourcedId, 'added-result']]))
      .toEqual([{ value: '2', comment: changed.comment ?? null }, { value: '5', comment: 'Отлично, с запятой, и "кавычками"' }]);
    expect((await q(`SELECT last_name FROM student WHERE school_id = $1 AND source_id = $2`, [schoolId, renamed.sourcedId]))[0].last_name).toBe('Новикова-Петрова');
    // One mark added, one removed (with its history); the leaving student is kept, marked deleted in source.
    expect(await count('mark', schoolId)).toBe(marksBefore);
    expect(run.counts.marks).toMatchObject({ deleted: 1 });
    expect(await q(`SELECT deleted_in_source_at IS NOT NULL AS deleted FROM student WHERE school_id = $1 AND source_id = $2`, [schoolId, leaving.sourcedId])).toEqual([{ deleted: true }]);
    const deletions = () => q(`SELECT stream, source_id FROM sync_deletion WHERE school_id = $1 ORDER BY stream, source_id`, [schoolId]);
    expect(await deletions()).toEqual(expect.arrayContaining([
      { stream: 'marks', source_id: removed.sourcedId },
      { stream: 'students', source_id: leaving.sourcedId },
      { stream: 'enrollments', source_id: enrollment.sourcedId },
      ...leaving.agents.map((a: Json) => ({ stream: 'studentGuardians', source_id: `${leaving.sourcedId}:${a.sourcedId}` })),
    ]));
    // The applied export is not applied again.
    const deleted = (await deletions()).length;
    const again = await sync(schoolId, { path: target });
    for (const [stream, c] of Object.entries(again.counts)) expect([stream, c.inserted + c.updated]).toEqual([stream, 0]);
    expect(await deletions()).toHaveLength(deleted);

    // A later bulk export is the whole picture again: a full sync of it into another school lands the same rows.
    vendor.clock.advance(60_000);
    vendor.update('results', results[5].sourcedId, { score: 3 });
    await vendor.write(target, 'bulk');
    expect((await sync(schoolId, { path: target })).status).toBe('succeeded');
    const fresh = await newSchool();
    expect((await sync(fresh, { path: target })).status).toBe('succeeded');
    const [a, b] = [await snapshot(schoolId), await snapshot(fresh)];
    // Rows deleted in source stay in the first school until deletions are applied by the engine; the rest is equal.
    for (const t of TABLES) {
      const present = new Set((b[t] as Json[]).map((r) => r.source_id));
      expect([t, (a[t] as Json[]).filter((r) => present.has(r.source_id))]).toEqual([t, b[t]]);
    }
  });

  it('saves its state only after a thousand records: once for a small delta, not per thousand rows of other schools', async () => {
    // Records before each checkpoint since the one before, but the last (it ends the run, whatever came before it).
    const between = (out: AdapterMessage[]) => out.reduce<number[]>((runs, m) => {
      if (m.type === 'checkpoint') runs.push(0);
      else if (m.type === 'record' || m.type === 'deleted') runs[runs.length - 1]++;
      return runs;
    }, [0]).slice(0, -2);
    const vendor = new OneRosterCsvExporter({ ...OPTIONS, schools: 3, studentsPerClass: 15, weeks: 10 });
    const school = vendor.records('orgs').find((o: Json) => o.type === 'school' && o.name.endsWith('№2')) as Json;
    const target = await vendor.write(path.join(dir, 'paced.zip'), 'bulk');
    const config = { path: target, schoolSourcedId: school.sourcedId };
    const bulk = await messages(config);
    expect(bulk.filter((m) => m.type === 'record' && m.stream === 'marks').length).toBeGreaterThan(2000);
    expect(between(bulk).length).toBeGreaterThan(1);
    expect(between(bulk).every((n) => n >= 1000)).toBe(true);

    const saved = (bulk.filter((m) => m.type === 'checkpoint').at(-1) as Json).state;
    vendor.clock.advance(60_000);
    const classes = new Set(vendor.records('classes').filter((c: Json) => c.school.sourcedId === school.sourcedId).map((c: Json) => c.sourcedId));
    const [a, b] = vendor.records('results').filter((r: Json) => r.scoreStatus !== 'exempt' && classes.has(r.class.sourcedId)) as Json[];
    vendor.update('results', a.sourcedId, { score: 1 });
    vendor.update('results', b.sourcedId, { score: 1 });
    await vendor.write(target, 'delta');
    const delta = await messages(config, saved);
    expect(delta.filter((m) => m.type === 'record' && m.stream === 'marks')).toHaveLength(2);
    expect(delta.filter((m) => m.type === 'checkpoint')).toHaveLength(1);
    expect(delta.at(-1)).toMatchObject({ type: 'checkpoint', state: { applied: expect.any(String), progress: null } });
  });

  it('renumbers from a delta export only the days of its changed line items, and keeps the line items no row changed as they were saved', async () => {
    const vendor = new OneRosterCsvExporter(OPTIONS);
    const target = path.join(dir, 'days.zip');
    const config = { path: target };
    await vendor.write(target, 'bulk');
    const bulk = await messages(config);
    const saved = (bulk.at(-1) as Json).state;
    const lessons = (out: AdapterMessage[]) => out.filter((m) => m.type === 'record' && m.stream === 'lessons').map((m) => (m as Json).record);

    // A delta with no line item changed yields no lesson and keeps the saved line items as they were.
    vendor.clock.advance(60_000);
    const [mark] = vendor.records('results').filter((r: Json) => r.scoreStatus !== 'exempt') as Json[];
    vendor.update('results', mark.sourcedId, { score: 1, textScore: null });
    await vendor.write(target, 'delta');
    const quiet = await messages(config, saved);
    expect(lessons(quiet)).toEqual([]);
    const after = (quiet.at(-1) as Json).state;
    expect(after.index.lineItems).toEqual(saved.index.lineItems);

    // A line item added before the first lesson of a day renumbers that day's lessons, and no other day's.
    const day = (lesson: Json) => `${lesson.courseSourceId}|${lesson.date}`;
    const first = lessons(bulk).find((l: Json) => l.number === 1) as Json;
    const item = vendor.records('lineItems').find((i: Json) => i.sourcedId === first.sourceId) as Json;
    const sameDay = lessons(bulk).filter((l: Json) => day(l) === day(first));
    vendor.clock.advance(60_000);
    vendor.add('lineItems', { ...item, sourcedId: 'early-line-item', assignDate: new Date(Date.parse(item.assignDate) - 60_000).toISOString() });
    await vendor.write(target, 'delta');
    const renumbered = lessons(await messages(config, after));
    expect(renumbered.map((l: Json) => [l.sourceId, l.number]).sort()).toEqual(
      [['early-line-item', 1], ...sameDay.map((l: Json) => [l.sourceId, l.number + 1])].sort(),
    );
  });

  it('quarantines malformed rows naming the file and row, while the rest lands', async () => {
    const vendor = new OneRosterCsvExporter(OPTIONS);
    const [result] = vendor.records('results').filter((r: Json) => r.scoreStatus !== 'exempt') as Json[];
    const student = vendor.records('users').find((u: Json) => u.roles[0].role === 'student' && u.sourcedId !== result.student.sourcedId) as Json;
    vendor.malform('results', result.sourcedId, { score: 'abc' });
    vendor.malform('users', student.sourcedId, { familyName: '' });
    const target = await vendor.write(path.join(dir, 'malformed'), 'bulk');
    // A row with a cell too many, as a stray comma leaves it.
    const results = fs.readFileSync(path.join(target, 'results.csv'), 'utf8').split('\r\n');
    const broken = results.findIndex((line, i) => i > 0 && !line.includes(result.sourcedId) && !line.includes('exempt') && line !== '');
    const brokenId = results[broken].split(',')[0];
    results[broken] += ',extra';
    write(path.join(target, 'results.csv'), results.join('\r\n'));

    const schoolId = await newSchool();
    const run = await sync(schoolId, { path: target });
    expect(run.status).toBe('succeeded');
    const problems = await quarantined(schoolId);
    const rowOf = (file: string, id: string) => fs.readFileSync(path.join(target, file), 'utf8').split('\r\n').findIndex((l) => l.startsWith(id) || l.startsWith(`\uFEFF${id}`)) + 1;
    expect(problems).toEqual(expect.arrayContaining([
      { stream: 'marks', source_id: result.sourcedId, field: 'value', reason: expect.stringMatching(new RegExp(`^results\\.csv row ${rowOf('results.csv', result.sourcedId)}: "abc" is not on the five_point scale`)), origin: `results.csv row ${rowOf('results.csv', result.sourcedId)}` },
      { stream: 'students', source_id: student.sourcedId, field: 'lastName', reason: `users.csv row ${rowOf('users.csv', student.sourcedId)}: is empty`, origin: `users.csv row ${rowOf('users.csv', student.sourcedId)}` },
      expect.objectContaining({ stream: 'marks', source_id: brokenId, origin: `results.csv row ${broken + 1}: 16 cells where the header has 15` }),
    ]));
    // The rest of the school landed; a malformed row keeps marks from being taken as complete (nothing is inferred deleted).
    expect(await count('mark', schoolId)).toBeGreaterThan(100);
    const out = await messages({ path: target });
    expect(out.some((m) => m.type === 'complete' && m.stream === 'marks')).toBe(false);
    expect(out.some((m) => m.type === 'complete' && m.stream === 'lessons')).toBe(true);
  });

  it('ends the run with a config error before writing anything when a file lacks a column or the manifest is malformed', async () => {
    const target = await new OneRosterCsvExporter(OPTIONS).write(path.join(dir, 'broken'), 'bulk');
    const original = fs.readFileSync(path.join(target, 'results.csv'), 'utf8');
    write(path.join(target, 'results.csv'), original.replace(',score,', ',points,'));
    const schoolId = await newSchool();
    const failed = await sync(schoolId, { path: target });
    expect(failed).toMatchObject({ status: 'failed', error: { kind: 'config', message: expect.stringContaining('results.csv (bulk) has no column "score"') } });
    expect(await count('student', schoolId)).toBe(0);
    write(path.join(target, 'results.csv'), original);

    const manifest = fs.readFileSync(path.join(target, 'manifest.csv'), 'utf8');
    const cases: [string, string][] = [
      [manifest.replace('file.results,bulk', 'file.results,full'), 'file.results is "full", not bulk, delta or absent'],
      [manifest.replace('oneroster.version,1.2', 'oneroster.version,1.1'), 'oneroster.version is "1.1"'],
      [manifest.replace(/file\.users,bulk\r\n/, ''), 'it does not declare file.users'],
      [manifest.replace('propertyName,value', 'name,value'), 'must start with the header "propertyName,value"'],
    ];
    for (const [text, message] of cases) {
      write(path.join(target, 'manifest.csv'), text);
      expect(await sync(schoolId, { path: target })).toMatchObject({ status: 'failed', error: { kind: 'config', message: expect.stringContaining(message) } });
    }
    fs.rmSync(path.join(target, 'manifest.csv'));
    expect(await sync(schoolId, { path: target })).toMatchObject({ status: 'failed', error: { kind: 'config', message: expect.stringContaining('has no manifest.csv') } });
    expect(await sync(schoolId, { path: path.join(dir, 'nowhere') })).toMatchObject({ status: 'failed', error: { kind: 'config', message: expect.stringContaining('does not exist') } });
    expect(await count('student', schoolId)).toBe(0);
  });

  it('resumes a crashed run from the file and row of its last checkpoint', async () => {
    // Enough results for a few checkpoints inside results.csv.
    const target = await new OneRosterCsvExporter({ ...OPTIONS, grades: [5, 6, 7], studentsPerClass: 10, weeks: 4 }).write(path.join(dir, 'resume'), 'bulk');
    const out = await messages({ path: target });
    const atMarks = out.filter((m) => m.type === 'checkpoint').map((m) => (m as Json).state).find((s) => s.progress?.phase === 'marks' && s.progress.row > 0);
    expect(atMarks.progress.row % 1000).toBe(0);
    const resumed = await messages({ path: target }, atMarks);
    const marks = (list: AdapterMessage[]) => list.filter((m) => m.type === 'record' && m.stream === 'marks').map((m) => (m as Json).record.origin);
    const rows = marks(resumed).map((o: string) => Number(/row (\d+)/.exec(o)![1]));
    expect(Math.min(...rows)).toBeGreaterThan(atMarks.progress.row);
    expect(new Set([...marks(resumed), ...marks(out).filter((o: string) => Number(/row (\d+)/.exec(o)![1]) <= atMarks.progress.row)])).toEqual(new Set(marks(out)));
    expect(resumed.some((m) => m.type === 'complete' && m.stream === 'marks')).toBe(false);
  });

  it('finds the school, and asks which one when the export holds several', async () => {
    const district = { ...OPTIONS, schools: 2, grades: [5], classesPerGrade: 1, weeks: 1 };
    const vendor = new OneRosterCsvExporter(district);
    const target = await vendor.write(path.join(dir, 'district.zip'), 'bulk');
    const schools = await oneRosterCsvAdapter.discoverSchools({ path: target }, ctx);
    expect(schools.map((s) => s.name)).toEqual(['МАОУ СОШ №1', 'МАОУ СОШ №2']);
    expect(await oneRosterCsvAdapter.check({ path: target }, ctx)).toEqual({ ok: false, problems: [expect.stringContaining('several schools')] });
    expect(await oneRosterCsvAdapter.check({ path: target, schoolSourcedId: schools[1].sourceId }, ctx)).toEqual({ ok: true, problems: [] });
    const schoolId = await newSchool();
    expect(await sync(schoolId, { path: target })).toMatchObject({ status: 'failed', error: { kind: 'config', message: expect.stringContaining('several schools') } });
    expect((await sync(schoolId, { path: target, schoolSourcedId: schools[1].sourceId })).status).toBe('succeeded');
    const second = new Set(vendor.records('classes').filter((c: Json) => c.school.sourcedId === schools[1].sourceId).map((c: Json) => c.sourcedId));
    const courses = await q(`SELECT source_id FROM course WHERE school_id = $1`, [schoolId]);
    expect(courses.length).toBeGreaterThan(0);
    expect(courses.every((c: Json) => second.has(c.source_id))).toBe(true);
  });

  it('declares its configuration', () => {
    const { manifest } = oneRosterCsvAdapter;
    expect(manifest.id).toBe('oneroster-csv');
    expect(manifest.config.map((f) => [f.name, f.required])).toEqual([['path', true], ['schoolSourcedId', false], ['timeZone', false]]);
  });
});
