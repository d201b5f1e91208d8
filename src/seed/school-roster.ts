import { ACADEMIC_YEAR, LAST_LESSON_DAY, TERMS, addDays, formatDate, parseDate, schoolDays, termKindOfGrade } from './calendar';
import { MALE_SHARE, SUBGROUPS, Specialty, SubjectPlan, curriculumOf } from './curriculum';
import { Gender, PersonName, childOf, grandmotherOf, mobilePhone, newFamily, personalEmail, randomAdult, transliterate } from './names';
import { IdFactory, Random } from './random';
import type {
  Catalog, ClassModel, CourseModel, EnrollmentModel, FamilyModel, GuardianModel, SchoolModel, StaffModel, StudentModel,
} from './school-model';
import { buildTimetables } from './timetable';

/** Class letters in the order schools use them («З» is skipped: it reads like a 3). */
const LETTERS = ['А', 'Б', 'В', 'Г', 'Д', 'Е', 'Ж', 'И', 'К', 'Л'];
export const MAX_CLASSES_PER_GRADE = LETTERS.length;

/** A full-time post (ставка) is 18 hours a week; teachers here work about one and a quarter. */
const TARGET_WEEKLY_HOURS = 22;
/** Deputies teach, but their administrative work leaves them fewer lessons. */
const DEPUTY_ADMIN_HOURS = 12;

/** Movements during the year, as shares of the students. */
const MOVERS_SHARE = 0.01;
const LEAVERS_SHARE = 0.01;
const JOINERS_SHARE = 0.005;

export interface SchoolIdentity {
  id: string;
  number: number;
  shortName: string;
  systemOfRecord: string;
}

export interface RosterOptions {
  classesPerGrade: number;
  studentsPerClass: number;
  until: string;
}

interface CourseDraft {
  id: string;
  classIndex: number;
  subject: SubjectPlan;
  subgroup: string;
  teacher?: StaffModel;
}

export function buildSchool(identity: SchoolIdentity, options: RosterOptions, catalog: Catalog, random: Random): SchoolModel {
  const ids = new IdFactory(random.fork('ids'));
  const academicYearId = ids.next();
  const terms = TERMS.map((term) => ({ ...term, id: ids.next() }));
  const shells = classShells(options.classesPerGrade, ids);
  const drafts = shells.flatMap((shell, classIndex) => courseDrafts(shell.grade, classIndex, ids));
  const staffing = new Staffing(identity.number, ids, random.fork('staff'));
  staffing.hireAdministration(options.classesPerGrade);
  staffing.assignTeachers(drafts);
  const classes = shells.map((shell, classIndex) => ({
    ...shell,
    termKind: termKindOfGrade(shell.grade),
    homeroom: staffing.homeroomOf(classIndex, drafts, shell.grade),
    courses: [] as CourseModel[],
    enrollments: [] as EnrollmentModel[],
    timetable: [],
  }));
  for (const draft of drafts) {
    const classGroup = classes[draft.classIndex];
    classGroup.courses.push({
      id: draft.id, classGroup, subject: draft.subject, subgroup: draft.subgroup, teacher: draft.teacher!,
      members: draft.subgroup ? new Set() : null,
    });
  }
  staffing.hireItSpecialist();

  const people = new StudentBody(ids, random.fork('students'));
  for (const classGroup of classes) people.fillClass(classGroup, options.studentsPerClass);
  people.moveDuringYear(classes, options.until);
  const timetableClashes = buildTimetables(classes, staffing.staff, random.fork('timetable'));
  const ownWeights = schoolWeights(random.fork('weights'));

  return {
    ...identity,
    academicYearId,
    terms,
    staff: staffing.staff,
    classes,
    students: people.students,
    enrollments: people.enrollments,
    ownWeights,
    weights: new Map([...catalog.workKindWeights, ...ownWeights]),
    ids,
    random: random.fork('journal'),
    timetableClashes,
  };
}

function classShells(classesPerGrade: number, ids: IdFactory): { id: string; grade: number; letter: string; name: string }[] {
  const shells = [];
  for (let grade = 1; grade <= 11; grade++) {
    for (const letter of LETTERS.slice(0, classesPerGrade)) shells.push({ id: ids.next(), grade, letter, name: `${grade}${letter}` });
  }
  return shells;
}

