import type { Random } from './random';
import type { StudentModel } from './school-model';

export type Absence = 'ill' | 'excused' | 'absent';

/**
 * A student's attendance for one day. Illness and excused absence cover the whole day (and often
 * several days); unexcused absence is a whole day or one skipped lesson; lateness is for the first lesson.
 */
export interface DayAttendance {
  absence: Absence | null;
  lateForFirstLesson: boolean;
  skippedLesson: number | null;
}

const PRESENT: DayAttendance = { absence: null, lateForFirstLesson: false, skippedLesson: null };

/** Daily chances for an average student; each student's frailty and truancy scale them. */
const FALLS_ILL = 0.0085;
const EXCUSED = 0.004;
const TRUANT_DAY = 0.004;
const LATE = 0.02;
const SKIPS_LESSON = 0.008;

/** Colds and flu peak in the Siberian winter. */
const ILLNESS_SEASON: Record<string, number> = {
  '09': 0.6, '10': 1, '11': 1.5, '12': 1.6, '01': 1.6, '02': 1.5, '03': 1, '04': 0.7, '05': 0.6,
};

const EXCUSE_REASONS = ['по заявлению родителей', 'участие в соревнованиях', 'участие в олимпиаде', 'санаторно-курортное лечение'];

export class AttendancePlanner {
  private readonly illDaysLeft = new Map<StudentModel, number>();
  private readonly excusedDaysLeft = new Map<StudentModel, number>();
  private readonly excuseOf = new Map<StudentModel, string>();

  constructor(private readonly random: Random) {}

  /** Call once per student and school day, in date order: streaks continue from one day to the next. */
  dayOf(student: StudentModel, grade: number, date: string, lessonsToday: number): DayAttendance {
    const ill = this.illDaysLeft.get(student) ?? 0;
    if (ill > 0) {
      this.illDaysLeft.set(student, ill - 1);
      return { ...PRESENT, absence: 'ill' };
    }
    const excused = this.excusedDaysLeft.get(student) ?? 0;
    if (excused > 0) {
      this.excusedDaysLeft.set(student, excused - 1);
      return { ...PRESENT, absence: 'excused' };
    }
    const r = this.random;
    if (r.chance(FALLS_ILL * student.frailty * ILLNESS_SEASON[date.slice(5, 7)])) {
      this.illDaysLeft.set(student, 2 + Math.floor(r.next() * r.next() * 8));
      return { ...PRESENT, absence: 'ill' };
    }
    if (r.chance(EXCUSED)) {
      this.excusedDaysLeft.set(student, r.int(0, 2));
      this.excuseOf.set(student, r.pick(EXCUSE_REASONS));
      return { ...PRESENT, absence: 'excused' };
    }
    if (r.chance(TRUANT_DAY * student.truancy)) return { ...PRESENT, absence: 'absent' };
    if (r.chance(LATE * Math.sqrt(student.truancy))) return { ...PRESENT, lateForFirstLesson: true };
    if (grade >= 5 && r.chance(SKIPS_LESSON * student.truancy)) return { ...PRESENT, skippedLesson: r.int(2, lessonsToday) };
    return PRESENT;
  }

  excuseReason(student: StudentModel): string | null {
    return this.excuseOf.get(student) ?? null;
  }
}
