import 'reflect-metadata';
import { startServer, copyForRun } from '/work/wt/bench/bench/lib/database.mjs';
import { dist } from '/work/wt/bench/bench/lib/paths.mjs';
import { startInProcessHub, gql } from '/work/wt/bench/bench/lib/hub.mjs';
import { createParents, signIn } from '/work/wt/bench/bench/lib/accounts.mjs';
const server = await startServer();
const run = await copyForRun(server.serverUrl, `bench_${process.argv[2]}_seed`);
const { createDataSource } = dist('src/db/data-source.js');
const ds = createDataSource(run.url); await ds.initialize();
const hub = await startInProcessHub(ds);
const [p] = await signIn(hub.url, await createParents(ds, 1, '2026-11-16'));
const Q = `query($studentId: ID!, $from: LocalDate!, $to: LocalDate!) { diary(studentId: $studentId, from: $from, to: $to) {
 days { date lessons { subject { name } lesson { number topic homework teacher { shortName } } marks { value weight workKind { name } } attendance { status } } }
 terms { term { name } subjects { subject { name } average marks { value } termMark { value } } } } }`;
const vars = { studentId: p.apiStudentId, from: '2026-11-16', to: '2026-11-22' };
for (let i = 0; i < 3; i++) await gql(hub.url, Q, vars, p.token);
const stmts = [];
const orig = ds.logger; const ig = () => {};
ds.logger = { logQuery: (q, params) => stmts.push([q, params, performance.now()]), logQueryError: ig, logQuerySlow: ig, logSchemaBuild: ig, logMigration: ig, log: ig };
let t = performance.now(); await gql(hub.url, Q, vars, p.token); console.log('request ms', (performance.now() - t).toFixed(1), 'statements', stmts.length);
ds.logger = orig; for (const [q,,at] of stmts) console.log((at - t).toFixed(1).padStart(7), q.replace(/\s+/g,' ').slice(0,90)); process.exit(0);
for (const [q, params] of stmts) {
  if (/^\s*(INSERT|UPDATE|START|COMMIT|BEGIN)/i.test(q)) { console.log('-- write:', q.slice(0, 100).replace(/\s+/g,' ')); continue; }
  const rows = await ds.query('EXPLAIN (ANALYZE, FORMAT JSON) ' + q, params);
  const plan = rows[0]['QUERY PLAN'][0];
  console.log(`${plan['Planning Time'].toFixed(2)} + ${plan['Execution Time'].toFixed(2)} ms  rows ${plan.Plan['Actual Rows']}  ${q.replace(/\s+/g, ' ').slice(0, 200)}`);
}
await hub.stop(); await ds.destroy(); await run.drop(); await server.stop();
