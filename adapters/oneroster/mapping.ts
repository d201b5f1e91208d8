import type {
  AcademicYearRecord, ClassGroupRecord, CourseRecord, CourseTeacherRecord, EnrollmentRecord, GuardianRecord, LessonRecord, MarkRecord,
  StaffRecord, StudentGuardianRecord, StudentRecord, TermRecord,
} from '../contract';
import { calendarDate, instantOf } from './dates';
import { GUARDIAN_ROLES, idOf, isDeleted, OrRecord, refId, refIds, rolesOf, stampOf, text, updatedAt } from './oneroster';

/**
 * Pure mapping of OneRoster 1.2 records onto the hub's canonical records (the table is in README.md).
 * Nothing here talks to the provider: the reader fetches, these functions translate.
 */

type TermKind = TermRecord['kind'];
const KIND_BY_COUNT: Record<number, TermKind> = { 4: 'quarter', 3: 'trimester', 2: 'half' };

// ---------------------------------------------------------------- the school's structure

export interface GroupName {
  grade: number;
  letter: string;
}

/** «5А», «5 А», «10-Б», «5А Математика» → grade and letter; undefined when the text does not start so. */
export function parseGroupName(value: unknown): GroupName | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d{1,2})\s*[-–]?\s*(\p{L}{1,3})(?=$|[\s\-–.,:;(/])/u.exec(value);
  if (!m) return undefined;
  return { grade: Number(m[1]), letter: m[2].toUpperCase().replace(/Ё/g, 'Е') };
}

/** OneRoster grades are CEDS codes ("05"); the first numeric one. */
export function gradeFromGrades(record: OrRecord): number | undefined {
  const grades = Array.isArray(record.grades) ? record.grades : [];
  for (const g of grades) if (typeof g === 'string' && /^\d{1,2}$/.test(g.trim())) return Number(g);
  return undefined;
}

interface HomeroomClass {
  record: OrRecord;
  yearId: string | undefined;
  name: GroupName | undefined;
  grade: number | undefined;
}

/**
 * Everything the school's records are mapped with, built each run from the small collections read
 * whole: academic sessions, the school's classes and courses, the teacher enrollments and categories.
 */
export class SchoolStructure {
  readonly years: OrRecord[];
  readonly termsByYear = new Map<string, OrRecord[]>();
  readonly homerooms = new Map<string, HomeroomClass>();
  /** Every class of the school that is not a homeroom: a course of a class group. */
  readonly scheduled = new Map<string, OrRecord>();
  readonly categories: Map<string, OrRecord>;
  private readonly sessions: Map<string, OrRecord>;
  private readonly courses: Map<string, OrRecord>;
  private readonly teachers = new Map<string, OrRecord[]>();
  private readonly teacherTombstones: OrRecord[] = [];
  private readonly groupOfClass = new Map<string, string>();
  private readonly subgroups = new Set<string>();

