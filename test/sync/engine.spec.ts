import type { EntityManager } from 'typeorm';
import type { AdapterMessage } from '../../adapters/contract';
import { PROGRESS_EVERY_MS, SyncEngine } from '../../src/sync/engine';
import { Fixture } from '../factories/fixture';
import { useTestDatabase } from '../setup/database';
import { crashingAt } from '../adapters/contract/suite';
import { fakeAdapter, smallSchool, SourceData } from './fake-adapter';

describe('sync engine', () => {
  const db = useTestDatabase();
  let schoolId: string;
  let engine: SyncEngine;
  const count = async (table: string) => Number((await db.dataSource.query(`SELECT count(*) AS n FROM ${table} WHERE school_id = $1`, [schoolId]))[0].n);
  /** Every synced row of the school, for comparing whole databases. */
  const snapshot = async () => {
    const tables = ['academic_year', 'term', 'staff', 'student', 'class_group', 'course', 'course_teacher', 'enrollment', 'lesson', 'mark', 'attendance'];
    const out: Record<string, unknown[]> = {};
    for (const t of tables) out[t] = await db.dataSource.query(`SELECT source_id FROM ${t} WHERE school_id = $1 ORDER BY source_id`, [schoolId]);
    return out;
  };

  beforeEach(async () => {
    const f = new Fixture(db.dataSource);
    schoolId = await f.school({ systemOfRecord: 'fake-vendor' });
    engine = new SyncEngine(db.dataSource, { batchSize: 5 });
  });

  it('lands a whole school, resolving references and normalising values', async () => {
    const result = await engine.run(schoolId, fakeAdapter(smallSchool), {});
    expect(result.status).toBe('succeeded');
    expect(result.counts.marks).toEqual({ inserted: 3, updated: 0, unchanged: 0, deleted: 0, quarantined: 0 });
    const [mark] = await db.dataSource.query(`SELECT value, numeric_value, source_value, work_kind FROM mark WHERE school_id = $1 AND source_id = 'mk1'`, [schoolId]);
    expect(mark).toEqual({ value: '4-', numeric_value: '3.700', source_value: '4-', work_kind: 'control_work' });
    // The vendor's time when it gives one; unknown (not the time of the sync) when it gives none.
    const entered = await db.dataSource.query(`SELECT source_id, entered_at FROM mark WHERE school_id = $1 ORDER BY source_id`, [schoolId]);
    expect(entered).toEqual([{ source_id: 'mk1', entered_at: new Date('2026-11-09T10:00:00Z') }, { source_id: 'mk2', entered_at: null }, { source_id: 'mk3', entered_at: null }]);
    const [pass] = await db.dataSource.query(`SELECT value FROM mark WHERE school_id = $1 AND source_id = 'mk3'`, [schoolId]);
    expect(pass.value).toBe('зач');
    const [group] = await db.dataSource.query(`SELECT name FROM class_group WHERE school_id = $1 AND source_id = 'c5a'`, [schoolId]);
    expect(group.name).toBe('5А');
    const subjects = await db.dataSource.query(`SELECT s.code FROM course c JOIN subject s ON s.id = c.subject_id WHERE c.school_id = $1 ORDER BY s.code`, [schoolId]);
    expect(subjects.map((s: { code: string }) => s.code)).toEqual(['mathematics', 'russian']);
    const [run] = await db.dataSource.query(`SELECT status, finished_at IS NOT NULL AS finished FROM sync_run WHERE school_id = $1`, [schoolId]);
    expect(run).toEqual({ status: 'succeeded', finished: true });
    const history = await db.dataSource.query(`SELECT action, changed_via FROM mark_history WHERE school_id = $1`, [schoolId]);
    expect(history).toHaveLength(3);
    expect(history.every((h: { changed_via: string }) => h.changed_via === 'sync')).toBe(true);
  });

  it('changes nothing when run again on an unchanged source', async () => {
    await engine.run(schoolId, fakeAdapter(smallSchool), {});
    const before = await db.dataSource.query(`SELECT source_id, updated_at FROM mark WHERE school_id = $1 ORDER BY source_id`, [schoolId]);
    const again = await engine.run(schoolId, fakeAdapter(smallSchool), {});
    for (const c of Object.values(again.counts)) expect(c).toMatchObject({ inserted: 0, updated: 0 });
    expect(await db.dataSource.query(`SELECT source_id, updated_at FROM mark WHERE school_id = $1 ORDER BY source_id`, [schoolId])).toEqual(before);
    expect(await count('mark_history')).toBe(3);
  });

  it('takes a changed mark with its history, and never lets an older payload overwrite a newer one', async () => {
    await engine.run(schoolId, fakeAdapter(smallSchool), {});
    const changed = () => {
      const s = smallSchool();
      s.marks![0] = { ...s.marks![0], value: '5', numericValue: 5, updatedAt: '2026-11-10T10:00:00Z' };
      return s;
    };
    expect((await engine.run(schoolId, fakeAdapter(changed), {})).counts.marks).toMatchObject({ updated: 1 });
    const [history] = await db.dataSource.query(`SELECT action, before->>'value' AS before, after->>'value' AS after FROM mark_history WHERE school_id = $1 AND action = 'changed'`, [schoolId]);
    expect(history).toEqual({ action: 'changed', before: '4-', after: '5' });
    // The original payload, older than what the hub now holds, comes again: it is not taken.
    expect((await engine.run(schoolId, fakeAdapter(smallSchool), {})).counts.marks).toMatchObject({ updated: 0 });
    const [mark] = await db.dataSource.query(`SELECT value FROM mark WHERE school_id = $1 AND source_id = 'mk1'`, [schoolId]);
    expect(mark.value).toBe('5');
  });

  it('quarantines bad records with their reason while the rest lands', async () => {
    const broken = (): SourceData => {
      const s = smallSchool();
      s.marks!.push({ sourceId: 'bad1', lessonSourceId: 'l0', studentSourceId: 'st0', scale: 'five_point', value: '7' });
      s.marks!.push({ sourceId: 'bad2', lessonSourceId: 'l0', studentSourceId: 'nobody', scale: 'five_point', value: '5' });
      s.courses!.push({ sourceId: 'x5a', classGroupSourceId: 'c5a', subjectName: 'Астрология' });
      s.enrollments!.push({ sourceId: 'e-overlap', studentSourceId: 'st0', classGroupSourceId: 'c5b', startsOn: '2026-10-01' });
      return s;
    };
    const result = await engine.run(schoolId, fakeAdapter(broken), {});
    expect(result.status).toBe('succeeded');
    expect(result.counts.marks).toMatchObject({ inserted: 3, quarantined: 2 });
    const quarantined = await db.dataSource.query(`SELECT stream, source_id, field, reason FROM sync_quarantine WHERE school_id = $1 ORDER BY source_id`, [schoolId]);
    expect(quarantined).toEqual([
      { stream: 'marks', source_id: 'bad1', field: 'value', reason: expect.stringContaining('"7" is not on the five_point scale') },
      { stream: 'marks', source_id: 'bad2', field: 'studentSourceId', reason: 'refers to an unknown student "nobody"' },
      { stream: 'enrollments', source_id: 'e-overlap', field: 'record', reason: expect.stringContaining('enrollment_no_overlap_excl') },
      { stream: 'courses', source_id: 'x5a', field: 'subjectName', reason: expect.stringContaining('Астрология') },
    ].sort((a, b) => a.source_id.localeCompare(b.source_id)));
    expect(await count('enrollment')).toBe(6);
  });

  it('writes only the parts of the state that changed, and none when a run ends with the state it started from', async () => {
    const parts = async () => (await db.dataSource.query(`SELECT part, value, xmin::text AS version FROM sync_state_part WHERE school_id = $1 ORDER BY part`, [schoolId]));
    const ending = (state: Record<string, unknown>) => ({ ...fakeAdapter(smallSchool), read: async function* () { yield { type: 'checkpoint' as const, state }; } });
    await engine.run(schoolId, fakeAdapter(smallSchool), {});
    const saved = await parts();
    expect(saved).toEqual([{ part: 'position', value: 0, version: expect.any(String) }]);
    expect((await engine.run(schoolId, fakeAdapter(smallSchool), {})).status).toBe('succeeded');
    expect(await parts()).toEqual(saved);

    // A part that moved is written, one that did not is left as it was, one no longer there is dropped.
    await engine.run(schoolId, ending({ position: 0, index: { big: [1, 2, 3] } }), {});
    const [index, position] = await parts();
    expect(position).toEqual(saved[0]);
    await engine.run(schoolId, ending({ index: { big: [1, 2, 3] }, cursor: 'b' }), {});
    expect(await parts()).toEqual([{ part: 'cursor', value: 'b', version: expect.any(String) }, index]);
    expect((await db.dataSource.query(`SELECT state FROM sync_state WHERE school_id = $1`, [schoolId]))[0].state).toEqual({ cursor: 'b', index: { big: [1, 2, 3] } });
  });

  it('resumes after a crash from the last checkpoint, with nothing lost and nothing duplicated', async () => {
    const reference = await (async () => {
      const clean = await engine.run(schoolId, fakeAdapter(smallSchool), {});
      expect(clean.status).toBe('succeeded');
      return snapshot();
    })();
    const f = new Fixture(db.dataSource);
    schoolId = await f.school({ systemOfRecord: 'fake-vendor' });
    const crashing = fakeAdapter(smallSchool, { checkpointEvery: 7, crashAfter: 20 });
    const first = await engine.run(schoolId, crashing, {});
    expect(first).toMatchObject({ status: 'failed', error: { kind: 'system', message: 'vendor connection lost' } });
    const [state] = await db.dataSource.query(`SELECT state FROM sync_state WHERE school_id = $1`, [schoolId]);
    expect(state.state.position).toBe(14);
    const resumed = await engine.run(schoolId, fakeAdapter(smallSchool, { checkpointEvery: 7 }), {});
    expect(resumed.status).toBe('succeeded');
    expect(await snapshot()).toEqual(reference);
  });

  it('never runs two syncs of one school at once', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = fakeAdapter(smallSchool);
    const original = slow.read.bind(slow);
    slow.read = async function* (config, state, ctx) {
      await gate;
      yield* original(config, state, ctx);
    };
    const running = engine.run(schoolId, slow, {});
    await new Promise((r) => setTimeout(r, 50));
    await expect(engine.run(schoolId, fakeAdapter(smallSchool), {})).rejects.toMatchObject({ code: 'CONFLICT', reason: 'SYNC_ALREADY_RUNNING' });
    release();
    expect((await running).status).toBe('succeeded');
  });

  it('quarantines a record with a field of the wrong type, and the rest of its batch lands', async () => {
    const odd = (): SourceData => {
      const s = smallSchool();
      s.students!.push({ sourceId: 'st-odd', lastName: 'Странный', firstName: 'Пётр', middleName: 5 as unknown as string });
      return s;
    };
    const result = await engine.run(schoolId, fakeAdapter(odd), {});
    expect(result.status).toBe('succeeded');
    expect(result.counts.students).toMatchObject({ inserted: 6, quarantined: 1 });
    const [q] = await db.dataSource.query(`SELECT field, reason FROM sync_quarantine WHERE school_id = $1`, [schoolId]);
    expect(q).toEqual({ field: 'middleName', reason: 'must be text' });
  });

  it('waits for references yielded later in the same checkpoint interval instead of quarantining them', async () => {
    // Marks before their lessons, with a batch boundary between them.
    const reordered = (): SourceData => {
      const { marks, lessons, ...rest } = smallSchool();
      return { ...rest, marks, lessons } as SourceData;
    };
    const result = await new SyncEngine(db.dataSource, { batchSize: 2 }).run(schoolId, fakeAdapter(reordered), {});
    expect(result.status).toBe('succeeded');
    expect(await count('mark')).toBe(3);
    expect(await count('sync_quarantine')).toBe(0);
  });

  it('keeps a synced mark’s history readable like the journal’s, and resolves a quarantined record once it lands', async () => {
    const missingLesson = (): SourceData => {
      const s = smallSchool();
      s.lessons = s.lessons!.filter((l) => l.sourceId !== 'l1');
      return s;
    };
    await engine.run(schoolId, fakeAdapter(missingLesson), {});
    expect(await db.dataSource.query(`SELECT source_id FROM sync_quarantine WHERE school_id = $1 AND resolved_at IS NULL`, [schoolId])).toEqual([{ source_id: 'mk2' }]);
    await engine.run(schoolId, fakeAdapter(smallSchool), {});
    expect(await db.dataSource.query(`SELECT source_id FROM sync_quarantine WHERE school_id = $1 AND resolved_at IS NULL`, [schoolId])).toEqual([]);
    const [history] = await db.dataSource.query(`SELECT after FROM mark_history WHERE school_id = $1 AND mark_type = 'mark' LIMIT 1`, [schoolId]);
    expect(history.after).toEqual(expect.objectContaining({ lessonId: expect.any(String), workKind: expect.any(String), value: expect.any(String) }));
    // Numbers as the journal writes them: 3.7, not the column's 3.700.
    const [mk1] = await db.dataSource.query(
      `SELECT h.after->>'numericValue' AS numeric, h.after - 'lessonId' AS rest, h.after->>'lessonId' = m.lesson_id::text AS lesson
         FROM mark_history h JOIN mark m ON m.school_id = h.school_id AND m.id = h.mark_id WHERE h.school_id = $1 AND m.source_id = 'mk1'`, [schoolId]);
    expect(mk1).toEqual({ numeric: '3.7', rest: { value: '4-', scale: 'five_point', numericValue: 3.7, workKind: 'control_work', weight: null, comment: null }, lesson: true });
  });

  it('keeps reported deletions and records of unknown streams instead of dropping them', async () => {
    const adapter = fakeAdapter(smallSchool);
    const original = adapter.read.bind(adapter);
    adapter.read = async function* (config, state, ctx) {
      yield { type: 'record', stream: 'pupils' as never, record: { sourceId: 'p1' } as never };
      yield* original(config, state, ctx);
      yield { type: 'deleted', stream: 'marks', sourceId: 'mk2' };
      yield { type: 'checkpoint', state: { position: 0 } };
    };
    const result = await engine.run(schoolId, adapter, {});
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('succeeded');
    expect(result.counts.marks).toMatchObject({ inserted: 3, deleted: 1 });
    expect(await db.dataSource.query(`SELECT stream, source_id, applied_at IS NOT NULL AS applied FROM sync_deletion WHERE school_id = $1`, [schoolId]))
      .toEqual([{ stream: 'marks', source_id: 'mk2', applied: true }]);
    expect(await db.dataSource.query(`SELECT action, changed_via FROM mark_history WHERE school_id = $1 AND action = 'removed'`, [schoolId]))
      .toEqual([{ action: 'removed', changed_via: 'sync' }]);
    expect(await count('mark')).toBe(2);
    expect(await db.dataSource.query(`SELECT stream, reason FROM sync_quarantine WHERE school_id = $1`, [schoolId]))
      .toEqual([{ stream: 'pupils', reason: '"pupils" is not a stream of the canonical model' }]);
  });

  it('marks a run cut off by a crash as failed when the next run starts', async () => {
    await db.dataSource.query(`INSERT INTO sync_run (school_id, id, adapter_id, status) VALUES ($1, gen_random_uuid(), 'fake-vendor', 'running')`, [schoolId]);
    await engine.run(schoolId, fakeAdapter(smallSchool), {});
    expect(await db.dataSource.query(`SELECT status, error FROM sync_run WHERE school_id = $1 ORDER BY started_at`, [schoolId]))
      .toEqual([{ status: 'failed', error: 'interrupted' }, { status: 'succeeded', error: null }]);
  });

  it('keeps the adapter’s latest progress report on the run', async () => {
    const adapter = fakeAdapter(smallSchool);
    const read = adapter.read.bind(adapter);
    adapter.read = async function* (config, state, ctx) {
      yield { type: 'progress', message: 'pupils 1/6' };
      yield* read(config, state, ctx);
      yield { type: 'progress', message: 'pupils 6/6' };
    };
    const result = await engine.run(schoolId, adapter, {});
    expect(await db.dataSource.query('SELECT progress FROM sync_run WHERE school_id = $1 AND id = $2', [schoolId, result.runId])).toEqual([{ progress: 'pupils 6/6' }]);
  });

  it('shows the run’s progress while it reads: the first report at once, later ones with the next write and the last at the end', async () => {
    const progressNow = async (runId: string) => (await db.dataSource.query('SELECT progress FROM sync_run WHERE school_id = $1 AND id = $2', [schoolId, runId]))[0]?.progress;
    const seen: (string | null)[] = [];
    const adapter = fakeAdapter(smallSchool);
    adapter.read = async function* () {
      const source = smallSchool();
      const runId = (await db.dataSource.query(`SELECT id FROM sync_run WHERE school_id = $1 AND status = 'running'`, [schoolId]))[0].id;
      yield { type: 'progress', message: 'reading the roster' };
      seen.push(await progressNow(runId));
      // Well within a second of the first: it waits for the next write.
      yield { type: 'progress', message: 'roster read' };
      for (const record of source.academicYears!) yield { type: 'record', stream: 'academicYears', record };
      yield { type: 'checkpoint', state: { at: 1 } };
      // The write of the checkpoint above is awaited before this one is written.
      yield { type: 'checkpoint', state: { at: 2 } };
      seen.push(await progressNow(runId));
      yield { type: 'progress', message: 'all read' };
      seen.push(await progressNow(runId));
    };
    const result = await engine.run(schoolId, adapter, {});
    expect(result.status).toBe('succeeded');
    expect(seen).toEqual(['reading the roster', 'roster read', 'roster read']);
    expect(await progressNow(result.runId)).toBe('all read');
    expect(await db.dataSource.query('SELECT state FROM sync_state WHERE school_id = $1', [schoolId])).toEqual([{ state: { at: 2 } }]);
  });

  it('logs a progress report on its own when the last one logged is a second old, though nothing is written meanwhile', async () => {
    const progressNow = async () => (await db.dataSource.query(`SELECT progress FROM sync_run WHERE school_id = $1 AND status = 'running'`, [schoolId]))[0]?.progress;
    const seen: (string | null)[] = [];
    const adapter = fakeAdapter(smallSchool);
    adapter.read = async function* () {
      yield { type: 'progress', message: 'week 1 of 3' };
      yield { type: 'progress', message: 'week 2 of 3' };
      seen.push(await progressNow());
      await new Promise((resolve) => setTimeout(resolve, PROGRESS_EVERY_MS + 50));
      yield { type: 'progress', message: 'week 3 of 3' };
      seen.push(await progressNow());
    };
    expect((await engine.run(schoolId, adapter, {})).status).toBe('succeeded');
    expect(seen).toEqual(['week 1 of 3', 'week 3 of 3']);
  });

  it('maps vendor subject names through the hub’s aliases and without level words, keeping the vendor’s name', async () => {
    const named = () => {
      const s = smallSchool();
      s.courses = [
        { sourceId: 'pe', classGroupSourceId: 'c5a', subjectName: 'Физкультура' },
        { sourceId: 'ph', classGroupSourceId: 'c5a', subjectName: 'Физика (углублённый уровень)' },
        { sourceId: 'ru', classGroupSourceId: 'c5a', subjectName: 'Риторика' },
      ];
      s.lessons = [];
      s.marks = [];
      s.attendance = [];
      s.courseTeachers = [];
      return s;
    };
    await engine.run(schoolId, fakeAdapter(named), {});
    const courses = () => db.dataSource.query(
      `SELECT c.source_id, s.code, c.source_subject_name FROM course c JOIN subject s ON s.id = c.subject_id WHERE c.school_id = $1 ORDER BY 1`, [schoolId]);
    expect(await courses()).toEqual([
      { source_id: 'pe', code: 'physical_education', source_subject_name: 'Физкультура' },
      { source_id: 'ph', code: 'physics', source_subject_name: 'Физика (углублённый уровень)' },
    ]);
    const [quarantined] = await db.dataSource.query(`SELECT field, reason FROM sync_quarantine WHERE school_id = $1 AND resolved_at IS NULL`, [schoolId]);
    expect(quarantined).toEqual({ field: 'subjectName', reason: expect.stringContaining('"Риторика" is not a subject of the municipality\'s list') });
    // An alias added later lets the quarantined course in.
    await db.dataSource.query(`INSERT INTO subject_alias (alias, subject_id) SELECT 'риторика', id FROM subject WHERE code = 'russian'`);
    await engine.run(schoolId, fakeAdapter(named), {});
    expect(await courses()).toContainEqual({ source_id: 'ru', code: 'russian', source_subject_name: 'Риторика' });
  });

  it('reads on while a batch is being written, one write at a time and in order', async () => {
    // The first write is held until the adapter has yielded three records past it: an engine that waited
    // for each write before reading on would never get there.
    let yielded = 0;
    let readOn!: () => void;
    const adapterReadOn = new Promise<void>((resolve) => (readOn = resolve));
    const source = fakeAdapter(smallSchool);
    const read = source.read.bind(source);
    source.read = async function* (config, state, ctx) {
      for await (const message of read(config, state, ctx)) {
        yield message;
        if (++yielded === 8) readOn();
      }
    };
    let transactions = 0;
    let open = 0;
    const ds = new Proxy(db.dataSource, {
      get(target, key) {
        if (key !== 'transaction') return Reflect.get(target, key, target);
        return async (work: (em: unknown) => Promise<unknown>) => {
          if (++transactions === 1) await Promise.race([adapterReadOn, new Promise((_, reject) => setTimeout(() => reject(new Error('the adapter did not read on')), 5000))]);
          expect(++open).toBe(1);
          try {
            return await target.transaction(work as never);
          } finally {
            open--;
          }
        };
      },
    });
    const result = await new SyncEngine(ds, { batchSize: 5 }).run(schoolId, source, {});
    expect(result.error).toBeUndefined();
    expect(result.counts.marks).toMatchObject({ inserted: 3 });
    expect(transactions).toBeGreaterThan(2);
  });

  it('puts records that wait for a reference ahead of those read since: of two with one id, the later wins', async () => {
    // mk1 comes before its lesson and waits; a later mk1 is read while the write that deferred the first is under way.
    const s = smallSchool();
    const [mk1, mk2] = s.marks!;
    const l0 = s.lessons!.find((l) => l.sourceId === 'l0')!;
    const { marks, lessons, attendance, ...roster } = s;
    const messages = [
      ...Object.entries({ ...roster, lessons: lessons!.filter((l) => l !== l0) }).flatMap(([stream, records]) => records!.map((record) => ({ stream, record }))),
      { stream: 'marks', record: { ...mk1, value: '3', numericValue: 3, updatedAt: undefined } },
      { stream: 'marks', record: mk2 },
      { stream: 'marks', record: { ...mk1, value: '5', numericValue: 5, updatedAt: undefined } },
      { stream: 'lessons', record: l0 },
    ];
    const source = fakeAdapter(smallSchool);
    source.read = async function* () {
      for (const m of messages) yield { type: 'record', ...m } as AdapterMessage;
      yield { type: 'checkpoint', state: { position: 0 } };
    };
    const result = await new SyncEngine(db.dataSource, { batchSize: 2 }).run(schoolId, source, {});
    expect(result.error).toBeUndefined();
    expect(await db.dataSource.query(`SELECT source_id, value FROM mark WHERE school_id = $1 ORDER BY source_id`, [schoolId]))
      .toEqual([{ source_id: 'mk1', value: '5' }, { source_id: 'mk2', value: '5' }]);
    expect(await count('sync_quarantine')).toBe(0);
  });

  it('reports the failure of a write under way rather than an adapter error that came after it', async () => {
    const result = await new SyncEngine(db.dataSource, { batchSize: 10, crashAt: crashingAt('batch', 1) })
      .run(schoolId, fakeAdapter(smallSchool, { crashAfter: 12 }), {});
    expect(result).toMatchObject({ status: 'failed', error: { message: 'crashed at batch' } });
  });

  it('saves a checkpoint’s state as the adapter yielded it, though the adapter changes that object as it reads on', async () => {
    const state = { position: 1 };
    const source = fakeAdapter(smallSchool);
    source.read = async function* () {
      yield { type: 'record', stream: 'academicYears', record: smallSchool().academicYears![0] };
      yield { type: 'checkpoint', state };
      state.position = 99;
      yield { type: 'record', stream: 'staff', record: smallSchool().staff![0] };
      throw new Error('vendor connection lost');
    };
    expect(await engine.run(schoolId, source, {})).toMatchObject({ status: 'failed', error: { message: 'vendor connection lost' } });
    expect(await db.dataSource.query(`SELECT state FROM sync_state WHERE school_id = $1`, [schoolId])).toEqual([{ state: { position: 1 } }]);
  });

  it('finds a record the database refuses in a large batch with a few statements, and lands the rest of it', async () => {
    // 200 lessons, one of them in the slot of another (a rule only the database knows).
    const crowded = (): SourceData => {
      const s = smallSchool();
      s.lessons = Array.from({ length: 200 }, (_, i) => ({ sourceId: `l${i}`, courseSourceId: 'm5a', date: new Date(Date.UTC(2026, 8, 1 + i)).toISOString().slice(0, 10), number: 1 }));
      s.lessons.splice(120, 0, { ...s.lessons[40], sourceId: 'l-same-slot' });
      s.marks = [];
      s.attendance = [];
      return s;
    };
    let upserts = 0;
    const ds = new Proxy(db.dataSource, {
      get(target, key) {
        if (key !== 'transaction') return Reflect.get(target, key, target);
        return (work: (em: EntityManager) => Promise<unknown>) => target.transaction((em) => work(new Proxy(em, {
          get(e, k) {
            if (k !== 'query') return Reflect.get(e, k, e);
            return (sql: string, params?: unknown[]) => {
              if (sql.trimStart().startsWith('WITH r AS') && sql.includes('INSERT INTO lesson')) upserts++;
              return e.query(sql, params);
            };
          },
        })));
      },
    });
    const result = await new SyncEngine(ds, { batchSize: 1000 }).run(schoolId, fakeAdapter(crowded), {});
    expect(result.counts.lessons).toMatchObject({ inserted: 200, quarantined: 1 });
    expect(await db.dataSource.query(`SELECT source_id, reason FROM sync_quarantine WHERE school_id = $1`, [schoolId]))
      .toEqual([{ source_id: 'l-same-slot', reason: expect.stringContaining('lesson_school_id_course_id_date_number_uq') }]);
    // Halves tried apart: about two statements per halving (log2 of 201 is under 8), not one per lesson.
    expect(upserts).toBeLessThanOrEqual(20);
  });

  it('resolves a record quarantined earlier in the same run when it comes again, and withdraws a deletion reported earlier in it', async () => {
    const s = smallSchool();
    const l0 = s.lessons!.find((l) => l.sourceId === 'l0')!;
    const [mk1, mk2] = s.marks!;
    const { marks, attendance, lessons, ...roster } = s;
    const source = fakeAdapter(smallSchool);
    source.read = async function* () {
      for (const [stream, records] of Object.entries({ ...roster, lessons: lessons!.filter((l) => l !== l0) })) {
        for (const record of records!) yield { type: 'record', stream, record } as AdapterMessage;
      }
      yield { type: 'record', stream: 'marks', record: mk1 };
      yield { type: 'record', stream: 'marks', record: mk2 };
      // mk1's lesson is unknown at this checkpoint: mk1 is quarantined. mk2 is reported deleted.
      yield { type: 'checkpoint', state: { position: 1 } };
      yield { type: 'deleted', stream: 'marks', sourceId: 'mk2' };
      yield { type: 'checkpoint', state: { position: 2 } };
      // Both come again: mk1 with its lesson, mk2 as it was.
      yield { type: 'record', stream: 'lessons', record: l0 };
      yield { type: 'record', stream: 'marks', record: mk1 };
      yield { type: 'record', stream: 'marks', record: mk2 };
      yield { type: 'checkpoint', state: { position: 3 } };
    };
    const result = await new SyncEngine(db.dataSource, { batchSize: 100 }).run(schoolId, source, {});
    expect(result.error).toBeUndefined();
    expect(await db.dataSource.query(`SELECT source_id, resolved_at IS NOT NULL AS resolved FROM sync_quarantine WHERE school_id = $1`, [schoolId]))
      .toEqual([{ source_id: 'mk1', resolved: true }]);
    expect(await db.dataSource.query(`SELECT source_id FROM mark WHERE school_id = $1 ORDER BY source_id`, [schoolId])).toEqual([{ source_id: 'mk1' }, { source_id: 'mk2' }]);
    expect(result.counts.marks).toMatchObject({ deleted: 0 });
  });
});
