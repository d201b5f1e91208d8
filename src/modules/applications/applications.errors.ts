import { AppError, badInput } from '../../common/errors';
import { ApplicationStatus } from './application.entity';

export const ApplicationErrors = {
  consentMissing: () =>
    badInput('APPLICATION_CONSENT_MISSING', { consent: 'the application needs the applicant’s consent to the processing of personal data (152-FZ)' }),
  wrongStatus: (status: ApplicationStatus, expected: ApplicationStatus[]) =>
    new AppError('CONFLICT', 'APPLICATION_STATUS_CONFLICT', `The application is ${status}; this needs it to be ${expected.join(' or ')}.`),
  notMatched: () =>
    new AppError('FAILED_PRECONDITION', 'APPLICATION_CHILD_NOT_MATCHED', 'Choose the student this application is for (matchApplication) before issuing credentials.'),
  noAcademicYear: () =>
    new AppError('FAILED_PRECONDITION', 'APPLICATION_NO_ACADEMIC_YEAR', 'The school has no academic year for today; applications are numbered within one.'),
  tooManySubmissions: (retryAfterSeconds: number) =>
    new AppError('TOO_MANY_REQUESTS', 'APPLICATION_TOO_MANY_SUBMISSIONS', `Too many applications from your address; try again in ${Math.ceil(retryAfterSeconds / 60)} min.`, { retryAfterSeconds }),
  studentNotEnrolled: () => badInput('APPLICATION_STUDENT_NOT_ENROLLED', { studentId: 'is not a student of this school today' }),
};
