import { AppError, badInput } from '../../common/errors';
import { MarkScale } from './journal.entities';
import { SCALE_HINT } from './mark-scale';

/** The journal's own refusals, each with a stable reason code. */
export const JournalErrors = {
  readOnlySchool: (school: { shortName: string; systemOfRecord: string }) =>
    new AppError(
      'FAILED_PRECONDITION',
      'JOURNAL_SCHOOL_READ_ONLY',
      `${school.shortName} keeps its journal in the "${school.systemOfRecord}" system: make the change there; the hub mirrors it.`,
    ),
  markOffScale: (scale: MarkScale, value: string) =>
    badInput('MARK_VALUE_OFF_SCALE', { value: `"${value}" is not on the ${scale} scale: expected ${SCALE_HINT[scale]}` }),
  studentNotInCourse: (date: string) =>
    badInput('JOURNAL_STUDENT_NOT_IN_COURSE', { studentId: `was not in this course on ${date}` }),
  unknownWorkKind: (code: string) => badInput('MARK_WORK_KIND_UNKNOWN', { workKind: `"${code}" is not a kind of work (see the workKinds query)` }),
  termOfAnotherYear: () => badInput('JOURNAL_TERM_NOT_OF_COURSE_YEAR', { termId: 'is not a term of the course’s academic year' }),
  termKindMismatch: () => badInput('FINAL_MARK_TERM_MISMATCH', { termId: 'is required for a term mark and must be empty for year, exam and final marks' }),
};
