import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, Float, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { parseApiId } from '../../common/ids';
import { Connection, PageArgs, paginate } from '../../common/pagination';
import type { Context } from '../../graphql/context';
import { Staff } from '../people/person.entity';
import { Term } from '../schools/academic-year.entity';
import { Course } from '../schools/class-group.entity';
import { Subject, WorkKind } from '../schools/school.entity';
import { weightsOfSchool } from '../schools/weights';
import { Attendance, FinalMark, Lesson, Mark, MarkChangeAction, MarkHistoryEntry, MarkScale } from './journal.entities';
import { AddMarkInput, ChangeMarkInput, SetAttendanceInput, SetFinalMarkInput, UpdateLessonInput } from './journal.inputs';
import { Journal } from './journal.types';

@ObjectType({ description: 'A mark as it was before or after a change.' })
class MarkState {
  @Field() value: string;
  @Field(() => MarkScale) scale: MarkScale;
  @Field(() => Float, { nullable: true }) numericValue: number | null;
  @Field(() => String, { nullable: true }) workKind?: string | null;
  @Field(() => Float, { nullable: true }) weight?: number | null;
  @Field(() => String, { nullable: true }) comment?: string | null;
}

@ObjectType({ description: 'One change to a mark: what it was, what it became, when and by whom.' })
class MarkChange {
  @Field(() => MarkChangeAction) action: MarkChangeAction;
  @Field(() => MarkState, { nullable: true }) before: MarkState | null;
  @Field(() => MarkState, { nullable: true }) after: MarkState | null;
  @Field() changedAt: Date;
  @Field(() => String, { nullable: true, description: 'The account that made the change; null for a change synced from a vendor.' })
  changedBy: string | null;
  @Field({ description: '"journal" for a change made in the hub, "sync" for one from the school’s vendor system.' }) changedVia: string;
}
const MarkChangeConnection = Connection(MarkChange);

@ArgsType()
class MarkHistoryArgs extends PageArgs {
  @Field(() => ID, { description: 'A lesson mark or a term/year/final mark.' }) markId: string;
}

@Resolver()
export class JournalResolver {
  @Query(() => Journal, { description: 'A course’s journal for a term: lessons as columns, students as rows.' })
  journal(@Arg('courseId', () => ID) courseId: string, @Arg('termId', () => ID) termId: string, @Ctx() ctx: Context) {
    return ctx.services.journal.journal(ctx, parseApiId(courseId, 'courseId'), parseApiId(termId, 'termId'));
  }

  @Query(() => MarkChangeConnection, { description: 'Every change to a mark, oldest first (the course’s teachers and the school administration).' })
  async markHistory(@Args() args: MarkHistoryArgs, @Ctx() ctx: Context) {
    const key = parseApiId(args.markId, 'markId');
    const query = await ctx.services.journal.historyQuery(ctx, key);
    const page = await paginate<MarkHistoryEntry>(query, [{ sql: 'h.id', property: 'id' }], args);
    const names = await ctx.services.accounts.displayNames(page.edges.map((e) => e.node.changedByAccountId));
    return {
      ...page,
      edges: page.edges.map(({ cursor, node }) => ({
        cursor,
        node: { ...node, changedBy: node.changedByAccountId ? names.get(node.changedByAccountId) ?? null : null },
      })),
    };
  }

  @Mutation(() => Lesson, { description: 'Sets a lesson’s topic and homework (built-in journal, the course’s teachers).' })
  updateLesson(@Arg('input') input: UpdateLessonInput, @Ctx() ctx: Context) {
    return ctx.services.journal.updateLesson(ctx, parseApiId(input.lessonId, 'lessonId'), input);
  }

  @Mutation(() => Mark, { description: 'Gives a student a mark in a lesson (built-in journal, the course’s teachers).' })
  addMark(@Arg('input') input: AddMarkInput, @Ctx() ctx: Context) {
    return ctx.services.journal.addMark(ctx, { ...input, lessonId: parseApiId(input.lessonId, 'lessonId'), studentId: parseApiId(input.studentId, 'studentId') });
  }

