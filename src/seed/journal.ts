import { BUILTIN_JOURNAL } from '../modules/schools/school.entity';
import { AttendancePlanner, DayAttendance } from './attendance';
import { LAST_LESSON_DAY, addDays, hasLessonsOn, isoWeekday, localInstant, schoolDays, termOn } from './calendar';
import { homeworkFor } from './curriculum';
import { MarkValue, fivePointMark, passFailMark, termMark } from './marks';
import { emptyRowSet, RowSet } from './rows';
import { ClassModel, CourseModel, isEnrolledOn, SchoolModel, StudentModel, TermModel } from './school-model';
import { linkOriginOf, originOf } from './school-rows';
import { topicsOf } from './topics';

/** Bell schedule of the first shift: lesson n starts at LESSON_STARTS[n − 1] minutes after midnight. */
const LESSON_STARTS = [510, 565, 620, 680, 735, 790, 845, 900];
const LESSON_MINUTES = 40;
const EVENING = 21 * 60 + 30;

/** Marks come about once in 3–4 lessons; in a one-hour subject a teacher asks more often, to have enough for the term. */
function everydayMarkChance(weeklyHours: number): number {
  return Math.max(0.22, 3.2 / (weeklyHours * 8));
}

/** Older students get slightly lower marks; control works are marked harder, homework easier. */
function markShift(grade: number, workKind: string): number {
  const byGrade = grade <= 4 ? 0.15 : grade >= 10 ? 0.05 : -0.05;
  const byKind = workKind === 'control_work' ? -0.2 : workKind === 'homework' ? 0.15 : workKind === 'essay' || workKind === 'dictation' ? -0.1 : 0;
  return byGrade + byKind;
}

const PRACTICE_LESSON: Record<string, string> = {
  mathematics: 'Решение задач', algebra: 'Решение задач', geometry: 'Решение задач', probability: 'Решение задач',
  physics: 'Решение задач', chemistry: 'Решение задач', russian: 'Закрепление',
};

const LOW_MARK_COMMENTS = ['Не готов к уроку', 'Не выполнено домашнее задание', 'Много ошибок, нужна работа над ошибками'];

export interface JournalWeek {
  rows: RowSet;
  /** The last school day whose rows are in this chunk. */
  through: string;
}

/**
 * Lessons, attendance, marks and term marks of one school from 1 September up to `until`, one week
 * at a time, so that a whole year streams through bounded memory.
 */
export function* generateJournal(school: SchoolModel, until: string): Generator<JournalWeek> {
  const journal = new Journal(school, until);
  let rows = emptyRowSet();
  let previous: string | null = null;
  for (const day of schoolDays(until)) {
    if (previous && mondayOf(day) !== mondayOf(previous)) {
      yield { rows, through: previous };
      rows = emptyRowSet();
    }
    journal.closeTermsBefore(day, rows);
    journal.teachDay(day, rows);
    previous = day;
  }
  journal.closeTermsBefore(until, rows);
  yield { rows, through: previous ?? until };
}

