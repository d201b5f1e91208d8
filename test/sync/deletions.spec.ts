import { Student } from '../../src/modules/people/person.entity';
import { HOLD_MIN_ROWS, SyncEngine } from '../../src/sync/engine';
import { discardDeletions } from '../../src/sync/deletions';
import { Fixture } from '../factories/fixture';
import { useTestDatabase } from '../setup/database';
import { fakeAdapter, smallSchool, SourceData } from './fake-adapter';

/** The small school with `n` more marks, enough to be over the hold's floor. */
function withMarks(n: number, value = '4'): SourceData {
  const s = smallSchool();
  for (let i = 0; i < n; i++) s.marks!.push({ sourceId: `many${i}`, lessonSourceId: `l${i % 4}`, studentSourceId: `st${i % 6}`, scale: 'five_point', value });
  return s;
}

describe('deletions in source and the hold on mass changes', () => {
  const db = useTestDatabase();
  let schoolId: string;
  const engine = () => new SyncEngine(db.dataSource);
  const q = (sql: string, params: unknown[] = [schoolId]) => db.dataSource.query(sql, params);
  const run = (source: () => SourceData, options = {}) => engine().run(schoolId, fakeAdapter(source, { readsWhole: ['students', 'enrollments', 'marks'] }), {}, options);

  beforeEach(async () => {
    schoolId = await new Fixture(db.dataSource).school({ systemOfRecord: 'fake-vendor' });
  });

  it('marks a student missing from a whole read deleted in source, leaves it out of reads, and brings it back when it returns', async () => {
    await run(smallSchool);
    const without = () => {
      const s = smallSchool();
      s.students = s.students!.filter((st) => st.sourceId !== 'st5');
      s.enrollments = s.enrollments!.filter((e) => e.studentSourceId !== 'st5');
      return s;
    };
    const result = await run(without);
    expect(result.status).toBe('succeeded');
    expect(result.counts.students).toMatchObject({ deleted: 1 });
    expect(result.counts.enrollments).toMatchObject({ deleted: 1 });
    const [row] = await q(`SELECT deleted_in_source_at IS NOT NULL AS deleted FROM student WHERE school_id = $1 AND source_id = 'st5'`);
    expect(row.deleted).toBe(true);
    // Kept, but the hub's reads no longer see it.
    const seen = await db.dataSource.getRepository(Student).findBy({ schoolId });
    expect(seen.map((s) => s.sourceId).sort()).toEqual(['st0', 'st1', 'st2', 'st3', 'st4']);
    expect(await db.dataSource.getRepository(Student).count({ where: { schoolId }, withDeleted: true })).toBe(6);
    // A second run with the same source deletes nothing more.
    expect((await run(without)).counts.students).toMatchObject({ deleted: 0, updated: 0 });
    expect(await q(`SELECT count(*)::int AS n FROM sync_deletion WHERE school_id = $1`)).toEqual([{ n: 2 }]);

    const back = await run(smallSchool);
    expect(back.counts.students).toMatchObject({ updated: 1 });
    expect(await db.dataSource.getRepository(Student).countBy({ schoolId })).toBe(6);
  });

  it('removes a deleted mark with its history, and never infers deletions from a resumed read', async () => {
    await run(smallSchool);
    const withoutMark = () => ({ ...smallSchool(), marks: smallSchool().marks!.filter((m) => m.sourceId !== 'mk3') });
    // A read resumed from a checkpoint has not seen the stream whole: nothing is deleted.
    await q(`UPDATE sync_state_part SET value = '5' WHERE school_id = $1 AND part = 'position'`);
    expect((await run(withoutMark)).counts.marks?.deleted ?? 0).toBe(0);
    expect(await q(`SELECT count(*)::int AS n FROM mark WHERE school_id = $1`)).toEqual([{ n: 3 }]);
    const result = await run(withoutMark);
    expect(result.counts.marks).toMatchObject({ deleted: 1 });
    expect(await q(`SELECT source_id FROM mark WHERE school_id = $1 ORDER BY source_id`)).toEqual([{ source_id: 'mk1' }, { source_id: 'mk2' }]);
    const [history] = await q(`SELECT before->>'value' AS value, after FROM mark_history WHERE school_id = $1 AND action = 'removed'`);
    expect(history).toEqual({ value: 'зач', after: null });
  });

  it('ignores a tombstone for a record the hub never had', async () => {
    await run(smallSchool);
    const adapter = fakeAdapter(smallSchool);
    const read = adapter.read.bind(adapter);
    adapter.read = async function* (config, state, ctx) {
      yield* read(config, state, ctx);
      yield { type: 'deleted', stream: 'marks', sourceId: 'never-seen' };
    };
    const result = await engine().run(schoolId, adapter, {});
    expect(result.status).toBe('succeeded');
    expect(await q(`SELECT count(*)::int AS n FROM sync_deletion WHERE school_id = $1`)).toEqual([{ n: 0 }]);
  });

  it('holds a run that would delete more than the share of a stream, until it is approved', async () => {
    await run(() => withMarks(30));
    const broken = () => ({ ...withMarks(30), marks: [] });
    const held = await run(broken);
    expect(held.status).toBe('held');
    expect(held.hold).toEqual({ reason: 'deletions', streams: [expect.objectContaining({ stream: 'marks', rows: 33, of: 33 })] });
    expect(held.hold!.streams[0].sample).toHaveLength(10);
    expect(await q(`SELECT count(*)::int AS n FROM mark WHERE school_id = $1`)).toEqual([{ n: 33 }]);
    const [logged] = await q(`SELECT status, hold->>'reason' AS reason FROM sync_run WHERE school_id = $1 AND status = 'held'`);
    expect(logged).toEqual({ status: 'held', reason: 'deletions' });

    // Held again while nothing is decided, without piling up deletions.
    expect((await run(broken)).status).toBe('held');
    expect(await q(`SELECT count(*)::int AS n FROM sync_deletion WHERE school_id = $1`)).toEqual([{ n: 33 }]);

    const approved = await run(broken, { approved: true, trigger: 'approval' });
    expect(approved.status).toBe('succeeded');
    expect(approved.counts.marks).toMatchObject({ deleted: 33 });
    expect(await q(`SELECT count(*)::int AS n FROM mark WHERE school_id = $1`)).toEqual([{ n: 0 }]);
  });

  it('lets a discarded hold keep the data, and a smaller deletion through', async () => {
    await run(() => withMarks(30));
    expect((await run(() => ({ ...withMarks(30), marks: [] }))).status).toBe('held');
    await discardDeletions(db.dataSource.manager, { schoolId, sourceSystem: 'fake-vendor' });
    expect(await q(`SELECT count(*)::int AS n FROM sync_deletion WHERE school_id = $1 AND discarded_at IS NOT NULL`)).toEqual([{ n: 33 }]);
    // The next (fixed) export brings the marks back: nothing is pending, nothing deleted.
    expect((await run(() => withMarks(30))).counts.marks).toMatchObject({ deleted: 0 });
    // Under the share: applied without review.
    const fewer = () => ({ ...withMarks(30), marks: withMarks(30).marks!.slice(0, 30) });
    const result = await run(fewer);
    expect(result.status).toBe('succeeded');
    expect(result.counts.marks).toMatchObject({ deleted: 3 });
  });

  it('holds a run that would change more than the share of a stream, before writing it', async () => {
    await run(() => withMarks(HOLD_MIN_ROWS * 3));
    const before = await q(`SELECT source_id, value FROM mark WHERE school_id = $1 ORDER BY source_id`);
    const held = await run(() => withMarks(HOLD_MIN_ROWS * 3, '2'));
    expect(held).toMatchObject({ status: 'held', hold: { reason: 'changes', streams: [{ stream: 'marks', rows: HOLD_MIN_ROWS * 3, of: HOLD_MIN_ROWS * 3 + 3 }] } });
    expect(await q(`SELECT source_id, value FROM mark WHERE school_id = $1 ORDER BY source_id`)).toEqual(before);
    const approved = await run(() => withMarks(HOLD_MIN_ROWS * 3, '2'), { approved: true });
    expect(approved.counts.marks).toMatchObject({ updated: HOLD_MIN_ROWS * 3 });
  });

  describe('at the share\'s edge, across batches', () => {
    // 100 marks at the start (the small school's 3 and 97 more); a run of 5-record batches that first
    // inserts 30 new marks, then changes `changes` of the old ones: the hold counts the rows again as
    // the changes grow, and the run's own inserts are not rows the stream had.
    const source = (changes: number) => () => {
      const s = withMarks(97);
      for (let i = 0; i < 30; i++) s.marks!.push({ sourceId: `new${i}`, lessonSourceId: 'l0', studentSourceId: 'st0', scale: 'five_point', value: '3' });
      for (let i = 0; i < changes; i++) s.marks!.find((m) => m.sourceId === `many${i}`)!.value = '2';
      s.marks!.push(...s.marks!.splice(3, 97));
      return s;
    };
    const runInBatches = (changes: number) => new SyncEngine(db.dataSource, { batchSize: 5 }).run(schoolId, fakeAdapter(source(changes)), {});

    it('lets a run change exactly the share of the rows through', async () => {
      await run(() => withMarks(97));
      const result = await runInBatches(20);
      expect(result.status).toBe('succeeded');
      expect(result.counts.marks).toMatchObject({ inserted: 30, updated: 20 });
    });

    it('holds a run that changes one row more, against the rows there were before it', async () => {
      await run(() => withMarks(97));
      expect(await runInBatches(21)).toMatchObject({ status: 'held', hold: { reason: 'changes', streams: [{ stream: 'marks', rows: 21, of: 100 }] } });
    });
  });
});
