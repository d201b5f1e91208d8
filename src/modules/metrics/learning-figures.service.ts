import { DataSource } from 'typeorm';
import { parseApiId, parsePlainId } from '../../common/ids';
import type { Context } from '../../graphql/context';
import { policy } from '../../policy/policy';
import { TermKind } from '../schools/academic-year.entity';
import { LearningFiguresArgs, LearningTrendArgs } from './learning-figures.inputs';
import { Dimension, FiguresRow, LearningFiguresRepository, TrendRow } from './learning-figures.repository';
import { LearningDimension, LearningFigures, LearningTrendSeries, TrendInterval } from './learning-figures.types';
import { MIN_GROUP_STUDENTS, refreshStaleLearningRollups } from './learning-rollups';
import { MetricsErrors } from './metrics.errors';

const DIMENSION: Record<LearningDimension, Dimension> = {
  [LearningDimension.SCHOOL]: 'school',
  [LearningDimension.GRADE_LEVEL]: 'grade',
  [LearningDimension.SUBJECT]: 'subject',
  [LearningDimension.TERM]: 'term',
};

const TERMS_IN_YEAR: Record<TermKind, number> = { [TermKind.QUARTER]: 4, [TermKind.TRIMESTER]: 3, [TermKind.HALF]: 2 };

const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;
const share = (part: number, whole: number) => (whole > 0 ? round(part / whole, 4) : null);

/**
 * Whether figures resting on `students` distinct students must be hidden. Every school's group either
 * has five or more or none (smaller cells are left out when the rollups are made); `withheld` says
 * that some were left out, so a group of none still existed and is shown as suppressed.
 */
const hidden = (students: number, withheld: boolean) => students < MIN_GROUP_STUDENTS && (students > 0 || withheld);

function dimensionsOf(groupBy: LearningDimension[]): Set<Dimension> {
  const dimensions = new Set<Dimension>();
  for (const g of groupBy) {
    if (dimensions.has(DIMENSION[g])) throw MetricsErrors.dimensionRepeated(g.toUpperCase());
    dimensions.add(DIMENSION[g]);
  }
  return dimensions;
}

/** The figures of one group as the API shows them: nothing but the keys when it has too few students. */
function toFigures(r: FiguresRow): LearningFigures {
  const keys = {
    academicYear: r.academicYear,
    schoolId: r.schoolId ?? null,
    subjectId: r.subjectId ?? null,
    gradeLevel: r.gradeLevel ?? null,
    term: r.termKind ? { kind: r.termKind, number: r.termNumber! } : null,
  };
  if (hidden(r.students, r.marksWithheld) || hidden(r.enrolledStudents, r.attendanceWithheld)) {
    return {
      ...keys, suppressed: true, students: null, marks: null, average: null, distribution: null, promptness: null,
      enrolledStudents: null, studentLessons: null, absences: null, attendanceRate: null,
    };
  }
  const present = r.studentLessons - r.absent - r.ill - r.excused;
  return {
    ...keys,
    suppressed: false,
    students: r.students,
    marks: r.marks,
    average: r.weightSum > 0 ? round(r.weightedSum / r.weightSum, 2) : null,
    distribution: [
      { value: '1', count: r.value1 }, { value: '2', count: r.value2 }, { value: '3', count: r.value3 },
      { value: '4', count: r.value4 }, { value: '5', count: r.value5 }, { value: 'зач', count: r.passed }, { value: 'незач', count: r.failed },
    ],
    promptness: share(r.marksOnLessonDay, r.timedMarks),
    enrolledStudents: r.enrolledStudents,
    studentLessons: r.studentLessons,
    absences: { absent: r.absent, ill: r.ill, excused: r.excused, late: r.late },
    attendanceRate: share(present, r.studentLessons),
  };
}

/** The last day of the week or month starting on `start` ("YYYY-MM-DD"). */
function periodEnd(start: string, interval: TrendInterval): string {
  const [y, m, d] = start.split('-').map(Number);
  const end = interval === TrendInterval.WEEK ? new Date(Date.UTC(y, m - 1, d + 6)) : new Date(Date.UTC(y, m, 0));
  return end.toISOString().slice(0, 10);
}