function courseDrafts(grade: number, classIndex: number, ids: IdFactory): CourseDraft[] {
  return curriculumOf(grade).flatMap((subject) =>
    (subject.subgroups ? [...SUBGROUPS] : ['']).map((subgroup) => ({ id: ids.next(), classIndex, subject, subgroup })));
}

/** Schools set their own weight for a few kinds of work; the rest count with the municipal default. */
function schoolWeights(random: Random): Map<string, number> {
  return new Map([
    ['control_work', random.pick([2, 2, 2.5, 3])],
    ['independent_work', random.pick([1.25, 1.5, 1.5])],
    ['test', random.pick([1.5, 1.5, 2])],
    ['homework', random.pick([0.5, 1, 1])],
  ]);
}

class Staffing {
  readonly staff: StaffModel[] = [];
  private readonly homerooms = new Set<StaffModel>();

  constructor(private readonly schoolNumber: number, private readonly ids: IdFactory, private readonly random: Random) {}

  hireAdministration(classesPerGrade: number): void {
    this.hire(['director'], null, this.random.chance(0.7) ? 'female' : 'male');
    // One deputy for studies (учебная работа) and one for upbringing (воспитательная работа) teach;
    // a big school has a third, for safety, who does not.
    this.hire(['deputy_director', 'teacher'], 'philology').weeklyHours = DEPUTY_ADMIN_HOURS;
    this.hire(['deputy_director', 'teacher'], 'history').weeklyHours = DEPUTY_ADMIN_HOURS;
    if (classesPerGrade >= 3) this.hire(['deputy_director'], null, 'male');
  }

  hireItSpecialist(): void {
    this.hire(['it'], null, this.random.chance(0.7) ? 'male' : 'female');
  }

  /** Every class of grades 1–4 has its own primary teacher; specialists share the rest, evenly loaded. */
  assignTeachers(drafts: CourseDraft[]): void {
    const bundles = new Map<string, { specialty: Specialty; drafts: CourseDraft[]; hours: number; classIndex: number; subgroup: string }>();
    for (const draft of drafts) {
      const key = `${draft.classIndex}/${draft.subject.specialty}/${draft.subgroup}`;
      const bundle = bundles.get(key) ?? { specialty: draft.subject.specialty, drafts: [], hours: 0, classIndex: draft.classIndex, subgroup: draft.subgroup };
      bundle.drafts.push(draft);
      bundle.hours += draft.subject.hours;
      bundles.set(key, bundle);
    }
    const demand = new Map<Specialty, number>();
    for (const bundle of bundles.values()) {
      if (bundle.specialty !== 'primary') demand.set(bundle.specialty, (demand.get(bundle.specialty) ?? 0) + bundle.hours);
    }
    for (const [specialty, hours] of demand) {
      for (let i = 0; i < Math.ceil(hours / TARGET_WEEKLY_HOURS); i++) this.hire(['teacher'], specialty);
    }
    const ordered = [...bundles.values()].sort((a, b) => b.hours - a.hours || a.classIndex - b.classIndex);
    for (const bundle of ordered) {
      const teacher = bundle.specialty === 'primary' ? this.hire(['teacher'], 'primary') : this.leastLoaded(bundle, drafts);
      teacher.weeklyHours += bundle.hours;
      for (const draft of bundle.drafts) draft.teacher = teacher;
    }
  }

  /** The homeroom teacher: in grades 1–4 the class's primary teacher, later the teacher who spends most hours with it. */
  homeroomOf(classIndex: number, drafts: CourseDraft[], grade: number): StaffModel {
    const hoursWithClass = new Map<StaffModel, number>();
    for (const draft of drafts) {
      if (draft.classIndex !== classIndex || !draft.teacher) continue;
      hoursWithClass.set(draft.teacher, (hoursWithClass.get(draft.teacher) ?? 0) + draft.subject.hours);
    }
    const free = (t: StaffModel) => !this.homerooms.has(t) && !t.positions.includes('deputy_director');
    const candidates = [...hoursWithClass].filter(([t]) => free(t) && (grade > 4 || t.specialty === 'primary')).sort((a, b) => b[1] - a[1]);
    const teacher = candidates[0]?.[0]
      ?? this.staff.find((t) => free(t) && t.positions.includes('teacher'))
      ?? this.staff.find((t) => t.positions.includes('teacher'))!;
    this.homerooms.add(teacher);
    return teacher;
  }

