import { GraphQLLocalDate } from 'graphql-scalars';

/** A calendar date without time zone, "YYYY-MM-DD" (DESIGN rule 7): lesson days, term bounds, enrollments. */
export const LocalDate = GraphQLLocalDate;