  constructor(
    readonly schoolId: string,
    sessions: OrRecord[],
    classes: OrRecord[],
    courses: OrRecord[],
    teacherEnrollments: OrRecord[],
    categories: OrRecord[],
  ) {
    this.sessions = new Map(sessions.map((s) => [idOf(s), s]));
    this.courses = new Map(courses.map((c) => [idOf(c), c]));
    this.categories = new Map(categories.map((c) => [idOf(c), c]));
    this.years = sessions.filter((s) => s.type === 'schoolYear');
    for (const year of this.years) {
      // The year's terms, also when semesters stand between (a year of two semesters of two quarters has
      // four terms); semesters themselves only when there are no terms.
      const semesters = sessions.filter((s) => s.type === 'semester' && refId(s, 'parent') === idOf(year));
      const parents = new Set([idOf(year), ...semesters.map(idOf)]);
      const terms = sessions.filter((s) => s.type === 'term' && parents.has(refId(s, 'parent') ?? ''));
      const chosen = terms.length > 0 ? terms : semesters;
      chosen.sort((a, b) => String(a.startDate).localeCompare(String(b.startDate)) || idOf(a).localeCompare(idOf(b)));
      this.termsByYear.set(idOf(year), chosen);
    }
    for (const e of teacherEnrollments) {
      const classId = refId(e, 'class');
      if (!classId) continue;
      if (isDeleted(e)) {
        this.teacherTombstones.push(e);
        continue;
      }
      const list = this.teachers.get(classId) ?? [];
      list.push(e);
      this.teachers.set(classId, list);
    }
    // The primary teacher first, then by sourcedId, so that "the" teacher of a class is the same every run.
    for (const list of this.teachers.values()) list.sort((a, b) => Number(b.primary === 'true') - Number(a.primary === 'true') || idOf(a).localeCompare(idOf(b)));

    for (const cls of classes) {
      if (cls.classType === 'homeroom') {
        const name = parseGroupName(cls.title) ?? parseGroupName(cls.classCode);
        this.homerooms.set(idOf(cls), { record: cls, yearId: this.yearOf(cls), name, grade: name?.grade ?? gradeFromGrades(cls) });
      } else {
        this.scheduled.set(idOf(cls), cls);
      }
    }
    const liveHomerooms = [...this.homerooms.values()].filter((h) => !isDeleted(h.record));
    const seen = new Map<string, string[]>();
    for (const cls of this.scheduled.values()) {
      const group = this.findGroup(cls, liveHomerooms);
      if (!group) continue;
      this.groupOfClass.set(idOf(cls), group);
      if (isDeleted(cls)) continue;
      const key = `${group}\u0000${(this.subjectName(cls) ?? '').toLowerCase()}`;
      seen.set(key, [...(seen.get(key) ?? []), idOf(cls)]);
    }
    // Two classes of one subject in one class group (language groups) are subgroups of it.
    for (const ids of seen.values()) if (ids.length > 1) ids.forEach((id) => this.subgroups.add(id));
  }

  /** The school year a class is taught in: its terms' parent, its course's school year, or the only year there is. */
  yearOf(cls: OrRecord): string | undefined {
    for (const termId of refIds(cls, 'terms')) {
      const term = this.sessions.get(termId);
      if (term?.type === 'schoolYear') return termId;
      const parent = term && refId(term, 'parent');
      if (parent && this.sessions.get(parent)?.type === 'schoolYear') return parent;
    }
    const course = this.courses.get(refId(cls, 'course') ?? '');
    const courseYear = course && refId(course, 'schoolYear');
    if (courseYear) return courseYear;
    return this.years.length === 1 ? idOf(this.years[0]) : undefined;
  }

  /** The homeroom class of the same year, grade and letter; or, without a letter, the only homeroom of the grade. */
  private findGroup(cls: OrRecord, homerooms: HomeroomClass[]): string | undefined {
    const year = this.yearOf(cls);
    const sameYear = homerooms.filter((h) => h.yearId === year);
    const name = parseGroupName(cls.title) ?? parseGroupName(cls.classCode);
    if (name) return sameYear.find((h) => h.name?.grade === name.grade && h.name.letter === name.letter)?.record.sourcedId as string | undefined;
    const grade = gradeFromGrades(cls);
    const ofGrade = sameYear.filter((h) => h.grade === grade);
    return grade !== undefined && ofGrade.length === 1 ? idOf(ofGrade[0].record) : undefined;
  }

  subjectName(cls: OrRecord): string | undefined {
    const course = this.courses.get(refId(cls, 'course') ?? '');
    const subjects = Array.isArray(cls.subjects) ? cls.subjects.map(text).filter(Boolean) : [];
    return text(course?.title) ?? (subjects[0] as string | undefined);
  }

  /** Everyone who teaches one of the school's classes (by an enrollment), wherever the provider registered their role. */
  teacherIds(): Set<string> {
    return new Set([...this.teachers.values()].flat().map((e) => refId(e, 'user')).filter((id): id is string => !!id));
  }