  private leastLoaded(bundle: { specialty: Specialty; classIndex: number; subgroup: string }, drafts: CourseDraft[]): StaffModel {
    const pool = this.staff.filter((t) => t.specialty === bundle.specialty && t.positions.includes('teacher'));
    // The two language groups of a class get different teachers when the school has two.
    const otherGroupTeachers = new Set(drafts
      .filter((d) => d.classIndex === bundle.classIndex && d.subgroup && d.subgroup !== bundle.subgroup && d.subject.specialty === bundle.specialty)
      .map((d) => d.teacher));
    const preferred = pool.filter((t) => !otherGroupTeachers.has(t));
    return (preferred.length > 0 ? preferred : pool).reduce((best, t) => (t.weeklyHours < best.weeklyHours ? t : best));
  }

  private hire(positions: string[], specialty: Specialty | null, gender?: Gender): StaffModel {
    const sex = gender ?? (this.random.chance(specialty ? MALE_SHARE[specialty] : 0.3) ? 'male' : 'female');
    const name = randomAdult(this.random, sex);
    const member: StaffModel = {
      id: this.ids.next(), name, gender: sex, positions, specialty, weeklyHours: 0,
      email: `${transliterate(name.lastName)}.${transliterate(name.firstName[0])}${transliterate(name.middleName[0])}@sosh${this.schoolNumber}.kogalym.ru`,
      phone: this.random.chance(0.9) ? mobilePhone(this.random) : null,
    };
    this.staff.push(member);
    return member;
  }
}

/** Students, their families and guardians, and their enrollments through the year. */
class StudentBody {
  readonly students: StudentModel[] = [];
  readonly enrollments: EnrollmentModel[] = [];
  private readonly families: FamilyModel[] = [];

  constructor(private readonly ids: IdFactory, private readonly random: Random) {}

  fillClass(classGroup: ClassModel, studentsPerClass: number): void {
    const size = studentsPerClass >= 10 ? studentsPerClass + this.random.int(-2, 2) : studentsPerClass;
    const newcomers = Array.from({ length: size }, () => this.newStudent(classGroup.grade));
    newcomers.sort((a, b) => a.name.lastName.localeCompare(b.name.lastName, 'ru') || a.name.firstName.localeCompare(b.name.firstName, 'ru'));
    for (const student of newcomers) this.enrol(student, classGroup, ACADEMIC_YEAR.startsOn);
    // Alphabetical halves of the list make the two language groups, as many schools do it.
    const groups = classGroup.courses.filter((c) => c.members);
    newcomers.forEach((student, i) => {
      const subgroup = SUBGROUPS[i < Math.ceil(newcomers.length / 2) ? 0 : 1];
      for (const course of groups) if (course.subgroup === subgroup) course.members!.add(student);
    });
  }

  /**
   * About 1 % change class, 1 % leave the school and 0.5 % arrive during the year. A movement is on
   * record only once it has happened by `until`.
   */
  moveDuringYear(classes: ClassModel[], until: string): void {
    const days = schoolDays(LAST_LESSON_DAY).filter((d) => d >= '2026-09-14' && d <= '2027-05-14');
    const candidates = this.random.shuffled(this.enrollments);
    const count = (share: number) => Math.round(this.students.length * share);
    const parallelClasses = (c: ClassModel) => classes.filter((o) => o.grade === c.grade && o !== c);
    const movers = candidates.filter((e) => parallelClasses(e.classGroup).length > 0).slice(0, count(MOVERS_SHARE));
    for (const enrollment of movers) {
      const lastDay = this.random.pick(days);
      const target = this.random.pick(parallelClasses(enrollment.classGroup));
      if (lastDay >= until) continue;
      enrollment.endsOn = lastDay;
      this.enrol(enrollment.student, target, addDays(lastDay, 1));
      this.joinSmallerGroup(enrollment.student, target);
    }
    for (const enrollment of candidates.filter((e) => !movers.includes(e)).slice(0, count(LEAVERS_SHARE))) {
      const lastDay = this.random.pick(days);
      if (lastDay <= until) enrollment.endsOn = lastDay;
    }
    for (let i = 0; i < count(JOINERS_SHARE); i++) {
      const classGroup = this.random.pick(classes);
      const firstDay = this.random.pick(days);
      if (firstDay > until) continue;
      const student = this.newStudent(classGroup.grade);
      this.enrol(student, classGroup, firstDay);
      this.joinSmallerGroup(student, classGroup);
    }
  }

