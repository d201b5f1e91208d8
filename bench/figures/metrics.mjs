// Figure 4: the directorate's cross-school figures over the whole municipality, cold and warm:
// learning figures (from per-school rollups, refreshed on read when a school's data changed) and
// rollout figures (the Appendix 3 counts of every school), each against one hand-written SQL statement
// over the raw tables in the same run.
import { createDirectorate, signIn } from '../lib/accounts.mjs';
import { gql, startInProcessHub } from '../lib/hub.mjs';
import { dist } from '../lib/paths.mjs';
import { latencySummary, now, timeEach } from '../lib/stats.mjs';

const { createCampaignWithDefaults } = dist('src/modules/rollout/rollout.service.js');
const { markLearningDataChanged } = dist('src/modules/metrics/learning-rollups.js');

const WARM_TIMES = 20;
/** Slow figures are timed fewer times, so that the whole bench stays within minutes. */
const timesFor = (coldMs) => (coldMs > 1000 ? 5 : WARM_TIMES);
const WARM_TARGET_MS = 200;

const LEARNING = `query LearningFigures {
  learningFigures(groupBy: [SCHOOL]) { school { shortName } suppressed students marks average distribution { value count } attendanceRate promptness }
}`;

const ROLLOUT = `query RolloutFigures($campaignId: ID!) {
  rolloutFigures(campaignId: $campaignId) {
    schools { school { shortName } parentActivation onTrack applications parentLogins teacherLogins studentLogins teachersWorking overdueActivities readinessLevel }
    municipality { parentActivation applications parentLogins studentLogins teachersWorking schoolsOnTrack schoolsBehind overdueActivities }
  }
}`;

/** The ad-hoc way to the learning figures: a scan of every mark (what the rollups exist to avoid). */
const LEARNING_SQL = `
  SELECT m.school_id, count(*) AS marks, count(DISTINCT m.student_id) AS students,
         avg(m.numeric_value) FILTER (WHERE m.scale = 'five_point') AS average
    FROM mark m GROUP BY m.school_id`;

/** The headline rollout counts in one statement: parent accounts issued and activated, student accounts, per school. */
const ROLLOUT_SQL = `
  SELECT r.school_id,
         count(*) FILTER (WHERE r.role = 'parent') AS parents_issued,
         count(*) FILTER (WHERE r.role = 'parent' AND a.activated_at IS NOT NULL) AS parents_activated,
         count(*) FILTER (WHERE r.role = 'student') AS students_issued,
         (SELECT count(*) FROM parent_application ap WHERE ap.school_id = r.school_id) AS applications
    FROM account_role r JOIN account a ON a.id = r.account_id
   GROUP BY r.school_id`;

export async function metricsFigures({ ds, report, log }) {
  const hub = await startInProcessHub(ds);
  try {
    const directorate = await createDirectorate(ds, 'bench.directorate');
    const [{ token }] = await signIn(hub.url, [directorate]);
    const schools = await ds.query(`SELECT id FROM school ORDER BY short_name`);
    log(`  ${schools.length} schools`);
    const ask = (query, variables = {}) => gql(hub.url, query, variables, token);
    const timed = async (fn) => { const started = now(); const result = await fn(); return { ms: now() - started, result }; };

    // Learning figures. Cold: every school's data changed since its rollups (as after a night's syncs).
    for (const { id } of schools) await markLearningDataChanged(ds, id);
    const cold = await timed(() => ask(LEARNING));
    log(`  learning figures, every school stale: ${cold.ms.toFixed(0)} ms`);
    const learningBaseline = latencySummary(await timeEach(() => ds.query(LEARNING_SQL), { times: 3, warmup: 1 }));
    report.add({
      group: 'metrics: learning figures by school', name: 'cold (every school changed)', value: cold.ms, unit: 'ms',
      baseline: { value: learningBaseline.p50, what: 'one SQL scan of all marks' }, detail: { schools: schools.length, rows: cold.result.learningFigures.length },
    });
    // One school changed (a teacher's mark, a school's sync): only its rollups are refreshed. The
    // largest school of the municipality, so that the figure is the slow case.
    const [largest] = await ds.query(`SELECT school_id AS id FROM mark GROUP BY school_id ORDER BY count(*) DESC LIMIT 1`);
    await markLearningDataChanged(ds, largest.id);
    const oneChanged = await timed(() => ask(LEARNING));
    log(`  learning figures, one school stale: ${oneChanged.ms.toFixed(0)} ms`);
    report.add({
      group: 'metrics: learning figures by school', name: 'after the largest school changed', value: oneChanged.ms, unit: 'ms',
      baseline: { value: learningBaseline.p50, what: 'one SQL scan of all marks' },
    });
    const warm = latencySummary(await timeEach(() => ask(LEARNING), { times: WARM_TIMES, warmup: 2 }));
    log(`  learning figures, warm: p50 ${warm.p50.toFixed(1)} ms`);
    report.add({
      group: 'metrics: learning figures by school', name: 'warm p50', value: warm.p50, unit: 'ms',
      baseline: { value: learningBaseline.p50, what: 'one SQL scan of all marks' }, target: `< ${WARM_TARGET_MS} ms`, met: warm.p50 < WARM_TARGET_MS,
      detail: { p95: warm.p95 },
    });

    // Rollout figures of a campaign, from every school's data.
    const [{ id: municipalityId }] = await ds.query('SELECT id FROM municipality LIMIT 1');
    const campaign = await ds.transaction((em) => createCampaignWithDefaults(em, municipalityId, 'Бенчмарк', 2026, directorate.accountId));
    const rolloutCold = await timed(() => ask(ROLLOUT, { campaignId: campaign.id }));
    log(`  rollout figures, first request: ${rolloutCold.ms.toFixed(0)} ms`);
    const rolloutBaseline = latencySummary(await timeEach(() => ds.query(ROLLOUT_SQL), { times: 5, warmup: 1 }));
    report.add({
      group: 'metrics: rollout figures', name: 'cold (first request)', value: rolloutCold.ms, unit: 'ms',
      baseline: { value: rolloutBaseline.p50, what: 'one SQL: accounts and applications per school' },
    });
    const rolloutWarm = latencySummary(await timeEach(() => ask(ROLLOUT, { campaignId: campaign.id }), { times: timesFor(rolloutCold.ms), warmup: 1 }));
    log(`  rollout figures, warm: p50 ${rolloutWarm.p50.toFixed(1)} ms`);
    report.add({
      group: 'metrics: rollout figures', name: 'warm p50', value: rolloutWarm.p50, unit: 'ms',
      baseline: { value: rolloutBaseline.p50, what: 'one SQL: accounts and applications per school' },
      target: `< ${WARM_TARGET_MS} ms`, met: rolloutWarm.p50 < WARM_TARGET_MS, detail: { p95: rolloutWarm.p95 },
    });
  } finally {
    await hub.stop();
  }
}