function mondayOf(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

/** A class's school day: who is in the class, how each attends, which term it belongs to. */
interface ClassDay {
  date: string;
  roster: StudentModel[];
  attendance: Map<StudentModel, DayAttendance>;
  term: TermModel;
}

interface TermTotal {
  sum: number;
  weight: number;
}

class Journal {
  private readonly attendance: AttendancePlanner;
  private readonly lessonsInYear = new Map<CourseModel, number>();
  private readonly lessonsGiven = new Map<CourseModel, number>();
  private readonly termTotals = new Map<TermModel, Map<CourseModel, Map<StudentModel, TermTotal>>>();
  private readonly closedTerms = new Set<TermModel>();
  private readonly synced: boolean;

  constructor(private readonly school: SchoolModel, private readonly until: string) {
    this.attendance = new AttendancePlanner(school.random.fork('attendance'));
    this.synced = school.systemOfRecord !== BUILTIN_JOURNAL;
    // Topics, homework and control works are spread over the whole year's lessons, wherever `until` stops.
    for (const day of schoolDays(LAST_LESSON_DAY)) {
      for (const classGroup of school.classes) {
        if (!hasLessonsOn(classGroup.grade, day)) continue;
        for (const slot of classGroup.timetable[isoWeekday(day) - 1]) {
          for (const course of slot) this.lessonsInYear.set(course, (this.lessonsInYear.get(course) ?? 0) + 1);
        }
      }
    }
  }

  teachDay(day: string, rows: RowSet): void {
    for (const classGroup of this.school.classes) {
      const slots = classGroup.timetable[isoWeekday(day) - 1];
      if (!hasLessonsOn(classGroup.grade, day) || slots.length === 0) continue;
      const roster = classGroup.enrollments.filter((e) => isEnrolledOn(e, day)).map((e) => e.student);
      const classDay: ClassDay = {
        date: day,
        roster,
        attendance: new Map(roster.map((s) => [s, this.attendance.dayOf(s, classGroup.grade, day, slots.length)])),
        term: termOn(this.school.terms, classGroup.termKind, day)!,
      };
      slots.forEach((courses, slot) => {
        for (const course of courses) this.teachLesson(course, slot + 1, classDay, rows);
      });
    }
  }

  closeTermsBefore(date: string, rows: RowSet): void {
    for (const term of this.school.terms) {
      if (this.closedTerms.has(term) || term.endsOn >= date) continue;
      this.closedTerms.add(term);
      const totals = this.termTotals.get(term);
      this.termTotals.delete(term);
      if (totals) this.writeTermMarks(term, totals, rows);
    }
  }

  private teachLesson(course: CourseModel, number: number, { date: day, roster, attendance, term }: ClassDay, rows: RowSet): void {
    const random = this.school.random;
    const schoolId = this.school.id;
    const index = this.lessonsGiven.get(course) ?? 0;
    this.lessonsGiven.set(course, index + 1);
    const inYear = this.lessonsInYear.get(course)!;
    const assessmentNumber = assessmentAt(course, index, inYear);
    const lessonId = this.school.ids.next();
    const teacherId = course.teacher.id;
    rows.lesson.push({
      schoolId, id: lessonId, courseId: course.id, date: day, number,
      topic: this.topicOf(course, index, inYear, assessmentNumber),
      homework: assessmentNumber ? null : homeworkFor(course.subject.code, course.classGroup.grade, progressOf(index, inYear), random),
      teacherId, ...originOf(this.school, lessonId),
    });

    const start = LESSON_STARTS[number - 1];
    const everydayChance = everydayMarkChance(course.subject.hours);
    for (const student of roster) {
      if (course.members && !course.members.has(student)) continue;
      const status = statusAt(attendance.get(student)!, number);
      if (status) {
        rows.attendance.push({
          schoolId, lessonId, studentId: student.id, status,
          comment: status === 'excused' ? this.attendance.excuseReason(student) : null,
          recordedAt: localInstant(day, start + random.int(3, 15)), recordedById: teacherId,
          ...linkOriginOf(this.school, lessonId, student.id),
        });
        if (status !== 'late') continue;
      }
      if (!course.subject.marked) continue;
      const assessment = assessmentNumber ? course.subject.assessment! : null;
      if (!assessment && !random.chance(everydayChance)) continue;
      const workKind = assessment?.kind ?? random.weighted(course.subject.everydayKinds);
      const mark = assessment?.scale === 'pass_fail'
        ? passFailMark(random, student)
        : fivePointMark(random, student, course.subject.code, markShift(course.classGroup.grade, workKind));
      this.writeMark(rows, { lessonId, course, student, workKind, mark, term, enteredAt: this.entryTime(day, number, assessment !== null) });
    }
  }

  private writeMark(
    rows: RowSet,
    m: { lessonId: string; course: CourseModel; student: StudentModel; workKind: string; mark: MarkValue; term: TermModel; enteredAt: string },
  ): void {
    const random = this.school.random;
    const id = this.school.ids.next();
    const weight = this.school.weights.get(m.workKind)!;
    const low = m.mark.numericValue !== null && m.mark.numericValue < 3;
    rows.mark.push({
      schoolId: this.school.id, id, lessonId: m.lessonId, studentId: m.student.id, ...m.mark,
      sourceValue: this.synced ? m.mark.value : null,
      workKind: m.workKind,
      // A mark entered in the hub counts with its school's current weight for the kind; a vendor sends its own.
      weight: this.synced ? weight : null,
      comment: low && random.chance(0.3) ? random.pick(LOW_MARK_COMMENTS) : null,
      enteredAt: m.enteredAt, enteredById: m.course.teacher.id, ...originOf(this.school, id),
    });
    // Pass/fail marks do not count towards the term mark.
    if (m.mark.numericValue !== null) this.countTowardsTerm(m.term, m.course, m.student, m.mark.numericValue, weight);
  }

  private countTowardsTerm(term: TermModel, course: CourseModel, student: StudentModel, value: number, weight: number): void {
    const byCourse = this.termTotals.get(term) ?? new Map<CourseModel, Map<StudentModel, TermTotal>>();
    this.termTotals.set(term, byCourse);
    const byStudent = byCourse.get(course) ?? new Map<StudentModel, TermTotal>();
    byCourse.set(course, byStudent);
    const total = byStudent.get(student) ?? { sum: 0, weight: 0 };
    total.sum += value * weight;
    total.weight += weight;
    byStudent.set(student, total);
  }

  /** Term marks for the students still in the class on the term's last day, set on its last school day. */
  private writeTermMarks(term: TermModel, totals: Map<CourseModel, Map<StudentModel, TermTotal>>, rows: RowSet): void {
    const random = this.school.random;
    const lastDay = schoolDays(term.endsOn).at(-1)!;
    for (const [course, byStudent] of totals) {
      const inClass = enrolledOn(course.classGroup, term.endsOn);
      for (const [student, total] of byStudent) {
        if (!inClass.has(student)) continue;
        const id = this.school.ids.next();
        const mark = termMark(total.sum / total.weight);
        rows.final_mark.push({
          schoolId: this.school.id, id, studentId: student.id, courseId: course.id, kind: 'term', termId: term.id, ...mark,
          sourceValue: this.synced ? mark.value : null,
          enteredAt: localInstant(lastDay, 15 * 60 + random.int(0, 240)), enteredById: course.teacher.id,
          ...originOf(this.school, id),
        });
      }
    }
  }

  private topicOf(course: CourseModel, index: number, inYear: number, assessmentNumber: number): string {
    const topics = topicsOf(course.subject.code, course.classGroup.grade);
    const at = Math.min(topics.length - 1, Math.floor((index * topics.length) / inYear));
    if (assessmentNumber) return `${course.subject.assessment!.title} №${assessmentNumber} по теме «${topics[at]}»`;
    const continues = index > 0 && Math.floor(((index - 1) * topics.length) / inYear) === at;
    const practice = PRACTICE_LESSON[course.subject.code];
    return continues && practice ? `${topics[at]}. ${practice}` : topics[at];
  }

  /** Most marks go in during the lesson or that evening; some days later; control works after checking. */
  private entryTime(day: string, number: number, checkedAtHome: boolean): string {
    const random = this.school.random;
    const lessonEnd = LESSON_STARTS[number - 1] + LESSON_MINUTES;
    const r = random.next();
    if (!checkedAtHome && r < 0.7) return localInstant(day, lessonEnd + random.int(0, 10));
    if (!checkedAtHome && r < 0.9) {
      const from = Math.max(lessonEnd + 10, 14 * 60);
      return localInstant(day, from + random.int(0, EVENING - from));
    }
    const later = addDays(day, random.int(1, checkedAtHome ? 3 : 4));
    if (later > this.until) return localInstant(day, lessonEnd + random.int(5, 60));
    return localInstant(later, 15 * 60 + random.int(0, 360));
  }
}

/** The number of the control work held on the course's `index`-th lesson, or 0: they are spread evenly over the year. */
function assessmentAt(course: CourseModel, index: number, inYear: number): number {
  const perYear = course.subject.marked ? course.subject.assessmentsPerYear : 0;
  const before = Math.floor((index * perYear) / inYear);
  const after = Math.floor(((index + 1) * perYear) / inYear);
  return after > before ? after : 0;
}

function progressOf(index: number, inYear: number): { fraction: number; paragraph: number } {
  const fraction = index / inYear;
  const paragraphs = Math.min(45, Math.max(8, Math.round(inYear / 2)));
  return { fraction, paragraph: 1 + Math.floor(fraction * paragraphs) };
}

function statusAt(day: DayAttendance, number: number): 'ill' | 'excused' | 'absent' | 'late' | null {
  if (day.absence) return day.absence;
  if (day.skippedLesson === number) return 'absent';
  return day.lateForFirstLesson && number === 1 ? 'late' : null;
}

function enrolledOn(classGroup: ClassModel, date: string): Set<StudentModel> {
  return new Set(classGroup.enrollments.filter((e) => isEnrolledOn(e, date)).map((e) => e.student));
}
