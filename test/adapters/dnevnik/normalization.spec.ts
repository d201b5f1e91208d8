import { AdapterContext, AdapterError, AdapterMessage, HttpResponse } from '../../../adapters/contract';
import { DnevnikClient, htmlErrorText } from '../../../adapters/dnevnik/client';
import { parseConfig } from '../../../adapters/dnevnik/config';
import { idOf, idsOf, instantOf, localDate, parseVendorJson, VendorRecord } from '../../../adapters/dnevnik/json';
import { dnevnikAdapter } from '../../../adapters/dnevnik';
import { attendance, finalMark, isMark, lesson, mark, termKindOf, unwrapPerson } from '../../../adapters/dnevnik/mapping';

/** Payloads shaped as Dnevnik.ru serves them (reference §1.4), ids above 2^53 written as bare numbers. */
const MARK = `{"id":9007199263740993,"id_str":"9007199263740993","type":"mark5","value":"4","textValue":"4",
  "person":9007199254740995,"person_str":"9007199254740995","work":9007199259740993,"work_str":"9007199259740993",
  "lesson":9007199255740993,"lessonStr":"9007199255740993","number":0,"date":"2026-09-03T10:12:00.853","workType":3,"mood":"Good","use_avg_calc":true}`;
const LESSON = `{"id":9007199255740993,"id_str":"9007199255740993","title":"Дроби","date":"2026-09-03T00:00:00","number":2,
  "subject":{"id":1000005000004,"idStr":"1000005000004","name":"Математика","knowledgeArea":"Математика и информатика","fgosSubjectId":4},
  "group":1000001234567,"teachers":[9007199254741001],"status":"Conducted","place":"каб. 12","hours":"09:25 - 10:10",
  "works":[{"id":9007199259740993,"id_str":"9007199259740993","type":"DefaultNewLessonWork","workType":1,"markType":"mark5","text":"","targetDate":null},
           {"id":9007199259740994,"id_str":"9007199259740994","type":"Homework","workType":6,"markType":"mark5","text":"№ 245, 247 (а, б)","targetDate":"2026-09-05T00:00:00"}]}`;
const HTML_PAGE = `<!DOCTYPE html><html><head><title>Ошибка</title></head><body><div class="error">
  <div class="error__description"><p>Доступ запрещён: недостаточно прав</p></div></div></body></html>`;

function fakeContext(reply: (url: string, init: RequestInit) => { status: number; type?: string; body: string }): AdapterContext & { calls: { url: string; headers: Record<string, string> }[] } {
  const calls: { url: string; headers: Record<string, string> }[] = [];
  return {
    calls,
    signal: new AbortController().signal,
    log: () => {},
    http: {
      async request(url: string, init: RequestInit = {}): Promise<HttpResponse> {
        calls.push({ url, headers: init.headers as Record<string, string> });
        const { status, type = 'application/json; charset=utf-8', body } = reply(url, init);
        return { status, headers: new Headers({ 'content-type': type }), text: body };
      },
    },
  };
}

/** What the adapter yields for a school served from canned answers (path → body); other paths get the HTML 404 page. */
async function readWith(answers: Record<string, unknown>): Promise<AdapterMessage[]> {
  const ctx = fakeContext((url) => {
    const path = new URL(url).pathname.replace('/v2/', '');
    return path in answers ? { status: 200, body: JSON.stringify(answers[path]) } : { status: 404, type: 'text/html', body: HTML_PAGE };
  });
  const out: AdapterMessage[] = [];
  for await (const m of dnevnikAdapter.read({ baseUrl: 'https://api.dnevnik.ru/v2/', accessToken: 't', schoolId: '1', requestsPerSecond: 100 }, null, ctx)) out.push(m);
  return out;
}

const config = parseConfig({ baseUrl: 'https://api.dnevnik.ru', accessToken: 'partner-token', schoolId: '1000002283077', requestsPerSecond: 100 });