  /** The class's teachers, the primary one first. */
  teacherEnrollments(classId: string): OrRecord[] {
    return this.teachers.get(classId) ?? [];
  }

  teacherOf(classId: string): string | undefined {
    const e = this.teacherEnrollments(classId)[0];
    return e ? refId(e, 'user') : undefined;
  }

  termKind(yearId: string | undefined): TermKind | undefined {
    return yearId === undefined ? undefined : KIND_BY_COUNT[this.termsByYear.get(yearId)?.filter((t) => !isDeleted(t)).length ?? 0];
  }

  /** The school year's first day: the default start of an enrollment. */
  yearStart(yearId: string | undefined): unknown {
    return yearId === undefined ? undefined : this.sessions.get(yearId)?.startDate;
  }

  // ---------------------------------------------------------------- records

  academicYear(year: OrRecord): AcademicYearRecord {
    return { sourceId: idOf(year), label: yearLabel(year) as string, startsOn: year.startDate as string, endsOn: year.endDate as string, updatedAt: updatedAt(year) };
  }

  terms(year: OrRecord): TermRecord[] {
    const terms = (this.termsByYear.get(idOf(year)) ?? []).filter((t) => !isDeleted(t));
    const kind = this.termKind(idOf(year));
    return terms.map((term, i) => ({
      sourceId: idOf(term),
      academicYearSourceId: idOf(year),
      // 1 or 5 terms: no kind of the hub fits, and the engine says so.
      kind: kind as TermKind,
      number: i + 1,
      name: text(term.title) ?? `${i + 1}`,
      startsOn: term.startDate as string,
      endsOn: term.endDate as string,
      updatedAt: updatedAt(term),
    }));
  }

  classGroup(classId: string): ClassGroupRecord {
    const { record, yearId, name, grade } = this.homerooms.get(classId)!;
    const teacher = this.teacherEnrollments(classId)[0];
    return {
      sourceId: classId,
      academicYearSourceId: yearId as string,
      gradeLevel: (name?.grade ?? grade) as number,
      letter: name?.letter as string,
      termKind: this.termKind(yearId),
      homeroomTeacherSourceId: teacher ? refId(teacher, 'user') ?? null : null,
      updatedAt: updatedAt(record, teacher),
    };
  }

  course(classId: string): CourseRecord {
    const cls = this.scheduled.get(classId)!;
    return {
      sourceId: classId,
      classGroupSourceId: this.groupOfClass.get(classId) as string,
      subjectName: this.subjectName(cls) as string,
      subgroup: this.subgroups.has(classId) ? text(cls.classCode) ?? text(cls.title) ?? classId : null,
      updatedAt: updatedAt(cls, this.courses.get(refId(cls, 'course') ?? '')),
    };
  }

  /** Teacher enrollments in the school's subject classes: the course's teachers, and those the provider flagged tobedeleted. */
  courseTeachers(): { records: CourseTeacherRecord[]; tombstones: OrRecord[] } {
    const records: CourseTeacherRecord[] = [];
    for (const [classId, cls] of this.scheduled) {
      if (isDeleted(cls)) continue;
      for (const e of this.teacherEnrollments(classId)) {
        records.push({ sourceId: idOf(e), courseSourceId: classId, staffSourceId: refId(e, 'user') as string, updatedAt: updatedAt(e) });
      }
    }
    return { records, tombstones: this.teacherTombstones.filter((e) => this.scheduled.has(refId(e, 'class')!)) };
  }

  /** A student's enrollment in a homeroom class; from the school year's start when the provider gives no begin date. */
  enrollment(e: OrRecord, zone: string): EnrollmentRecord {
    const classId = refId(e, 'class') as string;
    const begin = e.beginDate == null ? this.yearStart(this.homerooms.get(classId)?.yearId) : e.beginDate;
    return {
      sourceId: idOf(e),
      studentSourceId: refId(e, 'user') as string,
      classGroupSourceId: classId,
      startsOn: (calendarDate(begin, zone) ?? begin) as string,
      endsOn: e.endDate == null ? null : ((calendarDate(e.endDate, zone) ?? e.endDate) as string),
      updatedAt: updatedAt(e),
    };
  }

