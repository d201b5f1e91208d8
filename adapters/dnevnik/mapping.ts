import type { AttendanceRecord, FinalMarkRecord, LessonRecord, MarkRecord, MarkScale, PersonRecord, TermRecord } from '../contract';
import { idOf, idsOf, instantOf, isRecord, localDate, text, VendorRecord } from './json';

/**
 * Pure mapping of Dnevnik.ru objects onto the hub's canonical records (the table is in README.md).
 * Nothing here talks to the vendor. A value the mapping cannot read is passed on as it came, so that
 * the engine quarantines the record naming the field.
 */

// ---------------------------------------------------------------- marks

/** Dnevnik.ru's scale types (marks/values) the hub has a scale for. */
const SCALES: Record<string, MarkScale> = { mark5: 'five_point', test: 'pass_fail', mark10: 'ten_point', mark100: 'hundred_point' };
/** Not marks: «н/а» (not assessed), «осв» (exempt), no mark set. */
const NOT_MARKS = new Set(['markna', 'markdismiss', 'notset']);

/** The kinds of work by the work type's title (schools name them), then by Dnevnik.ru's kind. */
const KIND_BY_TITLE: [RegExp, string][] = [
  [/контрольн/i, 'control_work'], [/самостоятельн/i, 'independent_work'], [/проверочн/i, 'check_work'], [/диктант/i, 'dictation'],
  [/наизусть/i, 'recitation'], [/сочинени|изложени/i, 'essay'], [/лабораторн/i, 'lab_work'], [/практическ/i, 'practical_work'],
  [/тест/i, 'test'], [/проект/i, 'project'], [/зач[её]т|норматив/i, 'credit'], [/домашн/i, 'homework'], [/ответ|на уроке/i, 'class_answer'],
];
const KIND_BY_VENDOR_KIND: Record<string, string> = {
  DefaultNewLessonWork: 'class_answer', CommonWork: 'class_answer', LessonTestWork: 'control_work', LessonExamination: 'test',
  LessonComposition: 'essay', LessonByHeart: 'recitation', Homework: 'homework',
};

export interface WorkTypeInfo {
  kind?: string;
  title?: string;
  weight?: unknown;
}

export function workKindOf(type: WorkTypeInfo | undefined, workKind: string | undefined): string | null {
  const title = text(type?.title);
  const byTitle = title ? KIND_BY_TITLE.find(([pattern]) => pattern.test(title))?.[1] : undefined;
  const kind = type?.kind ?? workKind;
  return byTitle ?? (kind ? KIND_BY_VENDOR_KIND[kind] ?? 'other' : null);
}

/** A work type's weight when the hub can take it (above 0, at most 10); else the hub's default for the kind. */
export function weightOf(type: WorkTypeInfo | undefined): number | null {
  const w = typeof type?.weight === 'string' ? Number(type.weight.replace(',', '.')) : type?.weight;
  return typeof w === 'number' && w > 0 && w <= 10 ? w : null;
}

/** Whether a vendor mark is a mark at all (not «н/а», «осв», or an unset one). */
export const isMark = (m: VendorRecord) => !NOT_MARKS.has(String(m.type));

/** The value as given: `value`, else `textValue`; numbers (some clients' shape) as text. */
const valueOf = (m: VendorRecord): string | undefined => {
  const v = m.value ?? m.textValue;
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
};

export function mark(m: VendorRecord, offsetHours: number, type: WorkTypeInfo | undefined, workKind: string | undefined): MarkRecord {
  return {
    sourceId: idOf(m) as string,
    lessonSourceId: idOf(m, 'lesson') as string,
    studentSourceId: idOf(m, 'person') as string,
    // An unknown scale type is passed on, and the engine quarantines the mark naming it.
    scale: (SCALES[String(m.type)] ?? m.type) as MarkScale,
    value: valueOf(m) as string,
    numericValue: null,
    workKind: workKindOf(type, workKind),
    weight: weightOf(type),
    enteredAt: instantOf(m.date, offsetHours) ?? null,
  };
}

export function finalMark(
  m: VendorRecord, ids: { sourceId: string; courseSourceId: string; studentSourceId: string; termSourceId: string | null },
): FinalMarkRecord {
  return {
    sourceId: ids.sourceId,
    courseSourceId: ids.courseSourceId,
    studentSourceId: ids.studentSourceId,
    // A final mark without a reporting period is the year's.
    kind: ids.termSourceId === null ? 'year' : 'term',
    termSourceId: ids.termSourceId,
    scale: (SCALES[String(m.type)] ?? m.type) as MarkScale,
    value: valueOf(m) as string,
    numericValue: null,
  };
}

