// Figure 2 (and 5): a parent's diary for a week and for a term, over real HTTP with sign-in tokens and
// many concurrent clients (autocannon), against the same data fetched by one hand-written SQL query
// through pg at the same concurrency; latency at 80 % of the maximum throughput; the server's peak
// resident memory under that load.
import http from 'node:http';
import pg from 'pg';
import { createParents, signIn } from '../lib/accounts.mjs';
import { cpuSecondsOf, postgresCpu, postgresCpuBetween, startHubProcess } from '../lib/hub.mjs';
import { requirePackage } from '../lib/paths.mjs';
import { closedLoop, latencySummary, pacedLoop } from '../lib/stats.mjs';

/** The week asked for: a school week of the second term (every class's calendar has lessons then). */
const WEEK = { from: '2026-11-16', to: '2026-11-22' };
const PARENTS = 60;
const CONNECTIONS = 20;
const SECONDS = { small: 10, city: 15 };
const WARMUP_SECONDS = 3;

const DIARY = `query Diary($studentId: ID!, $from: LocalDate!, $to: LocalDate!) {
  diary(studentId: $studentId, from: $from, to: $to) {
    days { date lessons { subject { name } lesson { number topic homework teacher { shortName } } marks { value weight workKind { name } } attendance { status } } }
    terms { term { name } subjects { subject { name } average marks { value } termMark { value } } }
  }
}`;

/**
 * The same data in one statement: the days of the range with each lesson's subject, topic, homework,
 * teacher, the student's marks and attendance; and for each term the range touches, every mark of the
 * term per subject and the term mark. (The averages are left to the client; the hub computes them.)
 * Run as a prepared statement, as the hub runs its own.
 */
const DIARY_SQL = `
WITH enr AS (
  SELECT e.class_group_id FROM enrollment e
   WHERE e.school_id = $1 AND e.student_id = $2 AND e.starts_on <= $4::date AND (e.ends_on IS NULL OR e.ends_on >= $3::date)),
terms AS (
  SELECT t.id, t.name, t.starts_on, t.ends_on FROM term t
    JOIN class_group cg ON cg.school_id = t.school_id AND cg.academic_year_id = t.academic_year_id AND cg.term_kind = t.kind
   WHERE t.school_id = $1 AND cg.id IN (SELECT class_group_id FROM enr) AND t.starts_on <= $4::date AND t.ends_on >= $3::date),
span AS (SELECT least($3::date, min(starts_on)) AS f, greatest($4::date, max(ends_on)) AS t FROM terms),
courses AS (
  SELECT c.id, c.subject_id FROM course c
   WHERE c.school_id = $1 AND c.class_group_id IN (SELECT class_group_id FROM enr)
     AND (c.subgroup = '' OR EXISTS (SELECT 1 FROM course_student cs WHERE cs.school_id = $1 AND cs.course_id = c.id AND cs.student_id = $2))),
lessons AS (
  SELECT l.id, l.date, l.number, l.topic, l.homework, l.teacher_id, c.subject_id
    FROM lesson l JOIN courses c ON c.id = l.course_id, span
   -- Live lessons, as the hub shows: also what lets the planner use the (school, course, date) index.
   WHERE l.school_id = $1 AND l.date BETWEEN span.f AND span.t AND l.deleted_in_source_at IS NULL),
marks AS (
  SELECT m.lesson_id, m.value, m.weight, m.work_kind, l.date, l.subject_id FROM mark m JOIN lessons l ON l.id = m.lesson_id
   WHERE m.school_id = $1 AND m.student_id = $2)
SELECT json_build_object(
  'days', (SELECT json_agg(d ORDER BY d.date) FROM (
     SELECT l.date, json_agg(json_build_object(
              'subject', s.name, 'number', l.number, 'topic', l.topic, 'homework', l.homework, 'teacher', st.last_name,
              'marks', (SELECT json_agg(json_build_object('value', m.value, 'weight', m.weight, 'workKind', wk.name))
                          FROM marks m JOIN work_kind wk ON wk.code = m.work_kind WHERE m.lesson_id = l.id),
              'attendance', (SELECT a.status FROM attendance a WHERE a.school_id = $1 AND a.lesson_id = l.id AND a.student_id = $2))
            ORDER BY l.number) AS lessons
       FROM lessons l JOIN subject s ON s.id = l.subject_id LEFT JOIN staff st ON st.school_id = $1 AND st.id = l.teacher_id
      WHERE l.date BETWEEN $3::date AND $4::date GROUP BY l.date) d),
  'terms', (SELECT json_agg(json_build_object('term', t.name, 'subjects', (
     SELECT json_agg(json_build_object(
              'subject', s.name,
              'marks', (SELECT json_agg(m.value) FROM marks m WHERE m.subject_id = s.id AND m.date BETWEEN t.starts_on AND t.ends_on),
              'termMark', (SELECT f.value FROM final_mark f JOIN courses c ON c.id = f.course_id
                            WHERE f.school_id = $1 AND f.student_id = $2 AND f.term_id = t.id AND f.kind = 'term' AND c.subject_id = s.id LIMIT 1))
            ORDER BY s.name)
       FROM subject s WHERE s.id IN (SELECT subject_id FROM courses))) ORDER BY t.starts_on) FROM terms t)) AS diary`;

