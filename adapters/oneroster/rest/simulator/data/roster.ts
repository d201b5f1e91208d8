import { Dataset, GuidRef, newRecord, OneRosterRecord, ref } from '../model';
import { ResolvedOptions } from '../options';
import { SeededRandom } from '../../../../simulator-kit/random';
import { addDays, DATA_LOADED_AT, QUARTERS, SCHOOL_YEAR } from './calendar';
import { CLASS_LETTERS, gradeCode, HOMEROOM_COURSE, Subject, SUBJECTS, subjectsOfGrade } from './curriculum';
import {
  adultName, BIRTH_CITIES, childName, Family, fatherName, motherName, newFamily, PersonName,
} from './russian-names';

export type RosterRecords = Pick<Dataset, 'orgs' | 'academicSessions' | 'courses' | 'classes' | 'users' | 'enrollments' | 'demographics'>;

/** A student's time in a class group; dates only when it did not span the whole year. */
export interface Membership {
  studentId: string;
  beginDate?: string;
  endDate?: string;
}

/** One subject taught to one class group: a OneRoster class of classType "scheduled". */
export interface LessonClass {
  classId: string;
  courseId: string;
  subject: Subject;
}

/** A class group such as «5А»: its homeroom class, its students and its subject classes. */
export interface ClassGroup {
  name: string;
  grade: number;
  schoolId: string;
  homeroomClassId: string;
  members: Membership[];
  lessonClasses: LessonClass[];
}

export interface Sessions {
  schoolYearId: string;
  termIds: string[];
  gradingPeriodIds: string[];
}

/** What the gradebook is built from. */
export interface RosterPlan {
  sessions: Sessions;
  groups: ClassGroup[];
}

/** A mid-term move: out of the first class of a grade on Friday, into its parallel class on Monday. */
const TRANSFER = { leaves: '2026-09-18', joins: '2026-09-21' };

const MAX_TEACHER_LESSONS_PER_WEEK = 22;
const SIBLING_SHARE = 0.1;
const GUARDIAN_ONLY_SHARE = 0.05;
const FATHER_LISTED_SHARE = 0.6;

const record = (sourcedId: string, fields: OneRosterRecord) => newRecord(sourcedId, DATA_LOADED_AT, fields);
const roles = (role: string, schoolId: string) => [{ roleType: 'primary', role, org: ref('org', schoolId) }];

interface FamilyInSchool {
  family: Family;
  guardians: OneRosterRecord[];
  groupNames: Set<string>;
}

/** Builds the rostering collections of one district: orgs, the school year, courses, classes, people, enrollments. */
export function generateRoster(random: SeededRandom, options: ResolvedOptions): { records: RosterRecords; plan: RosterPlan } {
  return new RosterBuilder(random, options).build();
}

class RosterBuilder {
  private readonly records: RosterRecords = {
    orgs: [], academicSessions: [], courses: [], classes: [], users: [], enrollments: [], demographics: [],
  };
  private sessions: Sessions;
  private userNumber = 0;

  constructor(
    private readonly random: SeededRandom,
    private readonly options: ResolvedOptions,
  ) {}

  build(): { records: RosterRecords; plan: RosterPlan } {
    this.sessions = this.addAcademicSessions();
    const districtId = this.random.uuid();
    const schoolIds = Array.from({ length: this.options.schools }, () => this.random.uuid());
    this.records.orgs.push(record(districtId, {
      name: 'Управление образования города Когалыма', type: 'district', identifier: '8608000000',
      children: schoolIds.map((id) => ref('org', id)),
    }));
    const groups = schoolIds.flatMap((schoolId, i) => this.addSchool(schoolId, i + 1, districtId));
    return { records: this.records, plan: { sessions: this.sessions, groups } };
  }

  private addAcademicSessions(): Sessions {
    const schoolYearId = this.random.uuid();
    const termIds = QUARTERS.map(() => this.random.uuid());
    const gradingPeriodIds = QUARTERS.map(() => this.random.uuid());
    const { title, startDate, endDate, schoolYear } = SCHOOL_YEAR;
    this.records.academicSessions.push(record(schoolYearId, {
      title, type: 'schoolYear', startDate, endDate, schoolYear, children: termIds.map((id) => ref('academicSession', id)),
    }));
    QUARTERS.forEach((quarter, i) => {
      this.records.academicSessions.push(record(termIds[i], {
        title: quarter.title, type: 'term', startDate: quarter.startDate, endDate: quarter.endDate, schoolYear,
        parent: ref('academicSession', schoolYearId), children: [ref('academicSession', gradingPeriodIds[i])],
      }));
    });
    // In a Russian school the quarter is itself the grading period: one each, same dates.
    QUARTERS.forEach((quarter, i) => {
      this.records.academicSessions.push(record(gradingPeriodIds[i], {
        title: `Аттестация за ${quarter.title}`, type: 'gradingPeriod', startDate: quarter.startDate,
        endDate: quarter.endDate, schoolYear, parent: ref('academicSession', termIds[i]),
      }));
    });
    return { schoolYearId, termIds, gradingPeriodIds };
  }