// ---------------------------------------------------------------- attendance

/**
 * Lesson-log statuses (lesson-log-entries/statuses). «Attend» is presence, not an attendance record.
 * «Pass» is read as absence for a valid reason («уп»): the reference does not settle it (README).
 */
const ATTENDANCE: Record<string, AttendanceRecord['status'] | null> = { attend: null, absent: 'absent', ill: 'ill', late: 'late', pass: 'excused' };

export function attendance(e: VendorRecord): AttendanceRecord | null {
  const status = typeof e.status === 'string' ? ATTENDANCE[e.status.trim().toLowerCase()] : undefined;
  if (status === null) return null;
  const lesson = idOf(e, 'lesson') as string;
  const person = idOf(e, 'person') as string;
  return {
    sourceId: `${lesson}:${person}`,
    lessonSourceId: lesson,
    studentSourceId: person,
    status: (status ?? e.status) as AttendanceRecord['status'],
    comment: text(e.comment) ?? null,
  };
}

// ---------------------------------------------------------------- lessons, people, periods

/** Works of a lesson: objects side by side with it, or only their ids (then read separately). */
export const worksOf = (lesson: VendorRecord): VendorRecord[] => (Array.isArray(lesson.works) ? lesson.works.filter(isRecord) : []);

export function lesson(l: VendorRecord, courseSourceId: string, works: VendorRecord[]): LessonRecord {
  // Homework is the text of the lesson's works of type Homework (due on their targetDate).
  const homework = works.filter((w) => w.type === 'Homework').map((w) => text(w.text)).filter(Boolean).join('\n');
  const teacher = idsOf(l, 'teachers')[0];
  return {
    sourceId: idOf(l) as string,
    courseSourceId,
    date: (localDate(l.date) ?? l.date) as string,
    number: l.number as number,
    topic: text(l.title) ?? null,
    homework: homework || null,
    teacherSourceId: teacher ?? null,
  };
}

/** The lesson's subject id: its `subject` object, or `subjectId`. */
export const lessonSubjectId = (l: VendorRecord): string | undefined => (isRecord(l.subject) ? idOf(l.subject) : idOf(l, 'subjectId') ?? idOf(l, 'subject'));

/** A person as the vendor gives it, bare or wrapped as { person, membershipstatus }. */
export function unwrapPerson(entry: unknown): { person: VendorRecord; archived: boolean } | null {
  if (!isRecord(entry)) return null;
  const person = isRecord(entry.person) ? entry.person : entry;
  const status = entry.membershipstatus ?? entry.membershipStatus;
  return { person, archived: typeof status === 'string' && status.toLowerCase() === 'archive' };
}

export function personRecord(p: VendorRecord): PersonRecord & { birthDate?: string | null } {
  return {
    sourceId: idOf(p) as string,
    lastName: p.lastName as string,
    firstName: p.firstName as string,
    middleName: text(p.middleName) ?? null,
  };
}

const TERM_KIND_BY_TYPE: Record<string, TermRecord['kind']> = { quarter: 'quarter', trimester: 'trimester', halfyear: 'half', semester: 'half' };
const TERM_KIND_BY_COUNT: Record<number, TermRecord['kind']> = { 4: 'quarter', 3: 'trimester', 2: 'half' };

/** The kind of a class's reporting periods: by their `type` when it is a known one, else by how many there are. */
export function termKindOf(periods: VendorRecord[]): TermRecord['kind'] | undefined {
  const types = new Set(periods.map((p) => TERM_KIND_BY_TYPE[String(p.type ?? '').toLowerCase()]));
  const [only] = types;
  return types.size === 1 && only ? only : TERM_KIND_BY_COUNT[periods.length];
}

/** «5А», «10 Б», «11-В» → grade and letter. */
export function parseClassName(name: unknown): { grade: number; letter: string } | undefined {
  const m = typeof name === 'string' ? /^\s*(\d{1,2})\s*[-–]?\s*(\p{L}{1,3})(?=$|[\s\-–.,:;(/])/u.exec(name) : null;
  return m ? { grade: Number(m[1]), letter: m[2].toUpperCase().replace(/Ё/g, 'Е') } : undefined;
}
