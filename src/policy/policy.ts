import { AppError, forbidden, unauthenticated } from '../common/errors';
import { key, Role, Viewer } from './viewer';

/**
 * The one authorization layer (DESIGN rule 6): every resolver and service asks here, nowhere else.
 * Each rule takes the viewer and the facts about the thing (its school, its student, its course,
 * the classes involved) and either returns or throws FORBIDDEN / UNAUTHENTICATED. Refusals carry no
 * data about the thing refused.
 *
 * The rules, by role (DESIGN.md "Who uses it"):
 * - parent: the children the account holds an active access grant for, while they are enrolled;
 * - student: self;
 * - teacher: reads the classes taught (and homeroom class), writes the journal of the courses taught;
 * - school administration: everything of its school;
 * - school IT staff: its school's set-up (not children's marks);
 * - directorate: every school's plans, reports and aggregates; a child's data only by explicit grant.
 */

/** A live session whose password needs no change: the start of every other rule. */
export function signedIn(viewer: Viewer | null): Viewer {
  if (!viewer) throw unauthenticated();
  if (viewer.mustChangePassword) {
    throw new AppError('FORBIDDEN', 'AUTH_PASSWORD_CHANGE_REQUIRED', 'Set a new password (changePassword) before using the account.');
  }
  return viewer;
}

const hasRole = (viewer: Viewer, schoolId: string, ...roles: Role[]) =>
  viewer.roles.some((r) => r.schoolId === schoolId && roles.includes(r.role));

const isSelf = (viewer: Viewer, schoolId: string, studentId: string) =>
  viewer.roles.some((r) => r.schoolId === schoolId && r.role === Role.STUDENT && r.personId === studentId);

const teachesAnyOf = (viewer: Viewer, schoolId: string, classGroupIds: readonly string[]) =>
  classGroupIds.some((id) => viewer.taughtClassGroups.has(key(schoolId, id)));

