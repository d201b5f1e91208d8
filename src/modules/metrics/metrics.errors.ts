import { badInput } from '../../common/errors';

export const MetricsErrors = {
  termNumberOffRange: (kind: string, max: number) =>
    badInput('METRICS_TERM_INVALID', { 'filter.term.number': `a ${kind} is numbered 1 to ${max}` }),
  termGivenTwice: () => badInput('METRICS_TERM_INVALID', { 'filter.termId': 'give either filter.term or filter.termId, not both' }),
  termOfOtherSchool: () => badInput('METRICS_TERM_INVALID', { 'filter.termId': 'is a term of another school than filter.schoolId' }),
  dimensionRepeated: (dimension: string) => badInput('METRICS_GROUP_BY_INVALID', { groupBy: `names ${dimension} more than once` }),
  trendByTerm: () => badInput('METRICS_GROUP_BY_INVALID', { groupBy: 'a trend is grouped by SCHOOL, GRADE_LEVEL or SUBJECT; its periods replace terms' }),
  rangeReversed: () => badInput('METRICS_RANGE_INVALID', { 'filter.to': 'is before filter.from' }),
};
