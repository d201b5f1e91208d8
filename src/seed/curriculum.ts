import type { Random } from './random';

/**
 * What each grade studies and how it is assessed: the federal curriculum (ФУП, five-day week) with
 * its weekly hours, the teacher speciality behind each subject, and the kinds of work that get marks.
 */

export type Specialty =
  | 'primary' | 'philology' | 'foreign_language' | 'mathematics' | 'informatics' | 'physics' | 'chemistry' | 'biology'
  | 'geography' | 'history' | 'music' | 'art' | 'technology' | 'physical_education' | 'life_safety';

type WorkKind =
  | 'class_answer' | 'homework' | 'independent_work' | 'check_work' | 'dictation' | 'recitation' | 'essay' | 'lab_work'
  | 'practical_work' | 'test' | 'project' | 'control_work' | 'credit';

/** Weekly hours by grade:          1  2  3  4  5  6  7  8  9 10 11 */
const WEEKLY_HOURS: Record<string, number[]> = {
  russian:                        [5, 5, 5, 5, 5, 6, 4, 3, 3, 2, 2],
  literary_reading:               [4, 4, 4, 3, 0, 0, 0, 0, 0, 0, 0],
  literature:                     [0, 0, 0, 0, 3, 3, 2, 2, 3, 3, 3],
  english:                        [0, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3],
  mathematics:                    [4, 4, 4, 4, 5, 5, 0, 0, 0, 0, 0],
  algebra:                        [0, 0, 0, 0, 0, 0, 3, 3, 3, 3, 3],
  geometry:                       [0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2],
  probability:                    [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
  informatics:                    [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
  world_around:                   [2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0],
  history:                        [0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2],
  social_studies:                 [0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2],
  geography:                      [0, 0, 0, 0, 1, 1, 2, 2, 2, 1, 1],
  biology:                        [0, 0, 0, 0, 1, 1, 1, 2, 2, 1, 1],
  physics:                        [0, 0, 0, 0, 0, 0, 2, 2, 3, 2, 2],
  chemistry:                      [0, 0, 0, 0, 0, 0, 0, 2, 2, 1, 1],
  music:                          [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0],
  art:                            [1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0],
  technology:                     [1, 1, 1, 1, 2, 2, 2, 1, 1, 0, 0],
  physical_education:             [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2],
  life_safety:                    [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1],
  orkse:                          [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
  odnknr:                         [0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0],
  individual_project:             [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0],
};

/** In grades 1–4 the class teacher (учитель начальных классов) teaches these; specialists teach the rest. */
const PRIMARY_TEACHER_SUBJECTS = new Set(['russian', 'literary_reading', 'mathematics', 'world_around', 'art', 'technology', 'orkse']);

const SPECIALTY: Record<string, Specialty> = {
  russian: 'philology', literary_reading: 'philology', literature: 'philology', english: 'foreign_language',
  mathematics: 'mathematics', algebra: 'mathematics', geometry: 'mathematics', probability: 'mathematics',
  informatics: 'informatics', world_around: 'biology', history: 'history', social_studies: 'history',
  geography: 'geography', biology: 'biology', physics: 'physics', chemistry: 'chemistry', music: 'music', art: 'art',
  technology: 'technology', physical_education: 'physical_education', life_safety: 'life_safety', orkse: 'history',
  odnknr: 'history', individual_project: 'history',
};

/** Share of men among teachers of a speciality (Russian schools are mostly staffed by women). */
export const MALE_SHARE: Record<Specialty, number> = {
  primary: 0.03, philology: 0.05, foreign_language: 0.08, mathematics: 0.2, informatics: 0.5, physics: 0.4,
  chemistry: 0.15, biology: 0.1, geography: 0.2, history: 0.3, music: 0.2, art: 0.15, technology: 0.55,
  physical_education: 0.55, life_safety: 0.85,
};

/** Subjects taught without marks (безотметочное обучение): ОРКСЭ and ОДНКНР are assessed pass/fail at most. */
const UNMARKED_SUBJECTS = new Set(['orkse', 'odnknr']);

/** Languages are taught in two subgroups from grade 5. */
const SUBGROUP_SUBJECTS = new Set(['english']);
export const SUBGROUPS = ['группа 1', 'группа 2'] as const;

export interface Assessment {
  kind: WorkKind;
  title: string;
  scale: 'five_point' | 'pass_fail';
}

/** The work the whole class does every few weeks on the same lesson; it gives everyone present a mark. */
const ASSESSMENTS: Record<string, Assessment> = {
  russian: { kind: 'control_work', title: 'Контрольный диктант', scale: 'five_point' },
  literary_reading: { kind: 'check_work', title: 'Проверочная работа', scale: 'five_point' },
  literature: { kind: 'essay', title: 'Сочинение', scale: 'five_point' },
  english: { kind: 'control_work', title: 'Контрольная работа', scale: 'five_point' },
  mathematics: { kind: 'control_work', title: 'Контрольная работа', scale: 'five_point' },
  algebra: { kind: 'control_work', title: 'Контрольная работа', scale: 'five_point' },
  geometry: { kind: 'control_work', title: 'Контрольная работа', scale: 'five_point' },
  probability: { kind: 'control_work', title: 'Контрольная работа', scale: 'five_point' },
  informatics: { kind: 'control_work', title: 'Контрольная работа', scale: 'five_point' },
  physics: { kind: 'control_work', title: 'Контрольная работа', scale: 'five_point' },
  chemistry: { kind: 'control_work', title: 'Контрольная работа', scale: 'five_point' },
  world_around: { kind: 'check_work', title: 'Проверочная работа', scale: 'five_point' },
  history: { kind: 'test', title: 'Тестирование', scale: 'five_point' },
  social_studies: { kind: 'test', title: 'Тестирование', scale: 'five_point' },
  geography: { kind: 'test', title: 'Тестирование', scale: 'five_point' },
  biology: { kind: 'test', title: 'Тестирование', scale: 'five_point' },
  life_safety: { kind: 'test', title: 'Тестирование', scale: 'five_point' },
  art: { kind: 'practical_work', title: 'Творческая работа', scale: 'five_point' },
  technology: { kind: 'project', title: 'Защита проекта', scale: 'five_point' },
  physical_education: { kind: 'credit', title: 'Сдача нормативов', scale: 'pass_fail' },
};

/** Everyday marks: what a mark on an ordinary lesson is most often for, by subject. */
const EVERYDAY_KINDS: Record<string, readonly (readonly [WorkKind, number])[]> = {
  russian: [['class_answer', 40], ['homework', 30], ['dictation', 15], ['independent_work', 10], ['check_work', 5]],
  literary_reading: [['class_answer', 55], ['homework', 20], ['recitation', 25]],
  literature: [['class_answer', 50], ['homework', 20], ['recitation', 20], ['test', 10]],
  english: [['class_answer', 50], ['homework', 30], ['test', 10], ['recitation', 10]],
  mathematics: [['class_answer', 40], ['homework', 30], ['independent_work', 20], ['check_work', 10]],
  algebra: [['class_answer', 40], ['homework', 30], ['independent_work', 20], ['check_work', 10]],
  geometry: [['class_answer', 45], ['homework', 30], ['independent_work', 15], ['check_work', 10]],
  probability: [['class_answer', 45], ['homework', 35], ['independent_work', 20]],
  informatics: [['class_answer', 40], ['practical_work', 40], ['homework', 20]],
  physics: [['class_answer', 45], ['homework', 30], ['lab_work', 15], ['independent_work', 10]],
  chemistry: [['class_answer', 45], ['homework', 30], ['lab_work', 15], ['independent_work', 10]],
  biology: [['class_answer', 50], ['homework', 30], ['lab_work', 20]],
  geography: [['class_answer', 50], ['homework', 30], ['practical_work', 20]],
  music: [['class_answer', 70], ['practical_work', 30]],
  art: [['practical_work', 80], ['class_answer', 20]],
  technology: [['practical_work', 80], ['class_answer', 20]],
  physical_education: [['class_answer', 100]],
  individual_project: [['project', 100]],
};
const DEFAULT_EVERYDAY_KINDS: readonly (readonly [WorkKind, number])[] = [
  ['class_answer', 55], ['homework', 30], ['independent_work', 10], ['check_work', 5],
];

export interface SubjectPlan {
  code: string;
  hours: number;
  specialty: Specialty;
  marked: boolean;
  subgroups: boolean;
  assessment: Assessment | null;
  /** Control works (tests, dictations …) in the whole year, spread evenly over the course. */
  assessmentsPerYear: number;
  everydayKinds: readonly (readonly [WorkKind, number])[];
}

export function curriculumOf(grade: number): SubjectPlan[] {
  return Object.entries(WEEKLY_HOURS)
    .filter(([, hours]) => hours[grade - 1] > 0)
    .map(([code, hours]) => {
      const assessment = ASSESSMENTS[code] ?? null;
      return {
        code,
        hours: hours[grade - 1],
        specialty: grade <= 4 && PRIMARY_TEACHER_SUBJECTS.has(code) ? 'primary' : SPECIALTY[code],
        marked: grade >= 2 && !UNMARKED_SUBJECTS.has(code),
        subgroups: grade >= 5 && SUBGROUP_SUBJECTS.has(code),
        assessment,
        assessmentsPerYear: assessment ? Math.max(2, Math.round(hours[grade - 1] * 2.2)) : 0,
        everydayKinds: EVERYDAY_KINDS[code] ?? DEFAULT_EVERYDAY_KINDS,
      };
    });
}

/** Some vendors name subjects their own way; a synced course keeps that name. */
export const VENDOR_SUBJECT_NAMES: Record<string, string> = {
  english: 'Иностранный язык (английский)', informatics: 'Информатика и ИКТ', physical_education: 'Физкультура',
  life_safety: 'ОБЗР', orkse: 'ОРКСЭ', odnknr: 'ОДНКНР', technology: 'Технология', world_around: 'Окружающий мир',
};

type HomeworkTemplate = (at: Progress) => string;

/** How far into its course a lesson is: the paragraph, page and exercise numbers grow through the year. */
export interface Progress {
  fraction: number;
  paragraph: number;
}

const page = (at: Progress, pages: number) => 3 + Math.floor(at.fraction * pages);
const exercise = (at: Progress, count: number) => 1 + Math.floor(at.fraction * count);

const HOMEWORK: Record<string, HomeworkTemplate[]> = {
  russian: [
    (at) => `§${at.paragraph}, упр. ${exercise(at, 700)}`,
    (at) => `§${at.paragraph}, упр. ${exercise(at, 700)}, ${exercise(at, 700) + 2}`,
    (at) => `Выучить правило (§${at.paragraph}), упр. ${exercise(at, 700) + 1}`,
    (at) => `Словарные слова (с. ${page(at, 250)}), упр. ${exercise(at, 700)}`,
  ],
  literary_reading: [
    (at) => `Читать с. ${page(at, 200)}–${page(at, 200) + 3}, отвечать на вопросы`,
    (at) => `Выразительное чтение с. ${page(at, 200)}`,
    (at) => `Выучить наизусть стихотворение (с. ${page(at, 200)})`,
  ],
  literature: [
    (at) => `Прочитать с. ${page(at, 300)}–${page(at, 300) + 12}, вопросы 1–4`,
    (at) => `Письменный ответ на вопрос ${exercise(at, 5) + 1} (с. ${page(at, 300)})`,
    (at) => `Выучить наизусть отрывок (с. ${page(at, 300)})`,
    (at) => `Характеристика героя по плану (с. ${page(at, 300)})`,
  ],
  english: [
    (at) => `SB p. ${page(at, 150)} ex. ${exercise(at, 8)}; WB p. ${page(at, 90)} ex. ${exercise(at, 6)}`,
    (at) => `Выучить слова (SB p. ${page(at, 150)})`,
    (at) => `WB p. ${page(at, 90)} ex. ${exercise(at, 6)}, ${exercise(at, 6) + 1}`,
    (at) => `SB p. ${page(at, 150)} ex. ${exercise(at, 8)} (читать, переводить)`,
  ],
  mathematics: [
    (at) => `№ ${exercise(at, 1500)}, ${exercise(at, 1500) + 2}, ${exercise(at, 1500) + 5}`,
    (at) => `п. ${at.paragraph}, № ${exercise(at, 1500)}, ${exercise(at, 1500) + 1}`,
    (at) => `№ ${exercise(at, 1500)}–${exercise(at, 1500) + 3}`,
  ],
  algebra: [
    (at) => `§${at.paragraph}, № ${exercise(at, 1100)}, ${exercise(at, 1100) + 2}`,
    (at) => `№ ${exercise(at, 1100)}(а, в), ${exercise(at, 1100) + 3}`,
  ],
  geometry: [
    (at) => `п. ${at.paragraph}, № ${exercise(at, 900)}, ${exercise(at, 900) + 1}`,
    (at) => `Выучить теорему (п. ${at.paragraph}), № ${exercise(at, 900)}`,
  ],
  probability: [(at) => `§${at.paragraph}, № ${exercise(at, 300)}, ${exercise(at, 300) + 1}`],
  informatics: [(at) => `§${at.paragraph}, вопросы и задания ${exercise(at, 6)}–${exercise(at, 6) + 2}`, (at) => `§${at.paragraph}, № ${exercise(at, 200)} (РТ)`],
  physics: [(at) => `§${at.paragraph}, упр. ${exercise(at, 50)} (1, 2)`, (at) => `§${at.paragraph}, вопросы после параграфа`],
  chemistry: [(at) => `§${at.paragraph}, задания ${exercise(at, 5)}–${exercise(at, 5) + 2} после параграфа`, (at) => `§${at.paragraph}, уравнения реакций в тетради`],
  biology: [(at) => `§${at.paragraph}, ответить на вопросы`, (at) => `§${at.paragraph}, заполнить таблицу в тетради`],
  geography: [(at) => `§${at.paragraph}, задания в контурной карте`, (at) => `§${at.paragraph}, вопросы 1–3`],
  history: [(at) => `§${at.paragraph}, вопросы 1–3 (устно)`, (at) => `§${at.paragraph}, составить план параграфа`, (at) => `§${at.paragraph}, даты выучить`],
  social_studies: [(at) => `§${at.paragraph}, задания «В классе и дома»`, (at) => `§${at.paragraph}, вопросы для самопроверки`],
  world_around: [(at) => `Учебник с. ${page(at, 150)}–${page(at, 150) + 3}, РТ с. ${page(at, 80)}`],
  life_safety: [(at) => `§${at.paragraph}, ответить на вопросы`],
  individual_project: [() => 'Работа над проектом по плану'],
};

/** Homework for a lesson, or null when none is set: never in grade 1, seldom in practical subjects. */
export function homeworkFor(subject: string, grade: number, at: Progress, random: Random): string | null {
  const templates = HOMEWORK[subject];
  if (grade === 1 || !templates || random.chance(0.15)) return null;
  return random.pick(templates)(at);
}