  private enrol(student: StudentModel, classGroup: ClassModel, startsOn: string): void {
    const enrollment = { id: this.ids.next(), student, classGroup, startsOn, endsOn: null };
    classGroup.enrollments.push(enrollment);
    this.enrollments.push(enrollment);
  }

  private joinSmallerGroup(student: StudentModel, classGroup: ClassModel): void {
    const groups = classGroup.courses.filter((c) => c.members);
    if (groups.length === 0) return;
    const sizes = SUBGROUPS.map((g) => groups.find((c) => c.subgroup === g)!.members!.size);
    const subgroup = SUBGROUPS[sizes[1] < sizes[0] ? 1 : 0];
    for (const course of groups) if (course.subgroup === subgroup) course.members!.add(student);
  }

  private newStudent(grade: number): StudentModel {
    const family = this.familyFor(grade);
    const gender: Gender = this.random.chance(0.5) ? 'male' : 'female';
    let name: PersonName;
    do name = childOf(this.random, family.names, gender);
    while (family.childNames.has(name.firstName));
    family.childNames.add(name.firstName);
    family.grades.add(grade);
    const student: StudentModel = {
      id: this.ids.next(),
      name,
      gender,
      birthDate: birthDateFor(grade, this.random),
      family,
      ability: this.random.normal(0, 0.75),
      talent: new Map(curriculumOf(grade).map((s) => [s.code, this.random.normal(0, 0.45)])),
      frailty: Math.exp(this.random.normal(0, 0.6)),
      truancy: Math.exp(this.random.normal(grade >= 8 ? 0.2 : -0.3, 0.8)),
    };
    this.students.push(student);
    return student;
  }

  /** About one child in eight has a brother or sister in another grade of the same school. */
  private familyFor(grade: number): FamilyModel {
    if (this.random.chance(0.12)) {
      const candidates = this.families.filter((f) => !f.grades.has(grade));
      if (candidates.length > 0) return this.random.pick(candidates);
    }
    const names = newFamily(this.random);
    const family: FamilyModel = { names, guardians: this.guardiansOf(names), grades: new Set(), childNames: new Set() };
    this.families.push(family);
    return family;
  }

  private guardiansOf(names: FamilyModel['names']): GuardianModel[] {
    const composition = this.random.weighted([['both', 60], ['mother', 32], ['father', 5], ['grandmother', 3]] as const);
    const guardian = (name: PersonName, relation: GuardianModel['relation']): GuardianModel => ({
      id: this.ids.next(), name, relation, phone: mobilePhone(this.random),
      email: this.random.chance(0.55) ? personalEmail(this.random, name) : null,
    });
    switch (composition) {
      case 'both': return [guardian(names.mother, 'mother'), guardian(names.father, 'father')];
      case 'mother': return [guardian(names.mother, 'mother')];
      case 'father': return [guardian(names.father, 'father')];
      case 'grandmother': return [guardian(grandmotherOf(this.random, names), 'legal_guardian')];
    }
  }
}

/** Children start grade 1 at six and a half to eight: for grade g, born Sept (2019 − g) … Dec (2020 − g). */
function birthDateFor(grade: number, random: Random): string {
  const from = parseDate(`${2019 - grade}-09-01`);
  const to = parseDate(`${2020 - grade}-12-31`);
  return formatDate(from + random.int(0, (to - from) / 86_400_000) * 86_400_000);
}
