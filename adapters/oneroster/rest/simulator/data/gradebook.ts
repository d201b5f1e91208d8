import { CLOCK_START } from '../clock';
import { Dataset, newRecord, OneRosterRecord, ref } from '../model';
import { SeededRandom } from '../../../../simulator-kit/random';
import { DATA_LOADED_AT, LESSON_MINUTES, lessonStart, quarterOf, schoolDays, weekday } from './calendar';
import { CATEGORIES, CategoryKey, FIVE_POINT_SCALE } from './curriculum';
import { ClassGroup, LessonClass, Membership, RosterPlan } from './roster';

export type GradebookRecords = Pick<Dataset, 'categories' | 'scoreScales' | 'lineItems' | 'results'>;

/** What the results of one line item share. */
interface MarkContext {
  lineItemId: string;
  classId: string;
  scaleId: string;
  scoreDate: string;
  modifiedAt: string;
  mayBeExempt: boolean;
}

interface Lesson {
  date: string;
  number: number;
  start: Date;
}

const FIRST_SCHOOL_DAY = '2026-09-01';
/** Every twelfth lesson of a subject with control works is one. */
const CONTROL_WORK_EVERY = 12;
const MARKED_ANSWER_SHARE = 0.5;
const CHECKED_HOMEWORK_SHARE = 0.2;
const EXEMPT_SHARE = 0.04;
const SIGNED_MARK_SHARE = 0.12;
const COMMENT_SHARE = 0.05;
const SCORES = [5, 4, 3, 2, 1];
const SCORE_WEIGHTS = [0.3, 0.4, 0.22, 0.07, 0.01];
const COMMENTS = ['Не выполнено задание 3', 'Молодец!', 'Есть ошибки в оформлении', 'Работа выполнена не полностью'];

/** The data describes the provider as of the clock's start: nothing can have changed later than that. */
const asOfClockStart = (instant: number) => new Date(Math.min(instant, Date.parse(CLOCK_START))).toISOString();
const minutes = (n: number) => n * 60_000;

/** Builds the gradebook: categories, one five-point scale per class, a line item per marked lesson, results. */
export function generateGradebook(random: SeededRandom, plan: RosterPlan, weeks: number): GradebookRecords {
  return new GradebookBuilder(random, plan, weeks).build();
}

class GradebookBuilder {
  private readonly records: GradebookRecords = { categories: [], scoreScales: [], lineItems: [], results: [] };
  private readonly categoryIds = new Map<CategoryKey, string>();
  private readonly days: string[];

  constructor(
    private readonly random: SeededRandom,
    private readonly plan: RosterPlan,
    weeks: number,
  ) {
    this.days = schoolDays(FIRST_SCHOOL_DAY, weeks);
  }

  build(): GradebookRecords {
    for (const category of CATEGORIES) {
      const id = this.random.uuid();
      this.categoryIds.set(category.key, id);
      this.records.categories.push(newRecord(id, DATA_LOADED_AT, { title: category.title, weight: category.weight }));
    }
    for (const group of this.plan.groups) {
      const lessons = this.lessonsByClass(group);
      for (const lessonClass of group.lessonClasses) {
        const scaleId = this.addScoreScale(lessonClass);
        this.addMarks(group, lessonClass, scaleId, lessons.get(lessonClass.classId) ?? []);
      }
    }
    return this.records;
  }

  /** A weekly timetable shuffled over Monday..Friday, replayed on every school day. */
  private lessonsByClass(group: ClassGroup): Map<string, Lesson[]> {
    const weekly = group.lessonClasses.flatMap((c) => Array<LessonClass>(c.subject.hoursByGrade[group.grade]!).fill(c));
    const timetable: LessonClass[][] = [[], [], [], [], []];
    this.random.shuffle(weekly).forEach((lessonClass, i) => timetable[i % 5].push(lessonClass));
    const lessons = new Map<string, Lesson[]>();
    for (const date of this.days) {
      timetable[weekday(date) - 1].forEach((lessonClass, i) => {
        const list = lessons.get(lessonClass.classId) ?? [];
        list.push({ date, number: i + 1, start: lessonStart(date, i + 1) });
        lessons.set(lessonClass.classId, list);
      });
    }
    return lessons;
  }

  /** A OneRoster score scale must name its class, so every class gets its own copy of the five-point scale. */
  private addScoreScale(lessonClass: LessonClass): string {
    const id = this.random.uuid();
    this.records.scoreScales.push(newRecord(id, DATA_LOADED_AT, {
      title: 'Пятибалльная шкала', type: 'ext:fivePoint', course: ref('course', lessonClass.courseId),
      class: ref('class', lessonClass.classId), scoreScaleValue: FIVE_POINT_SCALE.map((v) => ({ ...v })),
    }));
    return id;
  }

