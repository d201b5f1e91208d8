/**
 * The vendor's data as the simulator keeps it. Ids are 64-bit integers (bigint): many are above 2^53,
 * as Dnevnik.ru's are, so a client that reads them as JavaScript numbers loses them.
 */
export type Id = bigint;

export interface School {
  id: Id;
  name: string;
  fullName: string;
  city: string;
  /** Hours from UTC, as Dnevnik.ru gives it (Kogalym: 5). */
  timeZone: number;
  markType: string;
}

export interface Subject {
  id: Id;
  name: string;
  knowledgeArea: string;
  fgosSubjectId: number;
}

export interface EduGroup {
  id: Id;
  type: 'Group' | 'Subgroup';
  name: string;
  parentId: Id | null;
  parallel: number;
  studyyear: number;
  subjectIds: Id[];
}

export interface Person {
  id: Id;
  userId: Id;
  firstName: string;
  lastName: string;
  middleName: string;
  sex: 'Male' | 'Female';
  birthday: string | null;
}

export interface Membership {
  groupId: Id;
  personId: Id;
  status: 'Active' | 'Archive';
}

export interface ReportingPeriod {
  id: Id;
  start: string;
  finish: string;
  number: number;
  type: string;
  name: string;
  year: number;
}

export interface WorkType {
  id: number;
  kind: string;
  title: string;
  abbr: string;
  weight: number;
}

export interface Lesson {
  id: Id;
  groupId: Id;
  subjectId: Id;
  /** YYYY-MM-DD */
  date: string;
  number: number;
  title: string;
  teacherId: Id;
  place: string;
  hours: string;
}

export interface Work {
  id: Id;
  lessonId: Id;
  groupId: Id;
  subjectId: Id;
  type: string;
  workTypeId: number;
  markType: string;
  text: string;
  targetDate: string | null;
  createdBy: Id;
}

export interface Mark {
  id: Id;
  personId: Id;
  workId: Id;
  lessonId: Id;
  type: string;
  value: string;
  /** Local time without a zone, with or without milliseconds, as the vendor serves it. */
  date: string;
  workTypeId: number;
}

export interface LogEntry {
  lessonId: Id;
  personId: Id;
  status: 'Attend' | 'Absent' | 'Ill' | 'Late' | 'Pass';
  comment: string;
  createdDate: string;
}

export interface FinalMark {
  id: Id;
  personId: Id;
  groupId: Id;
  subjectId: Id;
  /** null: the year mark. */
  periodId: Id | null;
  type: string;
  value: string;
  date: string;
}

export interface Dataset {
  school: School;
  subjects: Subject[];
  groups: EduGroup[];
  persons: Person[];
  teachers: Id[];
  memberships: Membership[];
  periods: ReportingPeriod[];
  workTypes: WorkType[];
  lessons: Lesson[];
  works: Work[];
  marks: Mark[];
  logEntries: LogEntry[];
  finalMarks: FinalMark[];
}

/** The first ids above 2^53 (9007199254740992): neighbours there collapse into one JavaScript number. */
export const ABOVE_2_53 = 2n ** 53n;

export const LOG_STATUSES = ['Attend', 'Absent', 'Ill', 'Late', 'Pass'] as const;

export const MARK_SCALES = [
  'mark5', 'mark10', 'mark100', 'markabcdf', 'mark6', 'mark7', 'mark12', 'test', 'markna', 'markdismiss', 'markoral6band', 'notset',
] as const;
