import { createHash } from 'node:crypto';
import type {
  AttendanceRecord, ClassGroupRecord, CourseRecord, FinalMarkRecord, MarkRecord, MarkScale, StaffRecord, StudentRecord, TermRecord,
} from '../contract';

/**
 * ЭлЖур payloads → canonical records, as pure functions. ЭлЖур's student/parent API is loosely typed:
 * ids and numbers come as strings or numbers, booleans as true/"yes"/"__yes"/1, collections as objects
 * keyed by id or as arrays. Every reader here takes either.
 */

export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A text field; numbers are taken as their text (ЭлЖур sends ids both ways). */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A number sent as a number or as a string ("1.5", "1,5"). */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?\d+([.,]\d+)?\s*$/.test(value)) return Number(value.replace(',', '.'));
  return undefined;
}

/** true, "true", "yes", "__yes", 1, "1" are true ([survey]: all four spellings are seen). */
export function flag(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === '1' || value === 'true' || value === 'yes' || value === '__yes') return true;
  if (value === 0 || value === '0' || value === 'false' || value === 'no' || value === '__no' || value === '') return false;
  return undefined;
}

/** The entries of a collection that ЭлЖур sends as an object keyed by id or as an array of objects with `name`. */
export function entries(collection: unknown): [string, Json][] {
  if (Array.isArray(collection)) {
    return collection.filter(isObject).map((item, i) => [text(item.name) ?? text(item.id) ?? String(i + 1), item]);
  }
  if (isObject(collection)) return Object.entries(collection).filter((e): e is [string, Json] => isObject(e[1]));
  return [];
}

// ---------------------------------------------------------------- dates

/** "YYYYMMDD", "YYYY-MM-DD", "YYYY.MM.DD" or "DD.MM.YYYY" → "YYYY-MM-DD", or undefined when it is not a real date. */
export function calendarDate(value: unknown): string | undefined {
  const s = text(value);
  if (!s) return undefined;
  let m = /^(\d{4})[-.]?(\d{2})[-.]?(\d{2})(?:[ T].*)?$/.exec(s);
  let ymd = m ? [m[1], m[2], m[3]] : undefined;
  if (!ymd && (m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(s))) ymd = [m[3], m[2], m[1]];
  if (!ymd) return undefined;
  const iso = ymd.join('-');
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : undefined;
}

/** "2026-09-01" → "20260901", the form ЭлЖур's `days` parameter and day keys take. */
export const dayKey = (date: string) => date.replace(/-/g, '');

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------- periods

export interface Period {
  /** The period's name as ЭлЖур gives it («I четверть»): term marks are keyed by it. */
  name: string;
  kind: TermRecord['kind'];
  number: number;
  startsOn: string;
  endsOn: string;
  weeks: { start: string; end: string }[];
}

const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };
const KINDS: [RegExp, TermRecord['kind']][] = [[/четверт/, 'quarter'], [/триместр/, 'trimester'], [/полугод/, 'half']];

/** «I четверть», «1 четверть», «2-я четверть», «II полугодие», «3 триместр» → kind and number; undefined for anything else («Год»). */
export function termOf(name: string): { kind: TermRecord['kind']; number: number } | undefined {
  const s = name.trim().toLowerCase();
  const kind = KINDS.find(([pattern]) => pattern.test(s))?.[1];
  const m = /^(iv|i{1,3}|\d)\b/.exec(s.replace(/[-–]?(я|й|ое|ая)\b/, ''));
  if (!kind || !m) return undefined;
  const number = ROMAN[m[1]] ?? Number(m[1]);
  const max = kind === 'quarter' ? 4 : kind === 'trimester' ? 3 : 2;
  return number >= 1 && number <= max ? { kind, number } : undefined;
}

/**
 * Periods from `getperiods` (one student's `periods`). The start and end are read as YYYYMMDD or as
 * YYYY-MM-DD (the reference infers YYYYMMDD; both are taken). Disabled periods and those that are
 * not a quarter, trimester or half are left out and named in `skipped`.
 */