  private addMarks(group: ClassGroup, lessonClass: LessonClass, scaleId: string, lessons: Lesson[]): void {
    let controlWorks = 0;
    lessons.forEach((lesson, k) => {
      const kind = this.markKind(lessonClass, k);
      if (!kind) return;
      const title = kind === 'control' ? `Контрольная работа №${++controlWorks}` : CATEGORIES.find((c) => c.key === kind)!.title;
      const due = dueDate(kind, lessons, k);
      const lineItemId = this.addLineItem(group, lessonClass, scaleId, lesson, { kind, title, due });
      const scoreDate = kind === 'homework' ? due.toISOString().slice(0, 10) : lesson.date;
      // Control works are checked after school, so their marks appear the next day.
      const markedAt = kind === 'control' ? lesson.start.getTime() + minutes(24 * 60) : due.getTime() + minutes(LESSON_MINUTES);
      const mark: MarkContext = {
        lineItemId, classId: lessonClass.classId, scaleId, scoreDate, modifiedAt: asOfClockStart(markedAt), mayBeExempt: kind === 'control',
      };
      for (const studentId of this.markedStudents(group, scoreDate, kind)) this.addResult(studentId, mark);
    });
  }

  private addLineItem(
    group: ClassGroup, lessonClass: LessonClass, scaleId: string, lesson: Lesson, { kind, title, due }: { kind: CategoryKey; title: string; due: Date },
  ): string {
    const quarter = quarterOf(lesson.date);
    const id = this.random.uuid();
    this.records.lineItems.push(newRecord(id, asOfClockStart(lesson.start.getTime()), {
      title,
      description: `${lessonClass.subject.title}, ${lesson.number}-й урок ${russianDate(lesson.date)}`,
      assignDate: lesson.start.toISOString(),
      dueDate: due.toISOString(),
      class: ref('class', lessonClass.classId),
      school: ref('org', group.schoolId),
      category: ref('category', this.categoryIds.get(kind)!),
      gradingPeriod: ref('academicSession', this.plan.sessions.gradingPeriodIds[quarter]),
      academicSession: ref('academicSession', this.plan.sessions.termIds[quarter]),
      scoreScale: ref('scoreScale', scaleId),
      resultValueMin: 1,
      resultValueMax: 5,
    }));
    return id;
  }

  /** A control work marks everyone in the class that day; an answer or a homework check, a few. */
  private markedStudents(group: ClassGroup, date: string, kind: CategoryKey): string[] {
    const present = group.members.filter((m) => enrolledOn(m, date)).map((m) => m.studentId);
    if (kind === 'control') return present;
    return this.random.sample(present, kind === 'answer' ? this.random.int(1, 4) : this.random.int(3, 8));
  }

  private markKind(lessonClass: LessonClass, lessonIndex: number): CategoryKey | undefined {
    if (lessonClass.subject.hasControlWorks && lessonIndex % CONTROL_WORK_EVERY === CONTROL_WORK_EVERY - 1) return 'control';
    const draw = this.random.next();
    if (draw < MARKED_ANSWER_SHARE) return 'answer';
    if (draw < MARKED_ANSWER_SHARE + CHECKED_HOMEWORK_SHARE) return 'homework';
    return undefined;
  }

  private addResult(studentId: string, { lineItemId, classId, scaleId, scoreDate, modifiedAt, mayBeExempt }: MarkContext): void {
    const common: OneRosterRecord = {
      lineItem: ref('lineItem', lineItemId), student: ref('user', studentId), class: ref('class', classId),
      scoreScale: ref('scoreScale', scaleId),
    };
    if (mayBeExempt && this.random.chance(EXEMPT_SHARE)) {
      this.records.results.push(newRecord(this.random.uuid(), modifiedAt, {
        ...common, scoreStatus: 'exempt', scoreDate, comment: 'Освобождение по справке',
      }));
      return;
    }
    const score = this.weightedScore();
    const signed = score >= 2 && this.random.chance(SIGNED_MARK_SHARE);
    const comment = this.random.chance(COMMENT_SHARE) ? this.random.pick(COMMENTS) : undefined;
    this.records.results.push(newRecord(this.random.uuid(), modifiedAt, {
      ...common,
      scoreStatus: 'fully graded',
      score,
      ...(signed ? { textScore: signedMark(score, this.random.chance(0.5)) } : {}),
      scoreDate,
      ...(comment ? { comment } : {}),
    }));
  }

  private weightedScore(): number {
    let draw = this.random.next();
    for (let i = 0; i < SCORES.length; i++) {
      draw -= SCORE_WEIGHTS[i];
      if (draw < 0) return SCORES[i];
    }
    return SCORES[0];
  }
}

/** Class work is due when the lesson ends; homework at the next lesson of the subject, where it is checked. */
function dueDate(kind: CategoryKey, lessons: Lesson[], index: number): Date {
  const start = lessons[index].start.getTime();
  if (kind !== 'homework') return new Date(start + minutes(LESSON_MINUTES));
  return lessons[index + 1]?.start ?? new Date(start + minutes(7 * 24 * 60));
}

/** «4-» or «4+»; a five can only lose a little and a two only gain a little. */
function signedMark(score: number, minus: boolean): string {
  if (score === 5) return '5-';
  if (score === 2) return '2+';
  return `${score}${minus ? '-' : '+'}`;
}

function enrolledOn(member: Membership, date: string): boolean {
  return (!member.beginDate || member.beginDate <= date) && (!member.endDate || date <= member.endDate);
}

const russianDate = (date: string) => `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
