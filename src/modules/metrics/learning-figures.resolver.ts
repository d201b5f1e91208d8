import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { School, Subject } from '../schools/school.entity';
import { LearningFiguresArgs, LearningTrendArgs } from './learning-figures.inputs';
import { LearningFigures, LearningTrendSeries } from './learning-figures.types';

@Resolver(() => LearningFigures)
export class LearningFiguresResolver {
  @Query(() => [LearningFigures], {
    description: 'Average mark, mark distribution, attendance and promptness of marking, by school, grade level, subject and term, ' +
      'in one academic year (the directorate; a school’s administration for its own school, with filter.schoolId).',
  })
  learningFigures(@Args() args: LearningFiguresArgs, @Ctx() ctx: Context) {
    return ctx.services.metrics.figures(ctx, args);
  }

  @FieldResolver(() => School, { nullable: true, description: 'Set when grouped or filtered by school.' })
  school(@Root() figures: LearningFigures, @Ctx() ctx: Context) {
    return figures.schoolId ? ctx.loaders.school.load(figures.schoolId) : null;
  }

  @FieldResolver(() => Subject, { nullable: true, description: 'Set when grouped or filtered by subject.' })
  subject(@Root() figures: LearningFigures, @Ctx() ctx: Context) {
    return figures.subjectId ? ctx.loaders.subject.load(figures.subjectId) : null;
  }
}

@Resolver(() => LearningTrendSeries)
export class LearningTrendResolver {
  @Query(() => [LearningTrendSeries], {
    description: 'Weighted averages per week or month, by school, grade level and subject (the directorate; a school’s ' +
      'administration for its own school, with filter.schoolId).',
  })
  learningTrend(@Args() args: LearningTrendArgs, @Ctx() ctx: Context) {
    return ctx.services.metrics.trend(ctx, args);
  }

  @FieldResolver(() => School, { nullable: true, description: 'Set when grouped or filtered by school.' })
  school(@Root() series: LearningTrendSeries, @Ctx() ctx: Context) {
    return series.schoolId ? ctx.loaders.school.load(series.schoolId) : null;
  }

  @FieldResolver(() => Subject, { nullable: true, description: 'Set when grouped or filtered by subject.' })
  subject(@Root() series: LearningTrendSeries, @Ctx() ctx: Context) {
    return series.subjectId ? ctx.loaders.subject.load(series.subjectId) : null;
  }
}