  /** A line item is a lesson of its class's course; `number` is its place among the class's line items that day. */
  lesson(item: OrRecord, number: number | null, zone: string): LessonRecord {
    const classId = refId(item, 'class');
    const category = this.categories.get(refId(item, 'category') ?? '');
    const title = text(item.title);
    return {
      sourceId: idOf(item),
      courseSourceId: classId as string,
      date: (calendarDate(item.assignDate, zone) ?? item.assignDate) as string,
      number: number as number,
      // «Контрольная работа №2» says what the lesson was about; «Ответ на уроке» (the category's own title) does not.
      topic: title && title !== text(category?.title) ? title : null,
      teacherSourceId: classId ? this.teacherOf(classId) ?? null : null,
      updatedAt: updatedAt(item),
    };
  }

  /**
   * A result is a mark when it is one: not exempt, and with a score or a text score. The text score
   * («4-») is the mark as written; the score its numeric value.
   */
  mark(result: OrRecord, lineItem: OrRecord | undefined, zone: string, weightOf: (category: OrRecord) => number | null): MarkRecord {
    const category = lineItem ? this.categories.get(refId(lineItem, 'category') ?? '') : undefined;
    const score = result.score;
    const numeric = typeof score === 'number' ? score : typeof score === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(score) ? Number(score) : null;
    const textScore = text(result.textScore);
    // A score that is not a number makes the whole result suspect: it is passed on as it came.
    const value = score != null && numeric === null ? String(score) : textScore ?? (numeric !== null ? String(numeric) : undefined);
    return {
      sourceId: idOf(result),
      lessonSourceId: refId(result, 'lineItem') as string,
      studentSourceId: refId(result, 'student') as string,
      scale: 'five_point',
      value: value as string,
      numericValue: numeric,
      workKind: category ? workKindOf(category.title) : null,
      weight: category ? weightOf(category) : null,
      comment: text(result.comment) ?? null,
      enteredAt: (instantOf(result.scoreDate, zone) ?? null) as string | null,
      updatedAt: updatedAt(result),
    };
  }
}

/** The class and school-local day a line item is on ("class|YYYY-MM-DD"), or undefined when either is unreadable. */
export function dayKey(item: OrRecord, zone: string): string | undefined {
  const classId = refId(item, 'class');
  const date = calendarDate(item.assignDate, zone);
  return classId && date ? `${classId}|${date}` : undefined;
}

/**
 * Each line item's lesson number: its place among its class's line items that day, by assignDate.
 * Tombstones keep their place, so that a deletion does not move the lessons after it onto a slot the
 * hub still holds for the deleted one.
 */
export function lessonNumbers(items: Iterable<OrRecord>, zone: string): Map<string, number> {
  const numbers = new Map<string, number>();
  const byDay = new Map<string, OrRecord[]>();
  for (const item of items) {
    const key = dayKey(item, zone);
    if (!key) continue;
    const day = byDay.get(key);
    if (day) day.push(item);
    else byDay.set(key, [item]);
  }
  for (const day of byDay.values()) {
    day
      .sort((a, b) => Date.parse(String(a.assignDate)) - Date.parse(String(b.assignDate)) || idOf(a).localeCompare(idOf(b)))
      .forEach((item, i) => numbers.set(idOf(item), i + 1));
  }
  return numbers;
}

/**
 * Line items in the order their lessons are written: higher numbers first, so that when a new line
 * item comes early in a day the lessons after it move up one by one onto slots already freed, never
 * onto one still taken (a lesson's slot is unique).
 */