async function refusal(promise: Promise<unknown>): Promise<AdapterError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AdapterError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('Dnevnik.ru normalisation', () => {
  it('sends the token in the Access-Token header, under the /v2/ root even when the host alone is configured', async () => {
    const ctx = fakeContext(() => ({ status: 200, body: '{"id":1}' }));
    await new DnevnikClient(config, ctx).get('users/me');
    expect(ctx.calls).toEqual([{ url: 'https://api.dnevnik.ru/v2/users/me', headers: { 'Access-Token': 'partner-token', Accept: 'application/json' } }]);
  });

  it('turns the {type, description} envelope into errors IT staff can act on, also when it comes with HTTP 200', async () => {
    const answer = (status: number, type: string, description: string) =>
      refusal(new DnevnikClient(config, fakeContext(() => ({ status, body: JSON.stringify({ type, description }) }))).get('edu-groups/1/students'));
    expect(await answer(401, 'invalidToken', 'Токен доступа недействителен')).toMatchObject({
      kind: 'config', message: expect.stringMatching(/refused the access token \(invalidToken: Токен доступа недействителен\).*issue a new token/),
    });
    expect(await answer(200, 'authorizationFailed', 'Неверный логин')).toMatchObject({ kind: 'config' });
    expect(await answer(400, 'parameterInvalid', 'Параметр eduGroup имеет неверный формат')).toMatchObject({ kind: 'config', message: expect.stringContaining('parameterInvalid: Параметр eduGroup') });
    expect(await answer(200, 'apiServerError', 'Сервис недоступен')).toMatchObject({ kind: 'transient', message: expect.stringContaining('apiServerError: Сервис недоступен') });
    // A record that merely has a `type` field is data, not an error.
    const work = await new DnevnikClient(config, fakeContext(() => ({ status: 200, body: '{"id":77,"type":"Homework","description":"x"}' }))).get('works/77');
    expect(work).toEqual({ id: 77, type: 'Homework', description: 'x' });
  });

  it('reads the HTML error page: its description in the error, 404 as "no such record", 5xx as transient', async () => {
    expect(htmlErrorText(HTML_PAGE)).toBe('Доступ запрещён: недостаточно прав');
    const html = (status: number) => new DnevnikClient(config, fakeContext(() => ({ status, type: 'text/html; charset=utf-8', body: HTML_PAGE })));
    expect(await refusal(html(403).get('schools/1/edu-groups'))).toMatchObject({ kind: 'config', message: expect.stringContaining('Доступ запрещён: недостаточно прав') });
    expect(await html(404).get('schools/1')).toBeNull();
    expect(await refusal(html(502).get('schools/1'))).toMatchObject({ kind: 'transient' });
    expect(await refusal(html(200).get('schools/1'))).toMatchObject({ kind: 'transient', message: expect.stringContaining('Доступ запрещён') });
  });

  it('keeps 64-bit ids above 2^53 exact, from the string twin (id_str, idStr, lessonStr) or, without one, from the number', () => {
    const m = parseVendorJson(MARK) as VendorRecord;
    expect([idOf(m), idOf(m, 'person'), idOf(m, 'lesson'), idOf(m, 'work')]).toEqual(['9007199263740993', '9007199254740995', '9007199255740993', '9007199259740993']);
    // No twins at all: the number itself is read exactly (JSON.parse would give …992 and …996).
    const bare = parseVendorJson('{"id":9007199254740993,"person":9007199254740995,"teachers":[9007199254741001,9007199254741003]}') as VendorRecord;
    expect(JSON.parse('{"id":9007199254740993}').id).toBe(9007199254740992);
    expect([idOf(bare), idOf(bare, 'person'), ...idsOf(bare, 'teachers')]).toEqual(['9007199254740993', '9007199254740995', '9007199254741001', '9007199254741003']);
    expect(idOf(parseVendorJson('{"id":101,"idStr":"101","name":"Математика"}') as VendorRecord)).toBe('101');
    expect(idsOf(parseVendorJson('{"parentIds":[1000001234567],"parentIds_str":["1000001234567"]}') as VendorRecord, 'parentIds')).toEqual(['1000001234567']);
    // Decimals stay numbers.
    expect(parseVendorJson('{"value":4.2,"weight":2}')).toEqual({ value: 4.2, weight: 2 });
  });

  it('reads zone-less local dates, with or without milliseconds, in the school’s offset', () => {
    expect(localDate('2026-09-03T00:00:00')).toBe('2026-09-03');
    expect(localDate('2026-09-03T00:00:00+05:00')).toBe('2026-09-03');
    expect(localDate('31.09.2026')).toBeUndefined();
    expect(instantOf('2026-09-03T10:12:00.853', 5)).toBe('2026-09-03T05:12:00.853Z');
    expect(instantOf('2026-09-03T10:12:00', 5)).toBe('2026-09-03T05:12:00.000Z');
    expect(instantOf('2026-09-03T10:12:00.8531234', 3)).toBe('2026-09-03T07:12:00.853Z');
    expect(instantOf('2026-09-03T10:12:00Z', 5)).toBe('2026-09-03T10:12:00.000Z');
  });

  it('keeps a mark’s value as a string with its scale type, its kind and weight from the work type', () => {
    const m = parseVendorJson(MARK) as VendorRecord;
    expect(mark(m, 5, { kind: 'LessonTestWork', title: 'Контрольная работа', weight: 2 }, 'LessonTestWork')).toEqual({
      sourceId: '9007199263740993', lessonSourceId: '9007199255740993', studentSourceId: '9007199254740995', scale: 'five_point', value: '4',
      numericValue: null, workKind: 'control_work', weight: 2, enteredAt: '2026-09-03T05:12:00.853Z',
    });
    const test = { ...m, type: 'test', value: 'зачет', textValue: 'зачет' };
    expect(mark(test, 5, { kind: 'CommonWork', title: 'Зачёт', weight: 1 }, undefined)).toMatchObject({ scale: 'pass_fail', value: 'зачет', workKind: 'credit' });
    expect(mark({ ...m, type: 'mark10', value: 8 }, 5, undefined, 'DefaultNewLessonWork')).toMatchObject({ scale: 'ten_point', value: '8', workKind: 'class_answer', weight: null });
    // A scale the hub has no counterpart for is passed on, so the engine quarantines the mark naming it.
    expect(mark({ ...m, type: 'markabcdf', value: 'B' }, 5, undefined, undefined)).toMatchObject({ scale: 'markabcdf', value: 'B' });
    expect([isMark({ type: 'markna', value: 'н/а' }), isMark({ type: 'markdismiss', value: 'осв' }), isMark(m)]).toEqual([false, false, true]);
    const final = finalMark({ type: 'mark5', value: '5' }, { sourceId: 's', courseSourceId: 'c', studentSourceId: 'p', termSourceId: null });
    expect(final).toMatchObject({ kind: 'year', termSourceId: null, scale: 'five_point', value: '5' });
  });

  it('takes attendance from lesson-log entries: Attend is no record, the other statuses are', () => {
    const entry = (status: string) => parseVendorJson(`{"person":9007199254740995,"person_str":"9007199254740995","lesson":9007199255740993,"lesson_str":"9007199255740993","comment":"","status":"${status}","createdDate":"2026-09-03T09:00:00"}`) as VendorRecord;
    expect(attendance(entry('Attend'))).toBeNull();
    expect(attendance(entry('Absent'))).toEqual({ sourceId: '9007199255740993:9007199254740995', lessonSourceId: '9007199255740993', studentSourceId: '9007199254740995', status: 'absent', comment: null });
    expect(['Ill', 'Late', 'Pass'].map((s) => attendance(entry(s))!.status)).toEqual(['ill', 'late', 'excused']);
    expect(attendance(entry('Unknown'))!.status).toBe('Unknown');
  });

  it('takes homework from the lesson’s works of type Homework, and the teacher without a string twin', () => {
    const l = parseVendorJson(LESSON) as VendorRecord;
    expect(lesson(l, '1000001234567:1000005000004', l.works as VendorRecord[])).toEqual({
      sourceId: '9007199255740993', courseSourceId: '1000001234567:1000005000004', date: '2026-09-03', number: 2, topic: 'Дроби',
      homework: '№ 245, 247 (а, б)', teacherSourceId: '9007199254741001',
    });
  });

  it('reads archived students from the membership wrapper, and bare persons as active', () => {
    const wrapped = parseVendorJson('[{"person":{"id":9007199254740999,"id_str":"9007199254740999","firstName":"Анна","lastName":"Сафина"},"membershipstatus":"Archive"},{"id":9007199254740998,"firstName":"Иван","lastName":"Попов"}]') as unknown[];
    expect(wrapped.map(unwrapPerson).map((m) => [idOf(m!.person), m!.archived])).toEqual([['9007199254740999', true], ['9007199254740998', false]]);
  });

  it('tells the kind of terms by their type, or by how many there are when the type is unknown', () => {
    const periods = (type: string, n: number) => Array.from({ length: n }, () => ({ type }));
    expect([termKindOf(periods('Quarter', 4)), termKindOf(periods('Semester', 2)), termKindOf(periods('Четверть?', 3)), termKindOf(periods('', 5))])
      .toEqual(['quarter', 'half', 'trimester', undefined]);
  });

  it('holds back a mark served before its lesson, and does not checkpoint past it until the lesson is in', async () => {
    // The reference does not say whether edu-groups/{g}/marks/{from}/{to} ranges over the mark's date or the lesson's:
    // here a mark comes a week before its lesson.
    const answers: Record<string, unknown> = {
      'schools/1': { id: 1, id_str: '1', name: 'МАОУ СОШ №1', timeZone: 5 },
      'schools/1/edu-groups': [{ id: 10, id_str: '10', type: 'Group', name: '5А', parallel: 5, studyyear: 2026 }],
      'edu-groups/10/subjects': [{ id: 101, idStr: '101', name: 'Математика' }],
      'edu-groups/10/reporting-periods': [{ id: 1, id_str: '1', start: '2026-09-01T00:00:00', finish: '2026-09-13T00:00:00', type: 'Quarter', name: '1 четверть', year: 2026 }],
      'edu-groups/10/students': [], 'schools/1/teachers': [], 'work-types/1': [], 'edu-groups/10/final-marks': [], 'lesson-log-entries': [],
      'edu-groups/10/lessons/2026-08-31/2026-09-06': [],
      'edu-groups/10/marks/2026-08-31/2026-09-06': [{ id: 900, id_str: '900', type: 'mark5', value: '5', person: 7, lesson: 500, lessonStr: '500', date: '2026-09-04T10:00:00' }],
      'edu-groups/10/lessons/2026-09-07/2026-09-13': [{ id: 500, id_str: '500', title: 'Дроби', date: '2026-09-08T00:00:00', number: 1, subject: { id: 101, name: 'Математика' }, group: 10, works: [], teachers: [] }],
      'edu-groups/10/marks/2026-09-07/2026-09-13': [],
    };
    const out = [];
    for (const m of await readWith(answers)) {
      if (m.type === 'checkpoint') out.push(`checkpoint ${'resumeFrom' in m.state ? m.state.resumeFrom : 'done'}`);
      else if (m.type === 'record' && (m.stream === 'lessons' || m.stream === 'marks')) out.push(`${m.stream} ${m.record.sourceId}`);
    }
    expect(out).toEqual(['checkpoint null', 'checkpoint 2026-08-31', 'lessons 500', 'marks 900', 'checkpoint 2026-09-14', 'checkpoint done']);
  });

  it('makes one term of periods with the same dates that parallels hold under different ids, and files term marks under it', async () => {
    const period = (id: number) => ({ id, id_str: String(id), start: '2026-09-01T00:00:00', finish: '2026-10-25T00:00:00', type: 'Quarter', name: '1 четверть', year: 2026 });
    const klass = (id: number, name: string) => ({ id, id_str: String(id), type: 'Group', name, parallel: Number(name[0]), studyyear: 2026 });
    const answers: Record<string, unknown> = {
      'schools/1': { id: 1, timeZone: 5 }, 'schools/1/edu-groups': [klass(10, '5А'), klass(20, '6А')], 'schools/1/teachers': [], 'work-types/1': [],
      'edu-groups/10/subjects': [{ id: 101, idStr: '101', name: 'Математика' }], 'edu-groups/20/subjects': [{ id: 101, idStr: '101', name: 'Математика' }],
      'edu-groups/10/reporting-periods': [period(1)], 'edu-groups/20/reporting-periods': [period(2)],
      'edu-groups/10/students': [], 'edu-groups/20/students': [], 'edu-groups/10/final-marks': [],
      'edu-groups/20/final-marks': [{ person: 7, person_str: '7', group: 20, reportingPeriod: 2, reportingPeriod_str: '2', 'per-subject-final-marks': [{ subject: 101, subject_str: '101', 'final-mark': { type: 'mark5', value: '4' } }] }],
    };
    const out = await readWith(answers);
    const records = (stream: string) => out.filter((m) => m.type === 'record' && m.stream === stream).map((m) => (m as unknown as { record: Record<string, unknown> }).record);
    expect(records('terms').map((t) => t.sourceId)).toEqual(['1']);
    expect(records('finalMarks')).toEqual([expect.objectContaining({ kind: 'term', termSourceId: '1', courseSourceId: '20:101', value: '4' })]);
  });
});