  private addSchool(schoolId: string, number: number, districtId: string): ClassGroup[] {
    this.records.orgs.push(record(schoolId, {
      name: `МАОУ СОШ №${number}`, type: 'school', identifier: String(8608000000 + number), parent: ref('org', districtId),
    }));
    const courseIds = this.addCourses(schoolId);
    const groups: ClassGroup[] = this.options.grades.flatMap((grade) =>
      CLASS_LETTERS.slice(0, this.options.classesPerGrade).map((letter) => ({
        name: `${grade}${letter}`, grade, schoolId, homeroomClassId: '', members: [], lessonClasses: [],
      })),
    );
    const teachers = this.assignTeachers(schoolId, groups);
    const families: FamilyInSchool[] = [];
    groups.forEach((group, groupIndex) => {
      const teacherOf = (subject: Subject) => teachers.bySubject.get(`${group.name}/${subject.code}`)!;
      group.homeroomClassId = this.addClass(group, courseIds.get(HOMEROOM_COURSE.code)!, HOMEROOM_COURSE, 'homeroom');
      for (const subject of subjectsOfGrade(group.grade)) {
        const courseId = courseIds.get(subject.code)!;
        const classId = this.addClass(group, courseId, subject, 'scheduled', teachers.rooms.get(teacherOf(subject)));
        group.lessonClasses.push({ classId, courseId, subject });
        this.enroll(teacherOf(subject), classId, schoolId, 'teacher');
      }
      // The class teacher is one of the group's own subject teachers, a different subject for each group.
      const classTeacherSubject = group.lessonClasses[groupIndex % group.lessonClasses.length].subject;
      this.enroll(teacherOf(classTeacherSubject), group.homeroomClassId, schoolId, 'teacher');
      for (let i = 0; i < this.options.studentsPerClass; i++) {
        group.members.push({ studentId: this.addStudent(schoolId, group, families) });
      }
    });
    this.transferOneStudentPerGrade(groups);
    for (const group of groups) {
      for (const member of group.members) {
        for (const classId of [group.homeroomClassId, ...group.lessonClasses.map((c) => c.classId)]) {
          this.enroll(member.studentId, classId, schoolId, 'student', member);
        }
      }
    }
    return groups;
  }

  /** One course per subject, across the grades that study it, plus the homeroom hour. */
  private addCourses(schoolId: string): Map<string, string> {
    const courses = SUBJECTS
      .map((s) => ({ code: s.code, title: s.title, grades: this.options.grades.filter((g) => s.hoursByGrade[g] !== undefined) }))
      .filter((course) => course.grades.length > 0);
    courses.push({ ...HOMEROOM_COURSE, grades: this.options.grades });
    const courseIds = new Map<string, string>();
    for (const course of courses) {
      const id = this.random.uuid();
      this.records.courses.push(record(id, {
        title: course.title, schoolYear: ref('academicSession', this.sessions.schoolYearId), courseCode: course.code,
        grades: course.grades.map(gradeCode), subjects: [course.title], org: ref('org', schoolId),
      }));
      courseIds.set(course.code, id);
    }
    return courseIds;
  }

  /** Each subject's groups are shared out among as many teachers as a full teaching load needs. */
  private assignTeachers(schoolId: string, groups: ClassGroup[]) {
    const bySubject = new Map<string, string>();
    const rooms = new Map<string, string>();
    for (const subject of SUBJECTS) {
      let teacherId = '';
      let load = Infinity;
      for (const group of groups) {
        const lessons = subject.hoursByGrade[group.grade];
        if (lessons === undefined) continue;
        if (load + lessons > MAX_TEACHER_LESSONS_PER_WEEK) {
          teacherId = this.addTeacher(schoolId);
          rooms.set(teacherId, `каб. ${101 + rooms.size}`);
          load = 0;
        }
        load += lessons;
        bySubject.set(`${group.name}/${subject.code}`, teacherId);
      }
    }
    return { bySubject, rooms };
  }

  private addClass(
    group: ClassGroup, courseId: string, subject: { code: string; title: string }, classType: 'homeroom' | 'scheduled', location?: string,
  ): string {
    const id = this.random.uuid();
    const homeroom = classType === 'homeroom';
    this.records.classes.push(record(id, {
      title: homeroom ? group.name : `${group.name} ${subject.title}`,
      classCode: homeroom ? group.name : `${group.name}-${subject.code}`,
      classType,
      ...(location ? { location } : {}),
      grades: [gradeCode(group.grade)],
      subjects: [subject.title],
      course: ref('course', courseId),
      school: ref('org', group.schoolId),
      terms: this.sessions.termIds.map((termId) => ref('academicSession', termId)),
    }));
    return id;
  }