export function inWritingOrder(items: OrRecord[], numbers: Map<string, number>): OrRecord[] {
  return [...items].sort((a, b) => (numbers.get(idOf(b)) ?? 0) - (numbers.get(idOf(a)) ?? 0));
}

/**
 * Category weights the hub can take (above 0, at most 10); any other weight gives the marks the hub's
 * default for their kind of work, said once per category in the log.
 */
export class CategoryWeights {
  private readonly warned = new Set<string>();

  constructor(private readonly log: (message: string, details?: Record<string, unknown>) => void) {}

  of = (category: OrRecord): number | null => {
    const raw = category.weight;
    const weight = typeof raw === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw;
    if (typeof weight === 'number' && weight > 0 && weight <= 10) return weight;
    if (raw != null && !this.warned.has(idOf(category))) {
      this.warned.add(idOf(category));
      this.log('a category weight is not a number from above 0 to 10: its marks take the hub\'s default weight for their kind of work', { category: idOf(category), weight: raw });
    }
    return null;
  };
}

export function isMark(result: OrRecord): boolean {
  if (result.scoreStatus === 'exempt') return false;
  return result.score != null || text(result.textScore) !== undefined;
}

const WORK_KINDS: Record<string, string> = {
  'ответ на уроке': 'class_answer',
  'контрольная работа': 'control_work',
  'домашняя работа': 'homework',
};

/** Every mark asks for its category's kind: a full sync asked 130,000 times for a handful of titles. */
const kindsOfTitles = new Map<string, string>();

