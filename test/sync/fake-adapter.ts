import { Adapter, AdapterMessage, AdapterState, StreamName, StreamRecords } from '../../adapters/contract';

export type SourceData = { [S in StreamName]?: StreamRecords[S][] };

/** A small school as a vendor would hold it: 2 classes, 2 courses, 6 students, 4 lessons, marks and attendance. */
export function smallSchool(): SourceData {
  const students = Array.from({ length: 6 }, (_, i) => ({ sourceId: `st${i}`, lastName: `Ученов${i}`, firstName: 'Иван', updatedAt: '2026-11-01T00:00:00Z' }));
  return {
    academicYears: [{ sourceId: 'y1', label: '2026/2027', startsOn: '2026-09-01', endsOn: '2027-08-31' }],
    terms: [{ sourceId: 'q2', academicYearSourceId: 'y1', kind: 'quarter', number: 2, name: '2 четверть', startsOn: '2026-11-05', endsOn: '2026-12-28' }],
    staff: [{ sourceId: 't1', lastName: 'Учителева', firstName: 'Анна', positions: ['teacher'] }],
    students,
    classGroups: [
      { sourceId: 'c5a', academicYearSourceId: 'y1', gradeLevel: 5, letter: 'а', homeroomTeacherSourceId: 't1' },
      { sourceId: 'c5b', academicYearSourceId: 'y1', gradeLevel: 5, letter: 'Б' },
    ],
    courses: [
      { sourceId: 'm5a', classGroupSourceId: 'c5a', subjectName: 'Математика' },
      { sourceId: 'r5a', classGroupSourceId: 'c5a', subjectName: 'русский  язык' },
    ],
    courseTeachers: [{ sourceId: 'ct1', courseSourceId: 'm5a', staffSourceId: 't1' }],
    enrollments: students.map((s, i) => ({ sourceId: `e${i}`, studentSourceId: s.sourceId, classGroupSourceId: i < 4 ? 'c5a' : 'c5b', startsOn: '2026-09-01' })),
    lessons: ['2026-11-09', '2026-11-10', '2026-11-11', '2026-11-12'].map((date, i) => ({ sourceId: `l${i}`, courseSourceId: 'm5a', date, number: 2, topic: `Тема ${i}`, teacherSourceId: 't1' })),
    marks: [
      { sourceId: 'mk1', lessonSourceId: 'l0', studentSourceId: 'st0', scale: 'five_point', value: '4-', numericValue: 3.7, workKind: 'control_work', updatedAt: '2026-11-09T10:00:00Z' },
      { sourceId: 'mk2', lessonSourceId: 'l1', studentSourceId: 'st1', scale: 'five_point', value: '5' },
      { sourceId: 'mk3', lessonSourceId: 'l2', studentSourceId: 'st2', scale: 'pass_fail', value: 'зачёт' },
    ],
    attendance: [{ sourceId: 'a1', lessonSourceId: 'l3', studentSourceId: 'st3', status: 'ill' }],
  };
}

/** Every record of the source, stream by stream in the order the engine writes them. */
function flatten(source: SourceData): { stream: StreamName; record: unknown }[] {
  return (Object.keys(source) as StreamName[]).flatMap((stream) => (source[stream] ?? []).map((record) => ({ stream, record })));
}

/**
 * An adapter over in-memory data: it reads from a cursor (the position in the flattened source)
 * and checkpoints every `checkpointEvery` records; `crashAfter` makes it fail after that many
 * records, as a vendor outage or a killed process would; `readsWhole` are the streams it says it
 * read whole (on a read from the start), so that what is missing from them is deleted in source.
 */
export function fakeAdapter(
  source: () => SourceData, o: { checkpointEvery?: number; crashAfter?: number; readsWhole?: StreamName[] } = {},
): Adapter & { reads: number; lastConfig: unknown } {
  const adapter = {
    reads: 0,
    lastConfig: null as unknown,
    manifest: {
      id: 'fake-vendor', displayName: 'Fake vendor', vendor: 'tests', version: '1',
      config: [
        { name: 'baseUrl', label: 'Адрес', type: 'url' as const, required: true },
        { name: 'clientSecret', label: 'Секрет', type: 'string' as const, required: true, secret: true },
      ],
      capabilities: { streams: [], incremental: [], deletions: [] },
    },
    check: async () => ({ ok: true, problems: [] }),
    discoverSchools: async () => [{ sourceId: 'school-1', name: 'Школа' }],
    async *read(config: unknown, state: AdapterState | null): AsyncIterable<AdapterMessage> {
      adapter.reads++;
      adapter.lastConfig = config;
      const all = flatten(source());
      let position = typeof state?.position === 'number' ? state.position : 0;
      // Only a read from the start has seen every record of a stream.
      const whole = position === 0;
      let emitted = 0;
      while (position < all.length) {
        if (o.crashAfter !== undefined && emitted === o.crashAfter) throw new Error('vendor connection lost');
        const { stream, record } = all[position++];
        emitted++;
        yield { type: 'record', stream, record } as AdapterMessage;
        if (o.checkpointEvery && position % o.checkpointEvery === 0) yield { type: 'checkpoint', state: { position } };
      }
      if (whole) for (const stream of o.readsWhole ?? []) yield { type: 'complete', stream };
      yield { type: 'checkpoint', state: { position: 0 } };
    },
  };
  return adapter;
}
