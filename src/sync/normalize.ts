import type { StreamName } from '../../adapters/contract';
import { MarkScale } from '../modules/journal/journal.entities';
import { parseMark, SCALE_HINT } from '../modules/journal/mark-scale';

/** A record in the shape of its table's columns, or why it cannot be taken in. */
export type Normalized = { ok: true; row: Record<string, unknown> } | { ok: false; field: string; reason: string };

/** What normalisation needs from the hub: the municipality's subjects and the kinds of work. */
export interface Catalog {
  /** Subject names and their aliases (as subjectKey gives them) → subject id. */
  subjects: Map<string, string>;
  workKinds: Set<string>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (v: unknown) => typeof v === 'string' && DATE.test(v) && !Number.isNaN(Date.parse(v));
const isInstant = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v));
const nonEmpty = (v: unknown) => typeof v === 'string' && v.trim() !== '';
export const subjectKey = (name: string) => name.trim().toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ');
/** Level words schools append to a subject («Физика профиль», «Химия (углублённый уровень)»): the same subject. */
const LEVEL = /\s*\(?\s*(профиль|профильный|базовый|углубленный|углубленное изучение)( уровень)?\s*\)?$/;

/** The municipality's subject a vendor's subject name means: by name or alias, then without a level word. */
export function subjectOf(catalog: Catalog, name: string): string | undefined {
  const key = subjectKey(name);
  return catalog.subjects.get(key) ?? catalog.subjects.get(key.replace(LEVEL, ''));
}

class Problem extends Error {
  constructor(readonly field: string, readonly reason: string) {
    super(reason);
  }
}
const need = (condition: boolean, field: string, reason: string) => {
  if (!condition) throw new Problem(field, reason);
};
const oneOf = (value: unknown, allowed: readonly string[], field: string) =>
  need(typeof value === 'string' && allowed.includes(value), field, `must be one of ${allowed.join(', ')}`);

/** A mark as the vendor gave it, read on its scale; the vendor's numeric value kept when it agrees. */
function mark(r: Record<string, unknown>): Record<string, unknown> {
  oneOf(r.scale, Object.values(MarkScale), 'scale');
  need(typeof r.value === 'string', 'value', 'is missing');
  const parsed = parseMark(r.scale as MarkScale, r.value as string);
  need(parsed !== null, 'value', `"${r.value}" is not on the ${r.scale} scale: expected ${SCALE_HINT[r.scale as MarkScale]}`);
  const own = typeof r.numericValue === 'number' ? r.numericValue : null;
  // The vendor's own «4-» may be 3.5 or 3.7; keep it when it is a reading of the same mark.
  const fivePoint = parsed!.scale === MarkScale.FIVE_POINT;
  const numericValue = fivePoint && own !== null && Math.abs(own - Number(parsed!.value[0])) <= 0.5 ? own : parsed!.numericValue;
  return { scale: parsed!.scale, value: parsed!.value, numeric_value: numericValue, source_value: r.value };
}

/** An optional text field: null when absent, else it must be text. */
const optionalText = (r: Record<string, unknown>, field: string): string | null => {
  const value = r[field];
  if (value == null) return null;
  need(typeof value === 'string', field, 'must be text');
  return (value as string).trim() || null;
};

const PERSON = (r: Record<string, unknown>) => {
  need(nonEmpty(r.lastName), 'lastName', 'is empty');
  need(nonEmpty(r.firstName), 'firstName', 'is empty');
  return { last_name: (r.lastName as string).trim(), first_name: (r.firstName as string).trim(), middle_name: optionalText(r, 'middleName') };
};

