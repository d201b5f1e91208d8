import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { IsOptional, MaxLength } from 'class-validator';
import { todayIn } from '../../common/dates';
import { parseApiId, parsePlainId } from '../../common/ids';
import { Connection, PageArgs, paginate } from '../../common/pagination';
import type { Context } from '../../graphql/context';
import { LocalDate } from '../../graphql/scalars';
import { policy } from '../../policy/policy';
import { ClassGroup, Course } from '../schools/class-group.entity';
import { School } from '../schools/school.entity';
import { Enrollment, Staff, StaffPosition, Student } from './person.entity';
import { byName, covers } from './people.order';

const StudentConnection = Connection(Student);
const StaffConnection = Connection(Staff);

@ArgsType()
class StudentsArgs extends PageArgs {
  @Field(() => ID) schoolId: string;
  @Field(() => ID, { nullable: true, description: 'Only students who have been in this class.' }) classGroupId?: string | null;
  @Field(() => String, { nullable: true, description: 'Beginning of the last name, case-insensitive.' })
  @IsOptional()
  @MaxLength(100)
  lastNameStartsWith?: string | null;
}

@ArgsType()
class StaffArgs extends PageArgs {
  @Field(() => ID) schoolId: string;
  @Field(() => StaffPosition, { nullable: true }) position?: StaffPosition | null;
}

const nameOrder = [
  { sql: 'p.last_name', property: 'lastName' as const },
  { sql: 'p.first_name', property: 'firstName' as const },
  { sql: 'p.id', property: 'id' as const },
];

@Resolver(() => Student)
export class StudentResolver {
  @Query(() => StudentConnection, { description: 'A school’s students, by name (school staff only).' })
  students(@Args() args: StudentsArgs, @Ctx() ctx: Context) {
    const schoolId = parsePlainId(args.schoolId, 'schoolId');
    policy.readSchoolRoster(ctx.viewer, schoolId);
    const classGroup = args.classGroupId ? parseApiId(args.classGroupId, 'classGroupId') : null;
    return paginate(ctx.services.people.studentsQuery(schoolId, classGroup?.id ?? null, args.lastNameStartsWith ?? null), nameOrder, args);
  }

  @Query(() => Student, { nullable: true })
  async student(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const key = parseApiId(id, 'id');
    policy.readStudentProfile(ctx.viewer, key.schoolId, key.id);
    return ctx.loaders.student.load(key);
  }

  @FieldResolver(() => [Enrollment], { description: 'The student’s classes over time.' })
  enrollments(@Root() student: Student, @Ctx() ctx: Context) {
    return ctx.loaders.enrollmentsOfStudent.load(student);
  }

  @FieldResolver(() => ClassGroup, { nullable: true, description: 'The class the student is in on the school’s today.' })
  async classGroup(@Root() student: Student, @Ctx() ctx: Context) {
    const [school, enrollments] = await Promise.all([ctx.loaders.school.load(student.schoolId), ctx.loaders.enrollmentsOfStudent.load(student)]);
    const today = todayIn(school!.timeZone);
    const current = enrollments.find((e) => covers(e, today));
    return current ? ctx.loaders.classGroup.load({ schoolId: student.schoolId, id: current.classGroupId }) : null;
  }

  @FieldResolver(() => School)
  school(@Root() student: Student, @Ctx() ctx: Context) {
    return ctx.loaders.school.load(student.schoolId);
  }
}

@Resolver(() => Enrollment)
export class EnrollmentResolver {
  @FieldResolver(() => ClassGroup)
  classGroup(@Root() enrollment: Enrollment, @Ctx() ctx: Context) {
    return ctx.loaders.classGroup.load({ schoolId: enrollment.schoolId, id: enrollment.classGroupId });
  }
}

@Resolver(() => Staff)
export class StaffResolver {
  @Query(() => StaffConnection, { description: 'A school’s staff, by name (school staff only).' })
  staff(@Args() args: StaffArgs, @Ctx() ctx: Context) {
    const schoolId = parsePlainId(args.schoolId, 'schoolId');
    policy.readSchoolRoster(ctx.viewer, schoolId);
    return paginate(ctx.services.people.staffQuery(schoolId, args.position ?? null), nameOrder, args);
  }

  @FieldResolver(() => [Course], { description: 'Courses this person teaches.' })
  async courses(@Root() staff: Staff, @Ctx() ctx: Context) {
    const links = await ctx.loaders.courseLinksOfTeacher.load(staff);
    return ctx.loaders.course.loadMany(links.map((l) => ({ schoolId: l.schoolId, id: l.courseId })));
  }
}

@Resolver(() => ClassGroup)
export class ClassGroupRosterResolver {
  @FieldResolver(() => [Student], { description: 'Students in the class on a date (default: the school’s today), by name. School staff only.' })
  async students(@Root() group: ClassGroup, @Arg('on', () => LocalDate, { nullable: true }) on: string | null, @Ctx() ctx: Context) {
    policy.readSchoolRoster(ctx.viewer, group.schoolId);
    const school = await ctx.loaders.school.load(group.schoolId);
    const date = on ?? todayIn(school!.timeZone);
    const enrollments = await ctx.loaders.enrollmentsOfClassGroup.load(group);
    const present = enrollments.filter((e) => covers(e, date));
    const students = (await ctx.loaders.student.loadMany(present.map((e) => ({ schoolId: e.schoolId, id: e.studentId })))) as Student[];
    return students.sort(byName);
  }
}