export function periodsOf(list: unknown): { periods: Period[]; skipped: string[] } {
  const periods: Period[] = [];
  const skipped: string[] = [];
  for (const [, p] of entries(list)) {
    const name = text(p.name) ?? text(p.fullname) ?? '';
    const term = termOf(name) ?? termOf(text(p.fullname) ?? '');
    const startsOn = calendarDate(p.start);
    const endsOn = calendarDate(p.end);
    if (!term || !startsOn || !endsOn || flag(p.disabled) === true) {
      skipped.push(name || '(no name)');
      continue;
    }
    const weeks = entries(p.weeks)
      .map(([, w]) => ({ start: calendarDate(w.start), end: calendarDate(w.end) }))
      .filter((w): w is { start: string; end: string } => !!w.start && !!w.end);
    periods.push({ name, ...term, startsOn, endsOn, weeks: weeks.length > 0 ? weeks : weeksBetween(startsOn, endsOn) });
  }
  return { periods: periods.sort((a, b) => a.startsOn.localeCompare(b.startsOn)), skipped };
}

/** Monday-to-Sunday weeks cut to the period, for a period sent without its weeks. */
export function weeksBetween(startsOn: string, endsOn: string): { start: string; end: string }[] {
  const weeks: { start: string; end: string }[] = [];
  let start = startsOn;
  while (start <= endsOn) {
    const weekday = new Date(`${start}T00:00:00Z`).getUTCDay() || 7;
    const sunday = addDays(start, 7 - weekday);
    weeks.push({ start, end: sunday < endsOn ? sunday : endsOn });
    start = addDays(sunday, 1);
  }
  return weeks;
}

/** The school year a date falls in: "2026/2027" from September (from July, so that summer dates count with the year ahead). */
export function schoolYearOf(date: string): { label: string; startsOn: string; endsOn: string } {
  const year = Number(date.slice(0, 4));
  const first = Number(date.slice(5, 7)) >= 7 ? year : year - 1;
  return { label: `${first}/${first + 1}`, startsOn: `${first}-09-01`, endsOn: `${first + 1}-08-31` };
}

// ---------------------------------------------------------------- people and classes

/** A person's name from separate fields, else from a title «Иванов Иван Иванович» (ЭлЖур's `title`). */
export function personName(p: Json): { lastName?: string; firstName?: string; middleName: string | null } {
  const words = (text(p.title) ?? '').split(/\s+/).filter(Boolean);
  return {
    lastName: text(p.lastname) ?? words[0],
    firstName: text(p.firstname) ?? words[1],
    middleName: text(p.middlename) ?? words[2] ?? null,
  };
}

export function student(id: string, p: Json): StudentRecord {
  const name = personName(p);
  // A missing name is passed on missing: the engine quarantines the student naming the field.
  return { sourceId: id, lastName: name.lastName as string, firstName: name.firstName as string, middleName: name.middleName };
}

/** «5А», «5 а», «10Б» → grade and letter (upper case), or undefined. */
export function classOf(name: string): { gradeLevel: number; letter: string } | undefined {
  const m = /^\s*(\d{1,2})\s*[-–]?\s*([А-ЯЁA-Zа-яёa-z0-9]{1,3})\s*$/.exec(name);
  if (!m) return undefined;
  return { gradeLevel: Number(m[1]), letter: m[2].toUpperCase() };
}

/** The id of a class group: its name as ЭлЖур writes it, spaces dropped and upper case («5 а» and «5А» are one class). */
export const classSourceId = (name: string) => name.replace(/\s+/g, '').toUpperCase();

export function classGroup(name: string, yearId: string, termKind: ClassGroupRecord['termKind'], homeroomTeacherId: string | null, parallel?: number): ClassGroupRecord {
  const parsed = classOf(name);
  return {
    sourceId: classSourceId(name), academicYearSourceId: yearId,
    gradeLevel: (parsed?.gradeLevel ?? parallel) as number, letter: parsed?.letter ?? name, termKind, homeroomTeacherSourceId: homeroomTeacherId,
  };
}

/**
 * Teachers appear in the diary only by name («Петрова А.А.» or «Петрова Анна Андреевна»), without an
 * id. A teacher who is a class teacher is matched to that class teacher's id (from `getrules`); any
 * other gets an id made from a hash of the name, so that no personal data is in the id.
 */
