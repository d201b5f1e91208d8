import { BUILTIN_JOURNAL } from '../modules/schools/school.entity';
import { ACADEMIC_YEAR } from './calendar';
import { VENDOR_SUBJECT_NAMES } from './curriculum';
import { vendorIdOf } from './random';
import { emptyRowSet, RowSet, SchoolRow } from './rows';
import type { Catalog, SchoolModel } from './school-model';

type Origin = { sourceSystem: string | null; sourceId: string | null };

/** Where a row came from: nothing for a school that keeps its journal in the hub, the vendor's id otherwise. */
export function originOf(school: Pick<SchoolModel, 'systemOfRecord'>, id: string): Origin {
  return vendorOrigin(school, () => vendorIdOf(id));
}

/** The origin of a row that links two others (attendance: a lesson and a student): the pair of their ids. */
export function linkOriginOf(school: Pick<SchoolModel, 'systemOfRecord'>, firstId: string, secondId: string): Origin {
  return vendorOrigin(school, () => `${vendorIdOf(firstId)}-${vendorIdOf(secondId)}`);
}

function vendorOrigin(school: Pick<SchoolModel, 'systemOfRecord'>, sourceId: () => string): Origin {
  return school.systemOfRecord === BUILTIN_JOURNAL
    ? { sourceSystem: null, sourceId: null }
    : { sourceSystem: school.systemOfRecord, sourceId: sourceId() };
}

/** The rows that describe the school before any lesson: staff, classes, courses, students, guardians, enrollments. */
export function rosterRows(school: SchoolModel, schoolRow: SchoolRow, catalog: Catalog): RowSet {
  const rows = emptyRowSet();
  const schoolId = school.id;
  const origin = (id: string) => originOf(school, id);
  const synced = school.systemOfRecord !== BUILTIN_JOURNAL;

  rows.school.push(schoolRow);
  for (const [workKind, weight] of school.ownWeights) rows.school_work_kind_weight.push({ schoolId, workKind, weight });
  rows.academic_year.push({ schoolId, id: school.academicYearId, label: ACADEMIC_YEAR.label, startsOn: ACADEMIC_YEAR.startsOn, endsOn: ACADEMIC_YEAR.endsOn, ...origin(school.academicYearId) });
  for (const term of school.terms) {
    rows.term.push({
      schoolId, id: term.id, academicYearId: school.academicYearId, kind: term.kind, number: term.number, name: term.name,
      startsOn: term.startsOn, endsOn: term.endsOn, ...origin(term.id),
    });
  }
  for (const member of school.staff) {
    rows.staff.push({ schoolId, id: member.id, ...member.name, positions: member.positions, email: member.email, phone: member.phone, ...origin(member.id) });
  }
  const guardiansWritten = new Set<string>();
  for (const student of school.students) {
    rows.student.push({ schoolId, id: student.id, ...student.name, birthDate: student.birthDate, ...origin(student.id) });
    for (const guardian of student.family.guardians) {
      if (!guardiansWritten.has(guardian.id)) {
        guardiansWritten.add(guardian.id);
        rows.guardian.push({ schoolId, id: guardian.id, ...guardian.name, phone: guardian.phone, email: guardian.email, ...origin(guardian.id) });
      }
      rows.student_guardian.push({
        schoolId, studentId: student.id, guardianId: guardian.id, relation: guardian.relation, ...linkOriginOf(school, student.id, guardian.id),
      });
    }
  }
  for (const classGroup of school.classes) {
    rows.class_group.push({
      schoolId, id: classGroup.id, academicYearId: school.academicYearId, gradeLevel: classGroup.grade, letter: classGroup.letter,
      termKind: classGroup.termKind, homeroomTeacherId: classGroup.homeroom.id, ...origin(classGroup.id),
    });
    for (const course of classGroup.courses) {
      const subject = catalog.subjects.get(course.subject.code)!;
      rows.course.push({
        schoolId, id: course.id, classGroupId: classGroup.id, subjectId: subject.id, subgroup: course.subgroup,
        sourceSubjectName: synced ? (VENDOR_SUBJECT_NAMES[course.subject.code] ?? subject.name) : null, ...origin(course.id),
      });
      rows.course_teacher.push({ schoolId, courseId: course.id, staffId: course.teacher.id });
      for (const member of course.members ?? []) rows.course_student.push({ schoolId, courseId: course.id, studentId: member.id });
    }
  }
  for (const e of school.enrollments) {
    rows.enrollment.push({ schoolId, id: e.id, studentId: e.student.id, classGroupId: e.classGroup.id, startsOn: e.startsOn, endsOn: e.endsOn, ...origin(e.id) });
  }
  return rows;
}