export function workKindOf(title: unknown): string {
  if (typeof title !== 'string') return 'other';
  let kind = kindsOfTitles.get(title);
  if (kind === undefined) {
    kind = WORK_KINDS[title.trim().toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ')] || 'other';
    if (kindsOfTitles.size < 1000) kindsOfTitles.set(title, kind);
  }
  return kind;
}

/** «2026/2027» from the year's start date, or from OneRoster's schoolYear (the year it ends). */
export function yearLabel(year: OrRecord): unknown {
  const start = typeof year.startDate === 'string' ? /^(\d{4})-/.exec(year.startDate) : null;
  if (start) return `${start[1]}/${Number(start[1]) + 1}`;
  const ends = typeof year.schoolYear === 'string' && /^\d{4}$/.test(year.schoolYear) ? Number(year.schoolYear) : null;
  return ends !== null ? `${ends - 1}/${ends}` : year.title;
}

// ---------------------------------------------------------------- people

/** Russian patronymics say the sex: -вна/-чна/-кызы are a woman's, -вич/-ич/-оглы a man's. */
export function sexFromPatronymic(middleName: unknown): 'male' | 'female' | undefined {
  if (typeof middleName !== 'string') return undefined;
  const m = middleName.trim().toLowerCase();
  if (/(вна|чна|инична|кызы|гызы)$/.test(m)) return 'female';
  if (/(вич|ич|оглы|улы|уулу)$/.test(m)) return 'male';
  return undefined;
}

function person(user: OrRecord) {
  return {
    sourceId: idOf(user),
    lastName: user.familyName as string,
    firstName: user.givenName as string,
    middleName: (user.middleName ?? null) as string | null,
  };
}

export class People {
  /** `teachers`: who teaches the school's classes (staff of the school even with their role at the district). */
  constructor(private readonly schoolId: string, private readonly teachers: Set<string> = new Set()) {}

  private rolesAtSchool(user: OrRecord) {
    return rolesOf(user).filter((r) => r.orgId === undefined || r.orgId === this.schoolId).map((r) => r.role);
  }

  isStudent(user: OrRecord | null | undefined): boolean {
    return !!user && this.rolesAtSchool(user).includes('student');
  }

  staffPositions(user: OrRecord): StaffRecord['positions'] {
    const roles = this.rolesAtSchool(user);
    const positions: StaffRecord['positions'] = [];
    if (roles.includes('teacher') || this.teachers.has(idOf(user))) positions.push('teacher');
    if (roles.includes('principal')) positions.push('director');
    if (roles.includes('siteAdministrator')) positions.push('deputy_director');
    return positions;
  }

  /** A parent, guardian or relative, wherever the provider registered the role. */
  isGuardian(user: OrRecord | null | undefined): boolean {
    return !!user && rolesOf(user).some((r) => GUARDIAN_ROLES.includes(r.role));
  }

  /** A role at the school, or a class of it to teach. */
  belongs(user: OrRecord): boolean {
    return rolesOf(user).some((r) => r.orgId === this.schoolId) || this.teachers.has(idOf(user));
  }

  staff(user: OrRecord): StaffRecord {
    return { ...person(user), positions: this.staffPositions(user), updatedAt: updatedAt(user) };
  }

  student(user: OrRecord, demographics: OrRecord | null | undefined): StudentRecord {
    const birthDate = demographics?.birthDate;
    return { ...person(user), birthDate: (birthDate ?? null) as string | null, updatedAt: updatedAt(user, birthDate != null ? demographics : null) };
  }

  guardian(user: OrRecord): GuardianRecord {
    return { ...person(user), updatedAt: updatedAt(user) };
  }

  /**
   * A parent is a mother or a father by the sex in their demographics, or else by their patronymic;
   * a guardian or relative (or a parent whose sex nobody says) is a legal guardian.
   */
  link(student: OrRecord, guardian: OrRecord, demographics: OrRecord | null | undefined): StudentGuardianRecord {
    const isParent = rolesOf(guardian).some((r) => r.role === 'parent');
    const sex = demographics?.sex === 'male' || demographics?.sex === 'female' ? demographics.sex : sexFromPatronymic(guardian.middleName);
    const relation = !isParent || sex === undefined ? 'legal_guardian' : sex === 'female' ? 'mother' : 'father';
    return {
      sourceId: linkId(idOf(student), idOf(guardian)),
      studentSourceId: idOf(student),
      guardianSourceId: idOf(guardian),
      relation,
      updatedAt: latestStamp(student, guardian, demographics),
    };
  }
}

export const linkId = (studentId: string, guardianId: string) => `${studentId}:${guardianId}`;

/**
 * The student–guardian links among these people: a link is there when either side names the other
 * among its agents (the other side looked up with `userOf`); a person flagged tobedeleted takes their
 * links along (`deleted`: link id → the tombstone that removed it).
 */
export function guardianLinks(
  people: People, students: OrRecord[], guardians: Iterable<OrRecord>, userOf: (id: string) => OrRecord | null | undefined,
): { links: Map<string, { student: OrRecord; guardian: OrRecord }>; deleted: Map<string, OrRecord> } {
  const links = new Map<string, { student: OrRecord; guardian: OrRecord }>();
  const deleted = new Map<string, OrRecord>();
  for (const s of students) {
    for (const id of refIds(s, 'agents')) {
      const g = userOf(id);
      if (isDeleted(s)) deleted.set(linkId(idOf(s), id), s);
      else if (g && people.isGuardian(g)) {
        if (isDeleted(g)) deleted.set(linkId(idOf(s), id), g);
        else links.set(linkId(idOf(s), id), { student: s, guardian: g });
      }
    }
  }
  for (const g of guardians) {
    for (const id of refIds(g, 'agents')) {
      const s = userOf(id);
      if (isDeleted(g)) deleted.set(linkId(id, idOf(g)), g);
      else if (s && people.isStudent(s)) {
        if (isDeleted(s)) deleted.set(linkId(id, idOf(g)), s);
        else links.set(linkId(id, idOf(g)), { student: s, guardian: g });
      }
    }
  }
  for (const id of links.keys()) deleted.delete(id);
  return { links, deleted };
}

function latestStamp(...records: (OrRecord | null | undefined)[]): string | undefined {
  const stamps = records.map(stampOf).filter((s): s is number => s !== null);
  return stamps.length ? new Date(Math.max(...stamps)).toISOString() : undefined;
}

