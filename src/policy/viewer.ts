import { registerEnumType } from 'type-graphql';

export enum Role {
  PARENT = 'parent',
  STUDENT = 'student',
  TEACHER = 'teacher',
  SCHOOL_ADMIN = 'school_admin',
  SCHOOL_IT = 'school_it',
  DIRECTORATE = 'directorate',
}
registerEnumType(Role, { name: 'Role' });

/** An account's role in one school and the person of that school it acts as. */
export interface SchoolRole {
  schoolId: string;
  role: Role;
  /** staff id (teacher, administration, IT), student id, or guardian id (parent). */
  personId: string;
}

/**
 * Who is asking, with everything the policy needs to decide, resolved once per request from the
 * bearer token (a fixed number of SQL statements, whatever the request touches). Sets hold
 * "schoolId/id" keys.
 */
export interface Viewer {
  accountId: string;
  sessionId: string;
  login: string;
  mustChangePassword: boolean;
  directorate: boolean;
  roles: SchoolRole[];
  /** Students this account may read through an active access grant, while they are enrolled. */
  grantedStudents: ReadonlySet<string>;
  /** Courses the account's teacher roles teach. */
  taughtCourses: ReadonlySet<string>;
  /** Class groups the account's teacher roles teach a course in or are homeroom teacher of. */
  taughtClassGroups: ReadonlySet<string>;
}

export const key = (schoolId: string, id: string) => `${schoolId}/${id}`;