  @Mutation(() => Mark)
  changeMark(@Arg('input') input: ChangeMarkInput, @Ctx() ctx: Context) {
    return ctx.services.journal.changeMark(ctx, parseApiId(input.markId, 'markId'), input);
  }

  @Mutation(() => Mark, { description: 'Removes a mark; it stays in the mark’s history. Returns the mark as it was.' })
  removeMark(@Arg('markId', () => ID) markId: string, @Ctx() ctx: Context) {
    return ctx.services.journal.removeMark(ctx, parseApiId(markId, 'markId'));
  }

  @Mutation(() => Attendance, { nullable: true, description: 'Records absence or lateness; a null status marks the student present (returns null).' })
  setAttendance(@Arg('input') input: SetAttendanceInput, @Ctx() ctx: Context) {
    return ctx.services.journal.setAttendance(ctx, parseApiId(input.lessonId, 'lessonId'), parseApiId(input.studentId, 'studentId'), input.status, input.comment);
  }

  @Mutation(() => FinalMark, { nullable: true, description: 'Sets or (with a null value) removes a term, year, exam or final mark.' })
  setFinalMark(@Arg('input') input: SetFinalMarkInput, @Ctx() ctx: Context) {
    return ctx.services.journal.setFinalMark(ctx, {
      ...input,
      courseId: parseApiId(input.courseId, 'courseId'),
      studentId: parseApiId(input.studentId, 'studentId'),
      termId: input.termId ? parseApiId(input.termId, 'termId') : null,
    });
  }
}

@Resolver(() => Lesson)
export class LessonResolver {
  @FieldResolver(() => Course)
  course(@Root() lesson: Lesson, @Ctx() ctx: Context) {
    return ctx.loaders.course.load({ schoolId: lesson.schoolId, id: lesson.courseId });
  }

  @FieldResolver(() => Subject)
  async subject(@Root() lesson: Lesson, @Ctx() ctx: Context) {
    const course = await ctx.loaders.course.load({ schoolId: lesson.schoolId, id: lesson.courseId });
    return ctx.loaders.subject.load(course!.subjectId);
  }

  @FieldResolver(() => Staff, { nullable: true })
  teacher(@Root() lesson: Lesson, @Ctx() ctx: Context) {
    return lesson.teacherId ? ctx.loaders.staff.load({ schoolId: lesson.schoolId, id: lesson.teacherId }) : null;
  }
}

@Resolver(() => Mark)
export class MarkResolver {
  @FieldResolver(() => WorkKind)
  async workKind(@Root() mark: Mark, @Ctx() ctx: Context) {
    return (await ctx.loaders.workKinds.load('all')).find((k) => k.code === mark.workKind)!;
  }

  @FieldResolver(() => Float, { description: 'The weight this mark has in averages: its own, else the school’s for its kind of work.' })
  async weight(@Root() mark: Mark, @Ctx() ctx: Context) {
    return mark.weight ?? (await weightsOfSchool(ctx.loaders, mark.schoolId))(mark.workKind);
  }

  @FieldResolver(() => Lesson)
  lesson(@Root() mark: Mark, @Ctx() ctx: Context) {
    return ctx.loaders.lesson.load({ schoolId: mark.schoolId, id: mark.lessonId });
  }

  @FieldResolver(() => Staff, { nullable: true, description: 'The teacher who gave the mark.' })
  enteredBy(@Root() mark: Mark, @Ctx() ctx: Context) {
    return mark.enteredById ? ctx.loaders.staff.load({ schoolId: mark.schoolId, id: mark.enteredById }) : null;
  }
}

@Resolver(() => FinalMark)
export class FinalMarkResolver {
  @FieldResolver(() => Term, { nullable: true })
  term(@Root() mark: FinalMark, @Ctx() ctx: Context) {
    return mark.termId ? ctx.loaders.term.load({ schoolId: mark.schoolId, id: mark.termId }) : null;
  }

  @FieldResolver(() => Course)
  course(@Root() mark: FinalMark, @Ctx() ctx: Context) {
    return ctx.loaders.course.load({ schoolId: mark.schoolId, id: mark.courseId });
  }
}
