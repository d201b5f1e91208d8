/**
 * How the report's values read in Russian, shared by the DOCX form and the consolidated sheet so the
 * two never word one value differently. Each function also validates what it formats: a report that
 * says 140 % or 2026-02-30 is refused, not printed.
 */
import { AppError, badInput } from '../../../common/errors';
import { parseCalendarDate, russianDate } from '../../applications/documents/russian-dates';
import { Approval, ClassShareSet, ConsolidatedRow, RolloutReportData } from './rollout-report';

/** What an unknown value prints as: a dash, never «null», never an invented zero. */
export const UNKNOWN = '—';

/** Keeps «64 %» and «1А – 70 %» each on one line; a list of shares breaks only after its commas. */
const NBSP = '\u00a0';

export const STATUS_LABELS: Record<ConsolidatedRow['status'], string> = {
  draft: 'черновик',
  submitted: 'сдан',
  accepted: 'принят',
  returned: 'возвращён',
  missing: 'не сдан',
  late: 'просрочен',
};

/** russian-dates.ts reports a bad date under the applications area; here it is the rollout report's. */
function withRolloutReason<T>(field: string, value: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof AppError && error.code === 'BAD_USER_INPUT') {
      throw badInput('ROLLOUT_REPORT_DATE_INVALID', { [field]: `expected a calendar date YYYY-MM-DD, got "${value}"` });
    }
    throw error;
  }
}

/** "2026-11-15" → «15 ноября 2026 г.» */
export const reportDate = (value: string, field: string): string => withRolloutReason(field, value, () => russianDate(value, field));

/** "2026-04-18" → «18.04.2026», the way an order's date is cited. */
export function numericDate(value: string, field: string): string {
  const { year, month, day } = withRolloutReason(field, value, () => parseCalendarDate(value, field));
  return `${String(day).padStart(2, '0')}.${String(month).padStart(2, '0')}.${year}`;
}

/** Checks a percentage is 0..100 (or null) and returns it unchanged. */
export function checkedPercent(value: number | null, field: string): number | null {
  if (value !== null && !(Number.isFinite(value) && value >= 0 && value <= 100)) {
    throw badInput('ROLLOUT_REPORT_PERCENT_INVALID', { [field]: `expected a percentage from 0 to 100, got ${value}` });
  }
  return value;
}

/** 64 → «64 %», 64.25 → «64,3 %» (one decimal at most, Russian decimal comma), null → «—». */
export function percentText(value: number | null, field: string): string {
  const checked = checkedPercent(value, field);
  if (checked === null) return UNKNOWN;
  const rounded = Math.round(checked * 10) / 10;
  return `${String(rounded).replace('.', ',')}${NBSP}%`;
}

/** A labelled share, e.g. a class («1А») or a database («контингент»). */
export interface Share {
  label: string;
  percent: number | null;
}

/**
 * A total share followed by its parts in parentheses, as items 8, 9, 12 and 14 ask:
 * «64 % родителей (1А – 70 %, 1Б – 58 %)». The words after the percentage (`of`) describe a known
 * percentage only: with none, the line is «— (1А – 70 %)», or just «—» with no parts either.
 * `field` and `partsField` are the input paths named if a percentage is refused.
 */
export function sharesText(total: number | null, parts: Share[], field: string, partsField: string, of = ''): string {
  const totalText = percentText(total, field);
  const head = total === null || !of ? totalText : `${totalText} ${of}`;
  if (!parts.length) return head;
  const list = parts.map((part, i) => `${part.label}${NBSP}–${NBSP}${percentText(part.percent, `${partsField}.${i}.percent`)}`).join(', ');
  return `${head} (${list})`;
}

export const classShareSetText = (set: ClassShareSet, field: string, of = ''): string =>
  sharesText(set.percent, set.classes.map((share) => ({ label: share.className, percent: share.percent })), `${field}.percent`, `${field}.classes`, of);

/**
 * «приказ от 18.04.2026 № 45», with whichever half is known; null when neither is. Callers put the
 * participle in front: «утверждён» agrees with «план», but a local act's title may be of any gender.
 */
export function approvalDetails(approval: Approval, field: string): string | null {
  const parts = [
    approval.approvalDate && `от ${numericDate(approval.approvalDate, `${field}.approvalDate`)}`,
    approval.approvalNumber?.trim() && `№ ${approval.approvalNumber.trim()}`,
  ].filter(Boolean);
  return parts.length ? parts.join(' ') : null;
}

/** «Фамилия Имя Отчество, должность»; an unknown half is «—», both unknown is «—». */
export function responsibleText({ name, position }: RolloutReportData['items']['responsiblePerson']): string {
  if (!name?.trim() && !position?.trim()) return UNKNOWN;
  return [name?.trim() || UNKNOWN, position?.trim()].filter(Boolean).join(', ');
}

export const yesNoText = (value: boolean | null): string => (value === null ? UNKNOWN : value ? 'есть' : 'нет');

/**
 * The school as the form's «МБОУ « _____ »» wants it: the organisational form outside the quotes and
 * the name inside. «МБОУ «СОШ № 5»» is kept as it is; «МАОУ СОШ №3» becomes «МАОУ «СОШ №3»»; a name
 * without an organisational form is only quoted, since guessing МБОУ or МАОУ would misname the school.
 */
export function schoolName(shortName: string): string {
  const name = shortName.trim();
  if (/[«"„“]/.test(name)) return name;
  const form = /^([А-ЯЁ]{1,4}ОУ)\s+(.+)$/u.exec(name);
  return form ? `${form[1]} «${form[2]}»` : `«${name}»`;
}