  private addTeacher(schoolId: string): string {
    const name = adultName(this.random, this.random.chance(0.8) ? 'female' : 'male');
    const user = this.addUser(schoolId, name, 'teacher');
    user.email = `${user.username}@school.example.ru`;
    return user.sourcedId as string;
  }

  private addStudent(schoolId: string, group: ClassGroup, families: FamilyInSchool[]): string {
    const siblingFamilies = families.filter((f) => !f.groupNames.has(group.name));
    const family = siblingFamilies.length > 0 && this.random.chance(SIBLING_SHARE)
      ? this.random.pick(siblingFamilies)
      : this.addFamily(schoolId, families);
    family.groupNames.add(group.name);
    const name = childName(this.random, family.family);
    const student = this.addUser(schoolId, name, 'student');
    Object.assign(student, {
      identifier: `ЛД-${this.userNumber}`,
      agents: family.guardians.map((g) => ref('user', g.sourcedId as string)),
      grades: [gradeCode(group.grade)],
    });
    for (const guardian of family.guardians) (guardian.agents as GuidRef[]).push(ref('user', student.sourcedId as string));
    this.addDemographics(student.sourcedId as string, name, group.grade);
    return student.sourcedId as string;
  }

  private addFamily(schoolId: string, families: FamilyInSchool[]): FamilyInSchool {
    const family = newFamily(this.random);
    const adults: [PersonName, string][] = [];
    if (this.random.chance(GUARDIAN_ONLY_SHARE)) {
      adults.push([adultName(this.random, 'female'), 'guardian']);
    } else {
      adults.push([motherName(this.random, family), 'parent']);
      if (this.random.chance(FATHER_LISTED_SHARE)) adults.push([fatherName(this.random, family), 'parent']);
    }
    const guardians = adults.map(([name, role]) => {
      const guardian = this.addUser(schoolId, name, role);
      guardian.agents = [];
      guardian.phone = `+7 9${this.random.int(10, 99)} ${this.random.int(100, 999)}-${this.random.int(10, 99)}-${this.random.int(10, 99)}`;
      if (this.random.chance(0.5)) guardian.email = `${guardian.username}@mail.example.ru`;
      return guardian;
    });
    const entry = { family, guardians, groupNames: new Set<string>() };
    families.push(entry);
    return entry;
  }

  private addUser(schoolId: string, name: PersonName, role: string): OneRosterRecord {
    const id = this.random.uuid();
    this.userNumber++;
    const user = record(id, {
      username: `${role}${String(this.userNumber).padStart(5, '0')}`,
      enabledUser: 'true',
      givenName: name.givenName,
      familyName: name.familyName,
      middleName: name.middleName,
      roles: roles(role, schoolId),
      primaryOrg: ref('org', schoolId),
    });
    this.records.users.push(user);
    return user;
  }

  /** Children start school at about seven: grade 5 in 2026/2027 was born from September 2014 to August 2015. */
  private addDemographics(userId: string, name: PersonName, grade: number): void {
    const firstPossibleBirthday = `${2026 - grade - 7}-09-01`;
    this.records.demographics.push(record(userId, {
      birthDate: addDays(firstPossibleBirthday, this.random.int(0, 364)),
      sex: name.sex,
      countryOfBirthCode: 'RU',
      cityOfBirth: this.random.pick(BIRTH_CITIES),
    }));
  }

  private enroll(
    userId: string, classId: string, schoolId: string, role: 'student' | 'teacher', period: Omit<Membership, 'studentId'> = {},
  ): void {
    this.records.enrollments.push(record(this.random.uuid(), {
      user: ref('user', userId),
      class: ref('class', classId),
      school: ref('org', schoolId),
      role,
      primary: role === 'teacher' ? 'true' : 'false',
      ...(period.beginDate ? { beginDate: period.beginDate } : {}),
      ...(period.endDate ? { endDate: period.endDate } : {}),
    }));
  }

  /** In every grade the last student of the first class leaves it mid-term: for the parallel class, or the school. */
  private transferOneStudentPerGrade(groups: ClassGroup[]): void {
    for (const grade of this.options.grades) {
      const [first, parallel] = groups.filter((g) => g.grade === grade);
      const leaver = first.members[first.members.length - 1];
      leaver.endDate = TRANSFER.leaves;
      parallel?.members.push({ studentId: leaver.studentId, beginDate: TRANSFER.joins });
    }
  }
}