export async function diaryFigures({ ds, report, scale, log, databaseUrl }) {
  const autocannon = requirePackage('autocannon');
  const hub = await startHubProcess({ DATABASE_URL: databaseUrl });
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const afterStart = hub.memory();
  try {
    const parents = await signIn(hub.url, await createParents(ds, PARENTS, WEEK.from));
    if (parents.length < PARENTS) log(`  only ${parents.length} parents could be set up`);
    log(`  ${parents.length} parents signed in, across ${new Set(parents.map((p) => p.schoolId)).size} schools; ${CONNECTIONS} concurrent clients`);
    const seconds = SECONDS[scale];
    const ranges = { week: () => WEEK, term: (p) => p.term };
    const memorySamples = [];
    const sampler = setInterval(() => { const m = hub.memory(); if (m) memorySamples.push(m.rssMiB); }, 250);

    for (const [name, rangeOf] of Object.entries(ranges)) {
      const group = `diary: ${name}`;
      const body = (p) => JSON.stringify({ query: DIARY, operationName: 'Diary', variables: { studentId: p.apiStudentId, ...rangeOf(p) } });
      const sample = await (await fetch(hub.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${parents[0].token}` }, body: body(parents[0]) })).json();
      if (sample.errors || !sample.data?.diary?.days?.length) throw new Error(`the diary answered ${JSON.stringify(sample).slice(0, 300)}`);
      const marks = sample.data.diary.days.flatMap((d) => d.lessons.flatMap((l) => l.marks)).length;
      log(`  ${name}: a sample answer has ${sample.data.diary.days.length} days, ${marks} marks in them, ${JSON.stringify(sample).length} bytes`);

      const run = (options) => loadTest(autocannon, { url: hub.url, parents, body, connections: CONNECTIONS, ...options });
      await run({ duration: WARMUP_SECONDS });
      const hubCpu = cpuUsed(() => cpuSecondsOf(hub.pid));
      const max = await run({ duration: seconds });
      const hubCost = hubCpu.perRequest(max.requests);
      const [rows] = (await pool.query(DIARY_SQL, [parents[0].schoolId, parents[0].studentId, rangeOf(parents[0]).from, rangeOf(parents[0]).to])).rows;
      if (!rows.diary.days?.length) throw new Error('the baseline SQL found no days');
      let baselineCpu;
      const baseline = await closedLoop(async (worker, i) => {
        const p = parents[(worker * 7919 + i) % parents.length];
        const { from, to } = rangeOf(p);
        await pool.query({ name: 'diary_baseline', text: DIARY_SQL, values: [p.schoolId, p.studentId, from, to] });
      }, { concurrency: CONNECTIONS, seconds, warmupSeconds: WARMUP_SECONDS, afterWarmup: () => { baselineCpu = cpuUsed(ownCpuSeconds); } });
      const baselineCost = baselineCpu.perRequest(baseline.requests);
      log(`  ${name}: ${Math.round(max.perSecond)} req/s over HTTP (errors ${max.errors}${max.firstError ? `, the first: ${max.firstError}` : ''}), ${Math.round(baseline.perSecond)} queries/s by the one SQL through pg`);
      report.add({
        group, name: `throughput, ${CONNECTIONS} clients`, value: max.perSecond, unit: 'req/s',
        baseline: { value: baseline.perSecond, what: `one SQL via pg, ${CONNECTIONS} concurrent` },
        target: name === 'week' ? '≥ 0.5× SQL' : null, met: name === 'week' ? max.perSecond / baseline.perSecond >= 0.5 && max.errors === 0 : null,
        detail: { errors: max.errors, firstError: max.firstError, p50: max.p50, p95: max.p95, p99: max.p99, baselineP50: baseline.p50, baselineP99: baseline.p99, answerBytes: JSON.stringify(sample).length },
      });

      if (hubCost && baselineCost) {
        log(`  ${name}: CPU per request: hub ${hubCost.processMs.toFixed(2)} ms + PostgreSQL ${hubCost.postgresMs.toFixed(2)} ms; one SQL via pg: client ${baselineCost.processMs.toFixed(2)} ms + PostgreSQL ${baselineCost.postgresMs.toFixed(2)} ms`);
        report.add({
          group, name: 'CPU per request (process + PostgreSQL)', value: hubCost.processMs + hubCost.postgresMs, unit: 'ms',
          baseline: { value: baselineCost.processMs + baselineCost.postgresMs, what: 'one SQL via pg: the client process + PostgreSQL' },
          detail: { hub: hubCost, baseline: baselineCost, postgresScope: 'every postgres process of the machine, under the throughput load' },
        });
      }

      const rate = Math.max(1, Math.floor(0.8 * max.perSecond));
      const paced = await pacedDiaries({ url: hub.url, parents, body, connections: CONNECTIONS, rate, seconds });
      log(`  ${name} at ${rate} req/s (80 % of max): p50 ${paced.p50.toFixed(1)} ms, p95 ${paced.p95.toFixed(1)} ms, p99 ${paced.p99.toFixed(1)} ms`);
      const latencyTarget = name === 'week';
      report.add({ group, name: `p50 at 80 % of max (${rate} req/s)`, value: paced.p50, unit: 'ms', baseline: { value: baseline.p50, what: 'one SQL via pg, p50 at max' } });
      report.add({
        group, name: `p95 at 80 % of max`, value: paced.p95, unit: 'ms', baseline: { value: baseline.p95, what: 'one SQL via pg, p95 at max' },
        target: latencyTarget ? '≤ 50 ms' : null, met: latencyTarget ? paced.p95 <= 50 : null,
      });
      report.add({
        group, name: `p99 at 80 % of max`, value: paced.p99, unit: 'ms', baseline: { value: baseline.p99, what: 'one SQL via pg, p99 at max' },
        target: latencyTarget ? '≤ 150 ms' : null, met: latencyTarget ? paced.p99 <= 150 && paced.errors === 0 : null,
        detail: { achievedRate: paced.perSecond, errors: paced.errors, firstError: paced.firstError },
      });
    }
    clearInterval(sampler);
    const memory = hub.memory();
    if (memory) {
      const idle = await bareNodeMemory();
      report.add({
        group: 'memory', name: 'server peak resident memory under the diary load', value: memory.peakMiB, unit: 'MiB',
        baseline: idle ? { value: idle, what: 'a bare node:http process' } : null,
        target: '< 300 MiB', met: memory.peakMiB < 300, detail: { afterStartMiB: afterStart?.rssMiB ?? null, rssAtEndMiB: memory.rssMiB, maxSampledRssMiB: Math.max(...memorySamples) },
      });
    }
  } finally {
    await pool.end();
    await hub.stop();
  }
}

/**
 * CPU used from now on by a process (`seconds()`: its CPU seconds so far) and by PostgreSQL, per request
 * once `requests` were answered; null without /proc.
 */
function cpuUsed(seconds) {
  const [process0, postgres0] = [seconds(), postgresCpu()];
  return {
    perRequest(requests) {
      const [process1, postgres1] = [seconds(), postgresCpu()];
      if (process0 === null || process1 === null || postgres0 === null || requests <= 0) return null;
      return { processMs: ((process1 - process0) * 1000) / requests, postgresMs: (postgresCpuBetween(postgres0, postgres1) * 1000) / requests };
    },
  };
}

const ownCpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** A diary and no error: an answer with `errors` starts with them, not with the data. */
const isDiaryAnswer = (status, body) => status === 200 && body.startsWith('{"data":{"diary"');

/**
 * One autocannon run: each request is a random parent's diary with that parent's token. Latencies
 * are each response's own time; an answer that is not 200 or carries `errors` counts as an error.
 */
function loadTest(autocannon, { url, parents, body, connections, duration }) {
  return new Promise((resolve, reject) => {
    const latencies = [];
    let errors = 0;
    let firstError = null;
    let next = 0;
    const instance = autocannon({
      url, connections, duration,
      requests: [{
        method: 'POST',
        setupRequest(request) {
          const parent = parents[next++ % parents.length];
          return {
            ...request,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${parent.token}` },
            body: body(parent),
          };
        },
        onResponse(status, responseBody) {
          if (!isDiaryAnswer(status, responseBody)) {
            errors++;
            firstError ??= `${status} ${responseBody.slice(0, 300)}`;
          }
        },
      }],
    }, (error, result) => {
      if (error) return reject(error);
      const ok = latencies.length - errors;
      resolve({ perSecond: ok / result.duration, requests: latencies.length, errors: errors + result.errors + result.timeouts, firstError, ...latencySummary(latencies) });
    });
    instance.on('response', (client, statusCode, bytes, responseTime) => latencies.push(responseTime));
  });
}