export class Teachers {
  private readonly byShortName = new Map<string, StaffRecord>();
  readonly known = new Map<string, StaffRecord>();

  addHomeroomTeacher(id: string, group: Json): StaffRecord | undefined {
    const full = text(group.hometeacher_name) ?? '';
    const words = full.split(/\s+/).filter(Boolean);
    const lastName = text(group.hometeacher_lastname) ?? words[0];
    const firstName = text(group.hometeacher_firstname) ?? words[1];
    if (!lastName || !firstName) return undefined;
    const record: StaffRecord = { sourceId: id, lastName, firstName, middleName: text(group.hometeacher_middlename) ?? words[2] ?? null, positions: ['teacher'] };
    this.known.set(id, record);
    this.byShortName.set(shortName(record), record);
    return record;
  }

  /** The staff record of a teacher named in the diary, or undefined when no name is given. */
  named(name: unknown): StaffRecord | undefined {
    const full = text(name);
    if (!full) return undefined;
    const words = full.replace(/([А-ЯЁA-Z]\.)\s*(?=[А-ЯЁA-Z]\.)/g, '$1 ').split(/\s+/).filter(Boolean);
    const record: StaffRecord = {
      sourceId: '', lastName: words[0], firstName: words[1] ?? '?', middleName: words[2] ?? null, positions: ['teacher'],
    };
    const homeroom = this.byShortName.get(shortName(record));
    if (homeroom) return homeroom;
    // Hashed as normalised («Сидоров И.П.» and «Сидоров И. П.» are one teacher).
    record.sourceId = `t-${createHash('sha256').update(words.join(' ').toLowerCase()).digest('hex').slice(0, 16)}`;
    this.known.set(record.sourceId, record);
    return record;
  }
}

/** «Петрова А.А.»: how the diary names a teacher. */
function shortName(r: StaffRecord): string {
  const initial = (s: string | null | undefined) => (s ? `${s[0].toUpperCase()}.` : '');
  return `${r.lastName.toLowerCase()} ${initial(r.firstName)}${initial(r.middleName)}`;
}

/**
 * A course is a class's subject (and group, when the class is split): ЭлЖур has no course ids, so the
 * id is made of the class, the vendor's own subject name and the group — which keeps the vendor's name.
 */
export const courseSourceId = (className: string, subject: string, group: string) => `${classSourceId(className)}:${subject.trim()}:${group.trim()}`;

export function course(className: string, subject: string, group: string): CourseRecord {
  return { sourceId: courseSourceId(className, subject, group), classGroupSourceId: classSourceId(className), subjectName: subject.trim(), subgroup: group.trim() || null };
}

/**
 * A lesson is identified by its course, day and number, not by `lesson_id`: whether `lesson_id` names
 * one lesson or a subject's lessons is uncertain (the reference shows the same id in both places).
 */
export const lessonSourceId = (courseId: string, date: string, number: number | string) => `${courseId}:${dayKey(date)}:${number}`;

/** A mark: its student, lesson and place among that student's marks in the lesson (1, 2, …). */
export const markSourceId = (studentId: string, lessonId: string, place: number) => `${studentId}:${lessonId}:${place}`;

export const attendanceSourceId = (studentId: string, lessonId: string) => `${studentId}:${lessonId}`;

// ---------------------------------------------------------------- marks

/** Absence codes ЭлЖур puts among marks (with count:false): attendance, never marks. */
export const ABSENCE_CODES: Record<string, AttendanceRecord['status'] | null> = {
  'н': 'absent', 'нп': 'absent', 'б': 'ill', 'уп': 'excused', 'оп': 'late',
  // Exempt (освобождён) is neither a mark nor an absence.
  'осв': null,
};

export const absenceStatus = (value: string): AttendanceRecord['status'] | null | undefined => ABSENCE_CODES[value.trim().toLowerCase()];

const PASS_FAIL = /^(зач(ет|ёт|тено)?|незач(ет|ёт)?|не зачтено|н\/з)$/i;

export function scaleOf(value: string): MarkScale {
  return PASS_FAIL.test(value.trim()) ? 'pass_fail' : 'five_point';
}

