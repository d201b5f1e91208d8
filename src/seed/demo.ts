import type { DataSource } from 'typeorm';
import { loadMunicipality, SchoolSample } from './loader';
import { seedOptions } from './options';
import { hasMunicipalityData } from './reset';
import type { RowCounts } from './rows';

/** The seed of the demo municipality: every fresh start shows the same people and marks. */
export const DEMO_SEED = 2026;

export interface DemoSummary extends SchoolSample {
  municipalityId: string;
  school: { id: string; shortName: string };
  rowCounts: RowCounts;
  elapsedMs: number;
}

interface Logger {
  info(obj: object, msg?: string): void;
}

/** Two servers starting on one empty database must not both load the demo. */
const DEMO_LOCK = 'journal-hub:demo-data';

/**
 * Loads the demo municipality (3 schools, 2 classes per grade, about 20 students a class, lessons up to
 * today) when there is no school yet. Returns what a newcomer can try, or null when data was there
 * already (or another process is loading it right now).
 */
export async function loadDemoIfEmpty(dataSource: DataSource, logger?: Logger): Promise<DemoSummary | null> {
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    const [{ locked }] = await lock.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [DEMO_LOCK]);
    if (!locked) return null;
    try {
      if (await hasMunicipalityData(dataSource)) return null;
      const result = await loadMunicipality(dataSource, seedOptions('demo', { seed: DEMO_SEED }));
      const [school] = result.schools;
      const summary: DemoSummary = {
        municipalityId: result.municipalityId,
        school: { id: school.id, shortName: school.shortName },
        ...school.sample,
        rowCounts: result.rowCounts,
        elapsedMs: result.elapsedMs,
      };
      // Ids and counts only: the demo people are invented, but names never go to logs (DESIGN rule 9).
      logger?.info({
        municipalityId: summary.municipalityId, schoolId: summary.school.id, classGroupId: summary.classGroup.id,
        studentId: summary.student.id, courseId: summary.course.id, termId: summary.currentTerm.id,
        rowCounts: summary.rowCounts, elapsedMs: summary.elapsedMs,
      }, 'demo municipality loaded');
      return summary;
    } finally {
      await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [DEMO_LOCK]);
    }
  } finally {
    await lock.release();
  }
}
