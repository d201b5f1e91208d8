import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Other names of the municipality's subjects, as schools type them in their vendor systems («Физкультура»,
 * «ИЗО», «Информатика и ИКТ»): the sync maps a vendor's subject name through them onto the list. One table
 * for every adapter and school; IT staff and the directorate add to it (then retry the quarantined courses).
 * Keys are compared lower-case with ё as е and single spaces, as the engine compares names.
 */
const ALIASES: [alias: string, subjectCode: string][] = [
  ['физкультура', 'physical_education'], ['физ-ра', 'physical_education'],
  ['изо', 'art'], ['технология', 'technology'], ['труд', 'technology'],
  ['информатика и икт', 'informatics'],
  ['иностранный язык', 'english'], ['иностранный язык (английский)', 'english'], ['иностранный язык (английский язык)', 'english'], ['английский', 'english'],
  ['иностранный язык (немецкий)', 'german'], ['иностранный язык (немецкий язык)', 'german'], ['немецкий', 'german'],
  ['обж', 'life_safety'], ['обзр', 'life_safety'], ['основы безопасности жизнедеятельности', 'life_safety'],
  ['орксэ', 'orkse'], ['однкнр', 'odnknr'],
  ['алгебра и начала математического анализа', 'algebra'], ['алгебра и начала анализа', 'algebra'],
  ['теория вероятностей и статистика', 'probability'],
  ['родной язык (русский)', 'native_language'], ['родной русский язык', 'native_language'],
  ['история россии. всеобщая история', 'history'],
  ['окружающий мир (человек, природа, общество)', 'world_around'],
];

export class SubjectAliases1764320700000 implements MigrationInterface {
  name = 'SubjectAliases1764320700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE subject_alias (
        alias text NOT NULL,
        subject_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT subject_alias_pkey PRIMARY KEY (alias),
        CONSTRAINT subject_alias_subject_id_fkey FOREIGN KEY (subject_id) REFERENCES subject (id),
        CONSTRAINT subject_alias_alias_check CHECK (alias = lower(btrim(alias)) AND alias <> '')
      )`);
    await q.query(
      `INSERT INTO subject_alias (alias, subject_id) SELECT a.alias, s.id FROM unnest($1::text[], $2::text[]) AS a(alias, code) JOIN subject s ON s.code = a.code`,
      [ALIASES.map(([alias]) => alias), ALIASES.map(([, code]) => code)],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE subject_alias');
  }
}
