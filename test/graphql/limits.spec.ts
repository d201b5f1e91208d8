import { LIMITS } from '../../src/graphql/limits';
import { Role } from '../../src/policy/viewer';
import { Fixture } from '../factories/fixture';
import { useTestHub } from '../setup/hub';

/** Each limit with a request just under it (accepted) and just over it (refused before anything runs). */
describe('API limits', () => {
  const hub = useTestHub();
  const production = useTestHub({ introspection: false });
  let token: string;

  beforeAll(async () => {
    const f = new Fixture(hub.dataSource);
    token = (await f.account([{ role: Role.TEACHER, person: await f.staff(await f.school()) }])).token;
  });

  const refusedAsInvalid = (res: { status: number; errors?: { extensions: { code: string } }[] }) => {
    expect(res.errors?.[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  };

  /** A query whose selections nest `depth` levels deep, counting the leaf (as the limit does). */
  const deepQuery = (depth: number) => {
    const levels = ['schools(first: 1)', 'edges', 'node', 'currentAcademicYear', 'classGroups', 'courses', 'classGroup', 'courses', 'classGroup', 'courses'];
    return `{ ${levels.slice(0, depth - 1).reduceRight((inner, field) => `${field} { ${inner} }`, 'id')} }`;
  };

  it(`accepts a query ${LIMITS.maxDepth} deep and refuses one deeper`, async () => {
    const ok = await hub.gql(deepQuery(LIMITS.maxDepth), {}, token);
    expect(ok.errors).toBeUndefined();
    const deeper = await hub.gql(deepQuery(LIMITS.maxDepth + 1), {}, token);
    refusedAsInvalid(deeper);
    expect(deeper.errors?.[0].message).toContain(`found ${LIMITS.maxDepth + 1}`);
  });

  const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: subjects { id }`).join(' ')} }`;

  it(`accepts ${LIMITS.maxAliases} aliases and refuses more`, async () => {
    expect((await hub.gql(aliases(LIMITS.maxAliases), {}, token)).errors).toBeUndefined();
    refusedAsInvalid(await hub.gql(aliases(LIMITS.maxAliases + 1), {}, token));
  });

  it('allows one signIn per request, aliased or not', async () => {
    const one = await hub.gql(`mutation { a: signIn(login: "x.y.z", password: "p") { token } }`);
    expect(one.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    refusedAsInvalid(await hub.gql(`mutation { a: signIn(login: "x.y.z", password: "p") { token } b: signIn(login: "x.y.z", password: "q") { token } }`));
    refusedAsInvalid(await hub.gql(`mutation { signIn(login: "x.y.z", password: "p") { token } signIn(login: "x.y.z", password: "p") { token } }`));
    refusedAsInvalid(await hub.gql(`mutation { ...A ...B } fragment A on Mutation { a: signIn(login: "x", password: "p") { token } } fragment B on Mutation { b: signIn(login: "y", password: "q") { token } }`));
  });

  it('refuses a query over the cost limit', async () => {
    const costly = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `s${i}: schools(first: 100) { edges { node { id shortName currentAcademicYear { classGroups { id name courses { id subject { name } } } } } } }`).join(' ')} }`;
    expect((await hub.gql(costly(1), {}, token)).errors).toBeUndefined();
    const res = await hub.gql(costly(2), {}, token);
    refusedAsInvalid(res);
    expect(JSON.stringify(res.errors)).toMatch(/cost/i);
  });

  it(`refuses a document of more than ${LIMITS.maxTokens} tokens`, async () => {
    // "query { ...F …×k } fragment F on Query { __typename }" has 2k + 10 tokens.
    const tokens = (n: number) => `query { ${'...F '.repeat((n - 10) / 2)}} fragment F on Query { __typename }`;
    expect((await hub.gql(tokens(LIMITS.maxTokens - 10), {}, token)).errors).toBeUndefined();
    const res = await hub.gql(tokens(LIMITS.maxTokens + 10), {}, token);
    expect(res.errors?.[0].message).toMatch(/token/i);
  });

  it('refuses batched operation arrays', async () => {
    const res = await fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(res.status).toBe(400);
  });

  it('refuses a request that a browser could send cross-site without a preflight (CSRF)', async () => {
    const res = await fetch(`${hub.url}?query=${encodeURIComponent('{ __typename }')}`, { method: 'GET' });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF/i);
  });

  it('switches introspection and field suggestions off when configured for production', async () => {
    const intro = await production.gql('{ __schema { types { name } } }');
    expect(intro.errors?.[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const typo = await production.gql('{ schoolz { id } }');
    expect(typo.errors?.[0].message).not.toMatch(/Did you mean/);
    const typoDev = await hub.gql('{ schoolz { id } }');
    expect(typoDev.errors?.[0].message).toMatch(/Did you mean/);
  });

  it('masks internal errors behind an id that is also logged', async () => {
    // A table gone missing is an internal error: the client learns only the id.
    await hub.dataSource.query(`ALTER TABLE subject RENAME TO subject_away`);
    try {
      const res = await hub.gql('{ subjects { id } }', {}, token);
      expect(res.errors?.[0].extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', errorId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      expect(res.errors?.[0].message).not.toMatch(/subject_away|relation|SELECT/);
    } finally {
      await hub.dataSource.query(`ALTER TABLE subject_away RENAME TO subject`);
    }
  });
});