export const policy = {
  signedIn,

  /** Names, addresses and structure of schools: any signed-in user. */
  readSchoolDirectory(viewer: Viewer | null): Viewer {
    return signedIn(viewer);
  },

  /** The list of a school's students or staff. */
  readSchoolRoster(viewer: Viewer | null, schoolId: string): Viewer {
    const v = signedIn(viewer);
    if (!hasRole(v, schoolId, Role.SCHOOL_ADMIN, Role.SCHOOL_IT, Role.TEACHER)) throw forbidden();
    return v;
  },

  /**
   * A student's name and class: the people who may read the student's record, teachers of the
   * student's school (a teacher meets students of other classes as a substitute), and IT staff.
   */
  readStudentProfile(viewer: Viewer | null, schoolId: string, studentId: string): Viewer {
    const v = signedIn(viewer);
    if (hasRole(v, schoolId, Role.SCHOOL_ADMIN, Role.SCHOOL_IT, Role.TEACHER)) return v;
    if (isSelf(v, schoolId, studentId) || v.grantedStudents.has(key(schoolId, studentId))) return v;
    throw forbidden();
  },

  /**
   * A student's marks, attendance and diary. `classGroupIds` are the student's classes in the
   * period asked for: a teacher reads the students of the classes taught.
   */
  readStudentRecord(viewer: Viewer | null, schoolId: string, studentId: string, classGroupIds: readonly string[]): Viewer {
    const v = signedIn(viewer);
    if (isSelf(v, schoolId, studentId) || v.grantedStudents.has(key(schoolId, studentId))) return v;
    if (hasRole(v, schoolId, Role.SCHOOL_ADMIN)) return v;
    if (hasRole(v, schoolId, Role.TEACHER) && teachesAnyOf(v, schoolId, classGroupIds)) return v;
    throw forbidden();
  },

  /**
   * The classes whose part of a student's record the viewer sees, after readStudentRecord allowed
   * it: null for all (the student, a parent, the administration), else the classes a teacher
   * teaches — a teacher of the class a student left does not see the student's new class.
   */
  visibleClassGroups(viewer: Viewer, schoolId: string, studentId: string): ReadonlySet<string> | null {
    if (isSelf(viewer, schoolId, studentId) || viewer.grantedStudents.has(key(schoolId, studentId)) || hasRole(viewer, schoolId, Role.SCHOOL_ADMIN)) return null;
    const prefix = `${schoolId}/`;
    return new Set([...viewer.taughtClassGroups].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)));
  },

  /** A course's journal: its teachers, the teachers of its class, and the school's administration. */
  readJournal(viewer: Viewer | null, schoolId: string, courseId: string, classGroupId: string): Viewer {
    const v = signedIn(viewer);
    if (hasRole(v, schoolId, Role.SCHOOL_ADMIN)) return v;
    if (v.taughtCourses.has(key(schoolId, courseId)) || teachesAnyOf(v, schoolId, [classGroupId])) return v;
    throw forbidden();
  },

  /** Writing marks, attendance, topics and homework: the course's teachers only. */
  writeJournal(viewer: Viewer | null, schoolId: string, courseId: string): Viewer {
    const v = signedIn(viewer);
    if (hasRole(v, schoolId, Role.TEACHER) && v.taughtCourses.has(key(schoolId, courseId))) return v;
    throw forbidden();
  },

  /** Any live session, even one that must first change its password (to change it, or sign out). */
  anySession(viewer: Viewer | null): Viewer {
    if (!viewer) throw unauthenticated();
    return viewer;
  },

  /** Issuing credentials, granting access to a child, and the school's audit trail: its administration. */
  administerSchool(viewer: Viewer | null, schoolId: string): Viewer {
    const v = signedIn(viewer);
    if (!hasRole(v, schoolId, Role.SCHOOL_ADMIN)) throw forbidden();
    return v;
  },

  /** Whether the viewer is the directorate or an administrator of the school (a question, not a gate). */
  mayAdministerSchool(viewer: Viewer | null, schoolId: string): boolean {
    return viewer !== null && (viewer.directorate || hasRole(viewer, schoolId, Role.SCHOOL_ADMIN));
  },

  /** Aggregate figures of a school (counts, shares): its administration and the directorate. */
  readSchoolFigures(viewer: Viewer | null, schoolId: string): Viewer {
    const v = signedIn(viewer);
    if (v.directorate || hasRole(v, schoolId, Role.SCHOOL_ADMIN)) return v;
    throw forbidden();
  },

  /** Other names of the municipality's subjects, which every school's sync maps through: the directorate and school IT staff. */
  manageSubjectAliases(viewer: Viewer | null): Viewer {
    const v = signedIn(viewer);
    if (v.directorate || v.roles.some((r) => r.role === Role.SCHOOL_IT)) return v;
    throw forbidden();
  },

  /** Configuring the school's connection to its vendor system and running syncs: its IT staff. */
  configureSync(viewer: Viewer | null, schoolId: string): Viewer {
    const v = signedIn(viewer);
    if (hasRole(v, schoolId, Role.SCHOOL_IT)) return v;
    throw forbidden();
  },

  /** The connection, its runs and quarantined records: the school's IT staff and administration. */
  readSync(viewer: Viewer | null, schoolId: string): Viewer {
    const v = signedIn(viewer);
    if (hasRole(v, schoolId, Role.SCHOOL_IT, Role.SCHOOL_ADMIN)) return v;
    throw forbidden();
  },

  /** Figures across all schools (aggregates, never a child's data): the directorate. */
  readMunicipalityFigures(viewer: Viewer | null): Viewer {
    const v = signedIn(viewer);
    if (v.directorate) return v;
    throw forbidden();
  },

  /** Ending an account's sessions: an administrator of a school the account acts in, or the directorate. */
  revokeSessions(viewer: Viewer | null, targetSchoolIds: readonly string[]): Viewer {
    const v = signedIn(viewer);
    if (v.directorate || targetSchoolIds.some((id) => hasRole(v, id, Role.SCHOOL_ADMIN))) return v;
    throw forbidden();
  },

  /** The audit trail: a school's administration reads its school's; the directorate reads all. */
  readAudit(viewer: Viewer | null, schoolId: string | null): Viewer {
    const v = signedIn(viewer);
    if (v.directorate || (schoolId !== null && hasRole(v, schoolId, Role.SCHOOL_ADMIN))) return v;
    throw forbidden();
  },

  /** Account events (sign-ins): the directorate's; an administrator's for an account acting in the administrator's school. */
  readAccountEvents(viewer: Viewer | null, accountId: string | null, accountSchoolIds: readonly string[]): Viewer {
    const v = signedIn(viewer);
    if (v.directorate) return v;
    if (accountId !== null && accountSchoolIds.some((id) => hasRole(v, id, Role.SCHOOL_ADMIN))) return v;
    throw forbidden();
  },

  /** The refusal every rule throws, for a service that finds a reason to refuse after a rule passed. */
  refusal: () => forbidden(),

  /** Whether the viewer is this student (reads of one's own data are not audited as someone else's). */
  isStudentSelf(viewer: Viewer, schoolId: string, studentId: string): boolean {
    return isSelf(viewer, schoolId, studentId);
  },

  /** The staff person an account acts as in a school, for "entered by" columns. */
  staffIdIn(viewer: Viewer, schoolId: string): string | null {
    return viewer.roles.find((r) => r.schoolId === schoolId && r.role !== Role.PARENT && r.role !== Role.STUDENT)?.personId ?? null;
  },
};