/** Checks and normalises one record of a stream; everything the database would refuse is caught here with a reason. */
export function normalize(stream: StreamName, record: unknown, catalog: Catalog): Normalized {
  try {
    need(typeof record === 'object' && record !== null, 'record', 'is not an object');
    const r = record as Record<string, unknown>;
    need(nonEmpty(r.sourceId) && (r.sourceId as string).length <= 200, 'sourceId', 'must be a non-empty id of at most 200 characters');
    if (r.updatedAt != null) need(isInstant(r.updatedAt), 'updatedAt', 'is not a date-time');
    const dates = (...fields: string[]) => fields.forEach((f) => r[f] != null && need(isDate(r[f]), f, 'is not a date YYYY-MM-DD'));
    let row: Record<string, unknown>;
    switch (stream) {
      case 'academicYears':
        need(/^\d{4}\/\d{4}$/.test(String(r.label)), 'label', 'must read like "2026/2027"');
        dates('startsOn', 'endsOn');
        row = { label: r.label, starts_on: r.startsOn, ends_on: r.endsOn };
        break;
      case 'terms':
        oneOf(r.kind, ['quarter', 'trimester', 'half'], 'kind');
        need(Number.isInteger(r.number), 'number', 'must be a whole number');
        dates('startsOn', 'endsOn');
        row = { kind: r.kind, number: r.number, name: String(r.name ?? `${r.number}`), starts_on: r.startsOn, ends_on: r.endsOn };
        break;
      case 'staff': {
        const positions = Array.isArray(r.positions) && r.positions.length ? r.positions : ['teacher'];
        positions.forEach((p: unknown) => oneOf(p, ['teacher', 'director', 'deputy_director', 'it'], 'positions'));
        row = { ...PERSON(r), positions };
        break;
      }
      case 'students':
        dates('birthDate');
        row = { ...PERSON(r), birth_date: r.birthDate ?? null };
        break;
      case 'guardians':
        row = PERSON(r);
        break;
      case 'studentGuardians':
        oneOf(r.relation, ['mother', 'father', 'legal_guardian'], 'relation');
        row = { relation: r.relation };
        break;
      case 'classGroups': {
        need(Number.isInteger(r.gradeLevel) && (r.gradeLevel as number) >= 1 && (r.gradeLevel as number) <= 11, 'gradeLevel', 'must be 1 to 11');
        const letter = String(r.letter ?? '').trim().toUpperCase().replace(/Ё/g, 'Е');
        need(/^[А-ЯA-Z0-9]{1,3}$/.test(letter), 'letter', 'must be one to three letters or digits');
        const termKind = r.termKind ?? 'quarter';
        oneOf(termKind, ['quarter', 'trimester', 'half'], 'termKind');
        row = { grade_level: r.gradeLevel, letter, term_kind: termKind };
        break;
      }
      case 'courses': {
        need(nonEmpty(r.subjectName), 'subjectName', 'is empty');
        const subjectId = subjectOf(catalog, r.subjectName as string);
        need(subjectId !== undefined, 'subjectName', `"${r.subjectName}" is not a subject of the municipality's list nor another name of one (add it as a subject alias, then retry)`);
        row = { subject_id: subjectId, subgroup: optionalText(r, 'subgroup') ?? '', source_subject_name: (r.subjectName as string).trim() };
        break;
      }
      case 'courseTeachers':
      case 'courseStudents':
        row = {};
        break;
      case 'enrollments':
        dates('startsOn', 'endsOn');
        need(r.startsOn != null, 'startsOn', 'is missing');
        need(r.endsOn == null || (r.endsOn as string) >= (r.startsOn as string), 'endsOn', 'is before startsOn');
        row = { starts_on: r.startsOn, ends_on: r.endsOn ?? null };
        break;
      case 'lessons':
        dates('date');
        need(r.date != null, 'date', 'is missing');
        need(Number.isInteger(r.number) && (r.number as number) >= 0 && (r.number as number) <= 12, 'number', 'must be 0 to 12');
        row = { date: r.date, number: r.number, topic: optionalText(r, 'topic'), homework: optionalText(r, 'homework') };
        break;
      case 'marks': {
        if (r.weight != null) need(typeof r.weight === 'number' && r.weight > 0 && r.weight <= 10, 'weight', 'must be above 0 and at most 10');
        if (r.enteredAt != null) need(isInstant(r.enteredAt), 'enteredAt', 'is not a date-time');
        const workKind = typeof r.workKind === 'string' && catalog.workKinds.has(r.workKind) ? r.workKind : 'other';
        // Without the vendor's entry time, its last change is the best evidence of when the mark was given;
        // with neither, the entry time stays unknown (the time of the sync is not it).
        row = { ...mark(r), work_kind: r.workKind == null ? 'class_answer' : workKind, weight: r.weight ?? null, comment: optionalText(r, 'comment'), entered_at: r.enteredAt ?? r.updatedAt ?? null };
        break;
      }
      case 'attendance':
        oneOf(r.status, ['absent', 'ill', 'excused', 'late'], 'status');
        row = { status: r.status, comment: optionalText(r, 'comment') };
        break;
      case 'finalMarks':
        oneOf(r.kind, ['term', 'year', 'exam', 'final'], 'kind');
        need((r.kind === 'term') === (r.termSourceId != null), 'termSourceId', 'is required for a term mark and only for it');
        row = { kind: r.kind, ...mark(r) };
        break;
    }
    return { ok: true, row: row! };
  } catch (error) {
    if (error instanceof Problem) return { ok: false, field: error.field, reason: error.reason };
    // Whatever else a malformed record trips on, it is that record's problem, not the run's.
    return { ok: false, field: 'record', reason: `cannot be read (${(error as Error).message})` };
  }
}