/**
 * The diary at a fixed rate, spread evenly (pacedLoop), over up to `connections` kept-alive
 * connections; a request that finds them all busy waits for one, and that wait counts in its latency.
 * (autocannon's own rate limit lets each connection send its share back to back at the start of
 * every second: bursts of the full concurrency, which measure the saturated server again.)
 */
async function pacedDiaries({ url, parents, body, connections, rate, seconds }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const post = (parent) => new Promise((resolve, reject) => {
    const payload = body(parent);
    const request = http.request(url, {
      method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), authorization: `Bearer ${parent.token}` },
    }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => { text += chunk; });
      response.on('end', () => {
        if (isDiaryAnswer(response.statusCode, text)) resolve();
        else reject(new Error(`${response.statusCode} ${text.slice(0, 300)}`));
      });
    });
    request.on('error', reject);
    request.end(payload);
  });
  try {
    return await pacedLoop((i) => post(parents[i % parents.length]), { rate, seconds, warmupSeconds: WARMUP_SECONDS });
  } finally {
    agent.destroy();
  }
}

/** Peak resident memory of a bare node:http process that answered one request: what Node itself costs. */
async function bareNodeMemory() {
  const { spawn } = await import('node:child_process');
  const { freePort, memoryOf } = await import('../lib/hub.mjs');
  const port = await freePort();
  const child = spawn(process.execPath, ['-e', `require('http').createServer((q, s) => s.end('{}')).listen(${port}, '127.0.0.1')`], { stdio: 'ignore' });
  try {
    for (let i = 0; i < 200; i++) {
      if (await fetch(`http://127.0.0.1:${port}/`).then((r) => r.ok, () => false)) return memoryOf(child.pid)?.peakMiB ?? null;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return null;
  } finally {
    child.kill();
  }
}
