import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { parseApiId } from '../../common/ids';
import type { Context } from '../../graphql/context';
import { LocalDate } from '../../graphql/scalars';
import { Diary } from './diary.types';

@Resolver()
export class DiaryResolver {
  @Query(() => Diary, { description: 'A student’s diary for a date range of up to 366 days (the student, the student’s parents, teachers of the student’s classes, the school administration).' })
  diary(
    @Arg('studentId', () => ID) studentId: string,
    @Arg('from', () => LocalDate) from: string,
    @Arg('to', () => LocalDate) to: string,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.diary.diary(ctx, parseApiId(studentId, 'studentId'), from, to);
  }
}
