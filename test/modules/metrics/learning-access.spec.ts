import { Fixture } from '../../factories/fixture';
import { useTestHub } from '../../setup/hub';
import { buildLearningFixture, FIGURES, LearningFixture, TREND } from './learning-fixture';

describe('learning figures: who may read them, and what input they take', () => {
  const hub = useTestHub();
  let x: LearningFixture;
  const codeOf = async (query: string, variables: Record<string, unknown>, token?: string) => {
    const res = await hub.gql(query, variables, token);
    return res.errors?.[0]?.extensions.code ?? 'OK';
  };
  const fieldsOf = async (query: string, variables: Record<string, unknown>) => {
    const res = await hub.gql(query, variables, x.tokens.directorate);
    expect(res.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    return res.errors![0].extensions.fields;
  };

  beforeAll(async () => {
    x = await buildLearningFixture(new Fixture(hub.dataSource));
  });

  it('lets the directorate read every school, alone or together', async () => {
    expect(await codeOf(FIGURES, {}, x.tokens.directorate)).toBe('OK');
    expect(await codeOf(FIGURES, { filter: { schoolId: x.b } }, x.tokens.directorate)).toBe('OK');
    expect(await codeOf(TREND, { interval: 'MONTH' }, x.tokens.directorate)).toBe('OK');
  });

  it('lets a school’s administration read its own school only', async () => {
    expect(await codeOf(FIGURES, { filter: { schoolId: x.a } }, x.tokens.adminA)).toBe('OK');
    expect(await codeOf(TREND, { filter: { schoolId: x.a }, interval: 'WEEK' }, x.tokens.adminA)).toBe('OK');
    expect(await codeOf(FIGURES, { filter: { schoolId: x.b } }, x.tokens.adminA)).toBe('FORBIDDEN');
    expect(await codeOf(FIGURES, { filter: { termId: Fixture.apiId(x.q1B) } }, x.tokens.adminA)).toBe('FORBIDDEN');
    expect(await codeOf(TREND, { filter: { schoolId: x.b }, interval: 'WEEK' }, x.tokens.adminA)).toBe('FORBIDDEN');
    // All schools at once is the directorate's.
    expect(await codeOf(FIGURES, {}, x.tokens.adminA)).toBe('FORBIDDEN');
    expect(await codeOf(TREND, { interval: 'WEEK' }, x.tokens.adminB)).toBe('FORBIDDEN');
  });

  it('refuses teachers, parents and anonymous callers', async () => {
    for (const token of [x.tokens.teacherA, x.tokens.parentA]) {
      expect(await codeOf(FIGURES, { filter: { schoolId: x.a } }, token)).toBe('FORBIDDEN');
      expect(await codeOf(FIGURES, {}, token)).toBe('FORBIDDEN');
      expect(await codeOf(TREND, { filter: { schoolId: x.a }, interval: 'WEEK' }, token)).toBe('FORBIDDEN');
    }
    expect(await codeOf(FIGURES, { filter: { schoolId: x.a } })).toBe('UNAUTHENTICATED');
  });

  it('names the offending field of bad input', async () => {
    expect(await fieldsOf(FIGURES, { filter: { gradeLevel: 12 } })).toHaveProperty(['filter.gradeLevel']);
    expect(await fieldsOf(FIGURES, { filter: { schoolId: 'school-1' } })).toHaveProperty(['filter.schoolId']);
    expect(await fieldsOf(FIGURES, { filter: { subjectId: `${x.a}:${x.a}` } })).toHaveProperty(['filter.subjectId']);
    expect(await fieldsOf(FIGURES, { filter: { termId: x.q1A.id } })).toHaveProperty(['filter.termId']);
    expect(await fieldsOf(FIGURES, { filter: { academicYear: '2026' } })).toHaveProperty(['filter.academicYear']);
    expect(await fieldsOf(FIGURES, { filter: { term: { kind: 'QUARTER', number: 5 } } })).toHaveProperty(['filter.term.number']);
    expect(await fieldsOf(FIGURES, { filter: { term: { kind: 'HALF', number: 3 } } })).toHaveProperty(['filter.term.number']);
    expect(await fieldsOf(FIGURES, { filter: { term: { kind: 'QUARTER', number: 1 }, termId: Fixture.apiId(x.q1A) } }))
      .toHaveProperty(['filter.termId']);
    expect(await fieldsOf(FIGURES, { filter: { schoolId: x.b, termId: Fixture.apiId(x.q1A) } })).toHaveProperty(['filter.termId']);
    expect(await fieldsOf(FIGURES, { groupBy: ['SCHOOL', 'SCHOOL'] })).toHaveProperty(['groupBy']);
    expect(await fieldsOf(TREND, { interval: 'WEEK', groupBy: ['TERM'] })).toHaveProperty(['groupBy']);
    expect(await fieldsOf(TREND, { interval: 'WEEK', filter: { from: '2026-10-01', to: '2026-09-01' } })).toHaveProperty(['filter.to']);
  });

  it('answers a filter that matches nothing with no rows', async () => {
    const res = await hub.gql(FIGURES, { filter: { academicYear: '2030/2031' } }, x.tokens.directorate);
    expect(res.data.learningFigures).toEqual([]);
  });
});
