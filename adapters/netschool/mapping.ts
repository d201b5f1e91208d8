import { AttendanceRecord, MarkRecord, MarkScale, TermRecord } from '../contract';

/** NetSchool's JSON as it comes: shapes vary between server versions, so everything is read defensively. */
export type Json = Record<string, any>;

/** "2026-09-14T00:00:00" (or a bare date) → "2026-09-14"; anything else is passed on as it is, for the engine to refuse with a reason. */
export function calendarDate(value: unknown): string {
  const text = String(value ?? '');
  const m = /^(\d{4}-\d{2}-\d{2})(T|$)/.exec(text);
  return m ? m[1] : text;
}

export const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
export const mondayOf = (date: string) => addDays(date, -((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7));

/** "Фамилия Имя [Отчество]", as diary/init's nickName gives a pupil. */
export function personName(nickName: unknown): { lastName: string; firstName: string; middleName: string | null } {
  const [lastName = '', firstName = '', ...rest] = String(nickName ?? '').trim().split(/\s+/);
  return { lastName, firstName, middleName: rest.length ? rest.join(' ') : null };
}

/** «10Б», «5 а», «7-В» → grade and letter; null when the name has no grade in front. */
export function className(name: unknown): { gradeLevel: number; letter: string } | null {
  const m = /^\s*(\d{1,2})\s*[-–]?\s*([А-ЯЁа-яёA-Za-z0-9]{0,3})/.exec(String(name ?? ''));
  return m ? { gradeLevel: Number(m[1]), letter: m[2].toUpperCase() } : null;
}

const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };

/** «2 триместр», «1 четверть», «II полугодие» → kind and number; null for anything else (Годовая, Экзамен …). */
export function termName(name: unknown): { kind: TermRecord['kind']; number: number } | null {
  const text = String(name ?? '').trim().toLowerCase();
  const kind = /четверт/.test(text) ? 'quarter' : /триместр/.test(text) ? 'trimester' : /полугод/.test(text) ? 'half' : null;
  const m = /^(\d|i{1,3}|iv)\b|(\d)\s*-?\s*[яйе]?\s*(четверт|триместр|полугод)/.exec(text);
  const number = m ? Number(m[2] ?? m[1]) || ROMAN[m[1]] : NaN;
  return kind && Number.isInteger(number) ? { kind, number } : null;
}

export const termSourceId = (yearId: string, kind: string, number: number) => `${yearId}:${kind}:${number}`;

/** The kinds of work the hub knows (work_kind codes), by the words NetSchool's assignment type names use. */
const WORK_KINDS: [RegExp, string][] = [
  [/домашн/, 'homework'], [/ответ на уроке|устн|работа на уроке/, 'class_answer'], [/самостоятельн/, 'independent_work'],
  [/контрольн/, 'control_work'], [/проверочн/, 'check_work'], [/диктант/, 'dictation'], [/сочинени|изложени/, 'essay'],
  [/наизусть/, 'recitation'], [/лабораторн/, 'lab_work'], [/практическ/, 'practical_work'], [/тест/, 'test'],
  [/проект/, 'project'], [/зач[её]т/, 'credit'],
];

export function workKind(typeName: string | undefined): string {
  const text = (typeName ?? '').toLowerCase();
  return WORK_KINDS.find(([pattern]) => pattern.test(text))?.[1] ?? 'other';
}

export const isHomeworkType = (typeName: string | undefined) => /домашн/i.test(typeName ?? '');

/**
 * The diary's `weight` is 0 (the server's default for the type applies); the mobile API speaks in
 * tenths (10, 15, 20). Either way the hub gets a weight above 0 and at most 10, or none.
 */
export function weightOf(raw: unknown): number | null {
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw <= 0) return null;
  const weight = raw > 10 ? raw / 10 : raw;
  return weight <= 10 ? weight : null;
}

/**
 * A mark as the hub takes it from a final-marks report cell: five-point («5», «4-») or pass/fail
 * («зач», «незач»); null for what is not a mark (н/а — not assessed, осв — exempt, an empty cell).
 */
export function reportMark(text: string): { scale: MarkScale; value: string; numericValue: number | null } | null {
  const value = text.trim();
  if (/^[1-5]\s*[+-]?$/.test(value)) return { scale: 'five_point', value, numericValue: null };
  if (/^(зач(ет|ёт|тено)?|незач(ет|ёт)?|не зачтено|н\/з)$/i.test(value)) return { scale: 'pass_fail', value, numericValue: null };
  return null;
}

/** What a final-marks report column holds. */
export function finalColumn(header: string): { kind: 'term'; term: { kind: TermRecord['kind']; number: number } } | { kind: 'year' | 'exam' | 'final' } | null {
  const text = header.trim().toLowerCase();
  const term = termName(text);
  if (term) return { kind: 'term', term };
  if (/годов/.test(text)) return { kind: 'year' };
  if (/экзамен/.test(text)) return { kind: 'exam' };
  if (/итог/.test(text)) return { kind: 'final' };
  return null;
}

/** NetSchool's attendance codes (reports; netschoolpy's SPECIAL_MARK_DESCRIPTIONS), lower-cased. ОСВ (exempt) is not an absence. */
const ATTENDANCE: Record<string, AttendanceRecord['status']> = {
  нп: 'absent', от: 'absent', н: 'absent', уп: 'excused', б: 'ill', оп: 'late', оп1: 'late',
};

export function attendanceStatus(code: string): AttendanceRecord['status'] | null {
  return ATTENDANCE[code.trim().toLowerCase()] ?? null;
}

/** One diary assignment's mark for the pupil, or why there is none. */
export function diaryMark(
  assignment: Json, studentId: string, lessonId: string, type: { name: string } | undefined,
): { mark: MarkRecord } | { overdue: true } | null {
  const m = assignment.mark;
  if (m === null || m === undefined || typeof m !== 'object') return null;
  // A «точка»: the work is overdue, and there is no mark to show.
  if (m.dutyMark === true && (m.mark === null || m.mark === undefined)) return { overdue: true };
  const raw = m.mark ?? m.resultScore;
  if (raw === null || raw === undefined || raw === '') return null;
  return {
    mark: {
      sourceId: `${assignment.id}:${studentId}`,
      lessonSourceId: lessonId,
      studentSourceId: studentId,
      scale: 'five_point',
      value: String(raw),
      numericValue: typeof raw === 'number' && Number.isInteger(raw) ? raw : null,
      workKind: workKind(type?.name),
      weight: weightOf(assignment.weight),
      comment: typeof assignment.markComment?.name === 'string' ? assignment.markComment.name : null,
    },
  };
}
