import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Marks by when they were entered: the rollout figures count the teachers who marked in the last days
 * (item 14, "teachers working") for every school at once; without it that reads every mark of the city
 * (1.3 s of the figures' 1.5 s at city scale, 0.3 s with it, by the benchmark).
 */
export class MarkEnteredAtIndex1764320800000 implements MigrationInterface {
  name = 'MarkEnteredAtIndex1764320800000';

  async up(q: QueryRunner): Promise<void> {
    // With who entered the mark and its lesson, so that the figure reads the index alone.
    await q.query('CREATE INDEX mark_school_id_entered_at_idx ON mark (school_id, entered_at) INCLUDE (entered_by_id, lesson_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX mark_school_id_entered_at_idx');
  }
}