/** Kinds of work by ЭлЖур's `control_type`/`mtype.type` (or their short forms) → the hub's work_kind codes. */
const WORK_KINDS: [RegExp, string][] = [
  [/^(контрольн|кр$|к\/р)/, 'control_work'],
  [/^(самостоятельн|ср$|с\/р)/, 'independent_work'],
  [/^(проверочн|пр$|п\/р)/, 'check_work'],
  [/^(диктант|д$)/, 'dictation'],
  [/^(лабораторн|лр$|л\/р)/, 'lab_work'],
  [/^(практическ|прр$|пр\.р)/, 'practical_work'],
  [/^(сочинени|изложени)/, 'essay'],
  [/^тест/, 'test'],
  [/^проект/, 'project'],
  [/^зач[её]т/, 'credit'],
  [/^(домашн|дз$|д\/з)/, 'homework'],
  [/^(ответ на уроке|работа на уроке|устный ответ|оу$)/, 'class_answer'],
  [/^(чтение наизусть|наизусть)/, 'recitation'],
];

/** The hub's kind of work; `other` for a kind the table does not know; null when ЭлЖур names none. */
export function workKindOf(a: Json): string | null {
  const mtype = isObject(a.mtype) ? a.mtype : {};
  const names = [text(mtype.type), text(a.control_type), text(mtype.short), text(a.control_type_short)].filter((n): n is string => !!n);
  if (names.length === 0) return null;
  for (const name of names) {
    const key = name.toLowerCase();
    const found = WORK_KINDS.find(([pattern]) => pattern.test(key));
    if (found) return found[1];
  }
  return 'other';
}

/** `weight_float` when there is one (it keeps 1.5), else `weight`; null when neither is a usable weight (the hub's default for the kind then). */
export function weightOf(a: Json): number | null {
  const w = numberOf(a.weight_float) ?? numberOf(a.weight);
  return w !== undefined && w > 0 && w <= 10 ? w : null;
}

/**
 * One assessment of a lesson for a student, as a mark or an attendance record. «5/4» (two marks in one
 * cell, e.g. content and literacy of a composition) becomes two marks. `countas` is kept as the vendor's
 * numeric value when it is a number (the engine keeps it when it reads the same mark).
 */
export type Assessment = { kind: 'mark'; values: string[]; record: Omit<MarkRecord, 'sourceId' | 'value'> } | { kind: 'attendance'; status: AttendanceRecord['status']; comment: string | null } | { kind: 'exempt' };

export function assessmentOf(a: Json, lessonId: string, studentId: string): Assessment {
  const value = typeof a.value === 'string' || typeof a.value === 'number' ? String(a.value).trim() : '';
  const absence = absenceStatus(value);
  if (absence === null) return { kind: 'exempt' };
  if (absence) return { kind: 'attendance', status: absence, comment: text(a.comment) ?? null };
  const parts = /^[1-5][+-]?\/[1-5][+-]?$/.test(value) ? value.split('/') : [value];
  const countas = numberOf(a.countas);
  const date = calendarDate(a.date);
  return {
    kind: 'mark',
    values: parts,
    record: {
      lessonSourceId: lessonId, studentSourceId: studentId, scale: scaleOf(value),
      // A whole `countas` for «4-» only drops the minus: the hub's own reading (3.75) then.
      numericValue: parts.length === 1 && countas !== undefined && countas > 0 && !(/[+-]$/.test(value) && Number.isInteger(countas)) ? countas : null,
      workKind: workKindOf(a), weight: weightOf(a), comment: text(a.comment) ?? null,
      enteredAt: date ? `${date}T00:00:00Z` : null,
    },
  };
}

// ---------------------------------------------------------------- final marks

/** Period names of the marks that are not a term's: year, exam, final. */
export function finalKindOf(period: string): FinalMarkRecord['kind'] | 'term' | undefined {
  const s = period.trim().toLowerCase();
  if (/^(год|годовая|за год)/.test(s)) return 'year';
  if (/^(экзамен|экз)/.test(s)) return 'exam';
  if (/^(итог)/.test(s)) return 'final';
  return termOf(s) ? 'term' : undefined;
}

export const finalMarkSourceId = (studentId: string, courseId: string, period: string) => `${studentId}:${courseId}:${period.trim()}`;