/** Consecutive rows of the same keys (the repository orders them so) become one series. */
function toSeries(rows: TrendRow[], interval: TrendInterval): LearningTrendSeries[] {
  const series: LearningTrendSeries[] = [];
  let key: string | undefined;
  for (const r of rows) {
    const rowKey = `${r.schoolId}/${r.gradeLevel}/${r.subjectId}`;
    if (rowKey !== key) {
      series.push({ schoolId: r.schoolId ?? null, subjectId: r.subjectId ?? null, gradeLevel: r.gradeLevel ?? null, points: [] });
      key = rowKey;
    }
    // Cells of fewer than five students are not in the counts, so any mark counted stands for five or more.
    const suppressed = r.marks === 0 && r.marksWithheld;
    series.at(-1)!.points.push({
      periodStart: r.periodStart,
      periodEnd: periodEnd(r.periodStart, interval),
      suppressed,
      marks: suppressed ? null : r.marks,
      average: !suppressed && r.weightSum > 0 ? round(r.weightedSum / r.weightSum, 2) : null,
    });
  }
  return series;
}

/**
 * The directorate's learning figures: averages, distributions, attendance and promptness of marking,
 * by school, grade level, subject and term, and averages over time. Answered from the rollups
 * (learning-rollups.ts), after refreshing the schools in scope whose data changed.
 */
export class LearningFiguresService {
  private readonly repo: LearningFiguresRepository;

  constructor(private readonly ds: DataSource) {
    this.repo = new LearningFiguresRepository(ds);
  }

  async figures(ctx: Context, { filter, groupBy }: LearningFiguresArgs): Promise<LearningFigures[]> {
    const schoolId = filter?.schoolId ? parsePlainId(filter.schoolId, 'filter.schoolId') : null;
    const term = filter?.termId ? parseApiId(filter.termId, 'filter.termId') : null;
    if (term && schoolId && term.schoolId !== schoolId) throw MetricsErrors.termOfOtherSchool();
    const scope = schoolId ?? term?.schoolId ?? null;
    this.authorize(ctx, scope);

    const subjectId = filter?.subjectId ? parsePlainId(filter.subjectId, 'filter.subjectId') : null;
    if (filter?.term && term) throw MetricsErrors.termGivenTwice();
    if (filter?.term && filter.term.number > TERMS_IN_YEAR[filter.term.kind]) {
      throw MetricsErrors.termNumberOffRange(filter.term.kind, TERMS_IN_YEAR[filter.term.kind]);
    }
    const dimensions = dimensionsOf(groupBy);
    // A dimension filtered to one value is a key of every row: it picks the rollup rows of that grain.
    if (scope) dimensions.add('school');
    if (filter?.gradeLevel != null) dimensions.add('grade');
    if (subjectId) dimensions.add('subject');
    if (filter?.term || term) dimensions.add('term');

    await refreshStaleLearningRollups(this.ds, scope);
    const rows = await this.repo.figures({
      dimensions,
      schoolId: scope,
      academicYear: filter?.academicYear ?? null,
      gradeLevel: filter?.gradeLevel ?? null,
      subjectId,
      term: filter?.term ? { kind: filter.term.kind, number: filter.term.number } : null,
      termId: term?.id ?? null,
    });
    return rows.map(toFigures);
  }

  async trend(ctx: Context, { filter, interval, groupBy }: LearningTrendArgs): Promise<LearningTrendSeries[]> {
    const schoolId = filter?.schoolId ? parsePlainId(filter.schoolId, 'filter.schoolId') : null;
    this.authorize(ctx, schoolId);

    const subjectId = filter?.subjectId ? parsePlainId(filter.subjectId, 'filter.subjectId') : null;
    if (filter?.from && filter.to && filter.to < filter.from) throw MetricsErrors.rangeReversed();
    const dimensions = dimensionsOf(groupBy);
    if (dimensions.has('term')) throw MetricsErrors.trendByTerm();
    if (schoolId) dimensions.add('school');
    if (filter?.gradeLevel != null) dimensions.add('grade');
    if (subjectId) dimensions.add('subject');

    await refreshStaleLearningRollups(this.ds, schoolId);
    const rows = await this.repo.trend({
      dimensions: dimensions as Set<Exclude<Dimension, 'term'>>,
      interval,
      schoolId,
      gradeLevel: filter?.gradeLevel ?? null,
      subjectId,
      from: filter?.from ?? null,
      to: filter?.to ?? null,
    });
    return toSeries(rows, interval);
  }

  /** One school's figures: its administration and the directorate; all schools': the directorate. */
  private authorize(ctx: Context, schoolId: string | null): void {
    if (schoolId) policy.readSchoolFigures(ctx.viewer, schoolId);
    else policy.readMunicipalityFigures(ctx.viewer);
  }
}
