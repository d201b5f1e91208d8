import {
  assessmentOf, calendarDate, classOf, entries, finalKindOf, flag, numberOf, periodsOf, Teachers, termOf, weightOf,
} from '../../../adapters/eljur/mapping';
import { envelopeOf } from '../../../adapters/eljur/client';

/** Payloads in the shapes of the ЭлЖур API's zod models (reference 3.3). */
const MARK = {
  value: '5', countas: '5', count: true, convert: 5, weight: 1, weight_float: 1.0, comment: '', date: '2012-09-03',
  lesson_id: '987654', nm: '1', color_hex: null, control_type: 'Контрольная работа', control_type_short: 'КР',
};
const ABSENCE = { value: 'н', countas: 0, count: false, convert: 0, comment: '', date: '2012-09-06', lesson_id: '987654', nm: '3', lesson_comment: null };

describe('ЭлЖур normalisation', () => {
  it('reads the envelope from the state inside a 200 as well as from the HTTP status', () => {
    const inside = envelopeOf({ status: 200, headers: new Headers(), text: JSON.stringify({ response: { state: 400, error: 'не удалось авторизовать разработчика', result: {} } }) });
    expect(inside).toEqual({ state: 400, error: 'не удалось авторизовать разработчика', result: {} });
    const ok = envelopeOf({ status: 200, headers: new Headers(), text: '{"response":{"state":200,"error":null,"result":{"token":"t"}}}' });
    expect(ok).toEqual({ state: 200, error: '', result: { token: 't' } });
    // The unwrapped getusersvendors error: the HTTP status stands for the state.
    expect(envelopeOf({ status: 400, headers: new Headers(), text: '{"error":"bad v_token","result":false}' })).toEqual({ state: 400, error: 'bad v_token', result: false });
    expect(envelopeOf({ status: 502, headers: new Headers(), text: '<html>Bad Gateway</html>' })).toBeNull();
  });

  it('turns absence codes in a mark list (count:false) into attendance, not marks', () => {
    expect(assessmentOf(ABSENCE, 'L', 'S')).toEqual({ kind: 'attendance', status: 'absent', comment: null });
    expect(assessmentOf({ ...ABSENCE, value: 'ОП' }, 'L', 'S')).toEqual({ kind: 'attendance', status: 'late', comment: null });
    expect(assessmentOf({ ...ABSENCE, value: 'Н' }, 'L', 'S')).toMatchObject({ kind: 'attendance', status: 'absent' });
    expect(assessmentOf({ ...ABSENCE, value: 'б' }, 'L', 'S')).toMatchObject({ kind: 'attendance', status: 'ill' });
    expect(assessmentOf({ ...ABSENCE, value: 'уп' }, 'L', 'S')).toMatchObject({ kind: 'attendance', status: 'excused' });
    expect(assessmentOf({ ...ABSENCE, value: 'осв' }, 'L', 'S')).toEqual({ kind: 'exempt' });
  });

  it('keeps the vendor value of a mark next to its scale, kind of work and weight', () => {
    expect(assessmentOf(MARK, 'L', 'S')).toEqual({
      kind: 'mark', values: ['5'],
      record: { lessonSourceId: 'L', studentSourceId: 'S', scale: 'five_point', numericValue: 5, workKind: 'control_work', weight: 1, comment: null, enteredAt: '2012-09-03T00:00:00Z' },
    });
    const minus = assessmentOf({ ...MARK, value: '4-', countas: '4', convert: 4 }, 'L', 'S');
    // «4-» is kept as given; a whole countas would only drop the minus, so the hub reads it itself.
    expect(minus).toMatchObject({ values: ['4-'], record: { scale: 'five_point', numericValue: null } });
    expect(assessmentOf({ ...MARK, value: '4-', countas: '3.7' }, 'L', 'S')).toMatchObject({ record: { numericValue: 3.7 } });
    expect(assessmentOf({ ...MARK, value: 'зач', countas: 0, convert: 0 }, 'L', 'S')).toMatchObject({ values: ['зач'], record: { scale: 'pass_fail', numericValue: null } });
    expect(assessmentOf({ ...MARK, value: '5/4' }, 'L', 'S')).toMatchObject({ values: ['5', '4'], record: { numericValue: null } });
  });

  it('prefers weight_float to weight, takes numbers sent as strings, and leaves unusable weights to the hub', () => {
    expect(weightOf({ weight: 2, weight_float: 1.5 })).toBe(1.5);
    expect(weightOf({ weight: '2' })).toBe(2);
    expect(weightOf({ weight: 0, weight_float: 0 })).toBeNull();
    expect(weightOf({ weight_float: '1,5' })).toBe(1.5);
    expect(numberOf('4.50')).toBe(4.5);
    expect(numberOf('абв')).toBeUndefined();
  });

  it('reads the kind of work from control_type, mtype or their short forms', () => {
    expect(assessmentOf({ ...MARK, control_type: undefined, control_type_short: undefined, mtype: { id: 3, short: 'КР', type: 'Контрольная работа' } }, 'L', 'S'))
      .toMatchObject({ record: { workKind: 'control_work' } });
    expect(assessmentOf({ ...MARK, control_type: 'Самостоятельная работа', control_type_short: 'СР' }, 'L', 'S')).toMatchObject({ record: { workKind: 'independent_work' } });
    expect(assessmentOf({ ...MARK, control_type: 'Работа с картой', control_type_short: 'РК' }, 'L', 'S')).toMatchObject({ record: { workKind: 'other' } });
    expect(assessmentOf({ ...MARK, control_type: undefined, control_type_short: undefined }, 'L', 'S')).toMatchObject({ record: { workKind: null } });
  });

  it('reads days keyed YYYYMMDD and the other date spellings, refusing dates that do not exist', () => {
    expect(calendarDate('20120903')).toBe('2012-09-03');
    expect(calendarDate('2012-09-03')).toBe('2012-09-03');
    expect(calendarDate('2012.09.03')).toBe('2012-09-03');
    expect(calendarDate('03.09.2012')).toBe('2012-09-03');
    expect(calendarDate('2012-09-03 08:30:00')).toBe('2012-09-03');
    expect(calendarDate('20120931')).toBeUndefined();
    expect(calendarDate(20120903)).toBe('2012-09-03');
  });

  it('reads booleans in all their spellings and collections keyed by id or listed', () => {
    expect([true, 'yes', '__yes', 1, '1'].map(flag)).toEqual([true, true, true, true, true]);
    expect([false, 'no', 0, ''].map(flag)).toEqual([false, false, false, false]);
    expect(entries({ 12345: { name: '12345' } }).map(([k]) => k)).toEqual(['12345']);
    expect(entries([{ name: '12345' }, { name: '777' }]).map(([k]) => k)).toEqual(['12345', '777']);
  });

  it('takes periods with YYYYMMDD or ISO dates, names terms in Roman or Arabic numerals, and leaves out the rest', () => {
    const { periods, skipped } = periodsOf([
      { name: 'I четверть', fullname: '1 четверть', start: '20120901', end: '20121028', disabled: null, ambigious: null, weeks: [{ start: '20120903', end: '20120909', title: '03.09 - 09.09' }] },
      { name: 'II полугодие', start: '2013-01-09', end: '2013-05-31' },
      { name: 'Год', start: '20120901', end: '20130531', disabled: true },
    ]);
    expect(periods.map((p) => [p.name, p.kind, p.number, p.startsOn, p.endsOn])).toEqual([
      ['I четверть', 'quarter', 1, '2012-09-01', '2012-10-28'], ['II полугодие', 'half', 2, '2013-01-09', '2013-05-31'],
    ]);
    expect(periods[0].weeks).toEqual([{ start: '2012-09-03', end: '2012-09-09' }]);
    // A period sent without weeks is cut into Monday-to-Sunday weeks.
    expect(periods[1].weeks[0]).toEqual({ start: '2013-01-09', end: '2013-01-13' });
    expect(skipped).toEqual(['Год']);
    expect(termOf('3 триместр')).toEqual({ kind: 'trimester', number: 3 });
    expect(termOf('V четверть')).toBeUndefined();
    expect(['I четверть', 'Год', 'Годовая', 'Экзамен', 'Итоговая', 'Четвертная'].map(finalKindOf)).toEqual(['term', 'year', 'year', 'exam', 'final', undefined]);
  });

  it('reads class names with spaces and lower-case letters', () => {
    expect(classOf('5А')).toEqual({ gradeLevel: 5, letter: 'А' });
    expect(classOf('10 б')).toEqual({ gradeLevel: 10, letter: 'Б' });
    expect(classOf('Кружок')).toBeUndefined();
  });

  it('matches a diary teacher to the class teacher by the short name, and ids others without their name', () => {
    const teachers = new Teachers();
    teachers.addHomeroomTeacher('222', { hometeacher_name: 'Петрова Анна Андреевна', hometeacher_lastname: 'Петрова', hometeacher_firstname: 'Анна', hometeacher_middlename: 'Андреевна' });
    expect(teachers.named('Петрова А.А.')).toMatchObject({ sourceId: '222', firstName: 'Анна' });
    const other = teachers.named('Сидоров И. П.')!;
    expect(other).toMatchObject({ lastName: 'Сидоров', firstName: 'И.', middleName: 'П.' });
    expect(other.sourceId).toMatch(/^t-[0-9a-f]{16}$/);
    expect(teachers.named('Сидоров И.П.')!.sourceId).toBe(other.sourceId);
  });
});
