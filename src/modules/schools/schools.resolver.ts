import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { parseApiId, parsePlainId } from '../../common/ids';
import { Connection, PageArgs, paginate } from '../../common/pagination';
import type { Context } from '../../graphql/context';
import { policy } from '../../policy/policy';
import { Staff } from '../people/person.entity';
import { AcademicYear, Term } from './academic-year.entity';
import { ClassGroup, Course } from './class-group.entity';
import { Municipality, School, Subject, SubjectAlias, WorkKind } from './school.entity';
import { SchoolWorkKindWeightType } from './school.types';
import { weightsOfSchool } from './weights';

const SchoolConnection = Connection(School);

@Resolver()
export class DirectoryResolver {
  @Query(() => Municipality, { nullable: true, description: 'The municipality this hub serves.' })
  municipality(@Ctx() ctx: Context): Promise<Municipality | null> {
    policy.readSchoolDirectory(ctx.viewer);
    return ctx.services.schools.municipality();
  }

  @Query(() => SchoolConnection, { description: 'The municipality’s schools, by short name.' })
  schools(@Args() page: PageArgs, @Ctx() ctx: Context) {
    policy.readSchoolDirectory(ctx.viewer);
    return paginate(ctx.services.schools.schoolsQuery(), [{ sql: 's.short_name', property: 'shortName' }, { sql: 's.id', property: 'id' }], page);
  }

  @Query(() => School, { nullable: true })
  school(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<School | null> {
    policy.readSchoolDirectory(ctx.viewer);
    return ctx.loaders.school.load(parsePlainId(id, 'id'));
  }

  @Query(() => ClassGroup, { nullable: true })
  classGroup(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ClassGroup | null> {
    policy.readSchoolDirectory(ctx.viewer);
    return ctx.loaders.classGroup.load(parseApiId(id, 'id'));
  }

  @Query(() => Course, { nullable: true })
  course(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Course | null> {
    policy.readSchoolDirectory(ctx.viewer);
    return ctx.loaders.course.load(parseApiId(id, 'id'));
  }

  @Query(() => [Subject], { description: 'The municipality’s subject list.' })
  subjects(@Ctx() ctx: Context): Promise<Subject[]> {
    policy.readSchoolDirectory(ctx.viewer);
    return ctx.services.schools.subjects();
  }

  @Query(() => [SubjectAlias], { description: 'Other names of the subjects that syncs map vendor subject names through.' })
  subjectAliases(@Ctx() ctx: Context) {
    return ctx.services.schools.subjectAliases(ctx);
  }

  @Mutation(() => SubjectAlias, { description: 'Adds another name of a subject (directorate or school IT staff); then retry the quarantined courses.' })
  addSubjectAlias(@Arg('alias') alias: string, @Arg('subjectCode') subjectCode: string, @Ctx() ctx: Context) {
    return ctx.services.schools.addSubjectAlias(ctx, alias, subjectCode);
  }

  @Query(() => [WorkKind], { description: 'Kinds of work a mark can be given for, with their default weights.' })
  workKinds(@Ctx() ctx: Context): Promise<WorkKind[]> {
    policy.readSchoolDirectory(ctx.viewer);
    return ctx.loaders.workKinds.load('all');
  }
}

@Resolver(() => School)
export class SchoolResolver {
  @FieldResolver(() => [AcademicYear], { description: 'Newest first.' })
  academicYears(@Root() school: School, @Ctx() ctx: Context) {
    return ctx.loaders.academicYearsOfSchool.load(school.id);
  }

  @FieldResolver(() => AcademicYear, { nullable: true, description: 'The academic year that contains the school’s today, else the latest one.' })
  async currentAcademicYear(@Root() school: School, @Ctx() ctx: Context) {
    return ctx.services.schools.currentYear(ctx.loaders, school);
  }

  @FieldResolver(() => Date, { nullable: true, description: 'When the last successful sync from the school’s vendor system finished; null for a school on the built-in journal or never synced.' })
  lastSyncedAt(@Root() school: School, @Ctx() ctx: Context) {
    return ctx.loaders.lastSyncedAt.load(school.id);
  }

  @FieldResolver(() => [Subject], { description: 'The subjects the school teaches, by name.' })
  subjects(@Root() school: School, @Ctx() ctx: Context) {
    return ctx.loaders.subjectsOfSchool.load(school.id);
  }

  @FieldResolver(() => [SchoolWorkKindWeightType], { description: 'Weight of each kind of work in this school’s averages.' })
  async workKindWeights(@Root() school: School, @Ctx() ctx: Context): Promise<SchoolWorkKindWeightType[]> {
    const [kinds, weightOf] = await Promise.all([ctx.loaders.workKinds.load('all'), weightsOfSchool(ctx.loaders, school.id)]);
    return kinds.map((workKind) => ({ workKind, weight: weightOf(workKind.code) }));
  }
}

@Resolver(() => AcademicYear)
export class AcademicYearResolver {
  @FieldResolver(() => [Term], { description: 'Every term of the year, of every kind its classes use.' })
  terms(@Root() year: AcademicYear, @Ctx() ctx: Context) {
    return ctx.loaders.termsOfYear.load(year);
  }

  @FieldResolver(() => [ClassGroup], { description: 'The year’s classes, by grade level and letter.' })
  classGroups(@Root() year: AcademicYear, @Ctx() ctx: Context) {
    return ctx.loaders.classGroupsOfYear.load(year);
  }
}

@Resolver(() => ClassGroup)
export class ClassGroupResolver {
  @FieldResolver(() => School)
  school(@Root() group: ClassGroup, @Ctx() ctx: Context) {
    return ctx.loaders.school.load(group.schoolId);
  }

  @FieldResolver(() => AcademicYear)
  academicYear(@Root() group: ClassGroup, @Ctx() ctx: Context) {
    return ctx.loaders.academicYear.load({ schoolId: group.schoolId, id: group.academicYearId });
  }

  @FieldResolver(() => Staff, { nullable: true, description: 'классный руководитель' })
  homeroomTeacher(@Root() group: ClassGroup, @Ctx() ctx: Context) {
    return group.homeroomTeacherId ? ctx.loaders.staff.load({ schoolId: group.schoolId, id: group.homeroomTeacherId }) : null;
  }

  @FieldResolver(() => [Course])
  courses(@Root() group: ClassGroup, @Ctx() ctx: Context) {
    return ctx.loaders.coursesOfClassGroup.load(group);
  }
}

@Resolver(() => Course)
export class CourseResolver {
  @FieldResolver(() => Subject)
  subject(@Root() course: Course, @Ctx() ctx: Context) {
    return ctx.loaders.subject.load(course.subjectId);
  }

  @FieldResolver(() => ClassGroup)
  classGroup(@Root() course: Course, @Ctx() ctx: Context) {
    return ctx.loaders.classGroup.load({ schoolId: course.schoolId, id: course.classGroupId });
  }

  @FieldResolver(() => [Staff])
  async teachers(@Root() course: Course, @Ctx() ctx: Context) {
    const links = await ctx.loaders.teacherLinksOfCourse.load(course);
    return ctx.loaders.staff.loadMany(links.map((l) => ({ schoolId: l.schoolId, id: l.staffId })));
  }
}
