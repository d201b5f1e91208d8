/**
 * What a Russian school teaches in grades 5–11: subjects and weekly lessons per grade
 * (after the ФГОС ООО/СОО curricula for a five-day week).
 */
export interface Subject {
  code: string;
  title: string;
  /** Weekly lessons by grade; a grade missing here does not study the subject. */
  hoursByGrade: Partial<Record<number, number>>;
  /** Subjects with regular control works (контрольные работы). */
  hasControlWorks: boolean;
}

export const SUBJECTS: readonly Subject[] = [
  { code: 'RUS', title: 'Русский язык', hoursByGrade: { 5: 5, 6: 6, 7: 4, 8: 3, 9: 3, 10: 2, 11: 2 }, hasControlWorks: true },
  { code: 'LIT', title: 'Литература', hoursByGrade: { 5: 3, 6: 3, 7: 2, 8: 2, 9: 3, 10: 3, 11: 3 }, hasControlWorks: false },
  { code: 'ENG', title: 'Английский язык', hoursByGrade: { 5: 3, 6: 3, 7: 3, 8: 3, 9: 3, 10: 3, 11: 3 }, hasControlWorks: true },
  { code: 'MAT', title: 'Математика', hoursByGrade: { 5: 5, 6: 5 }, hasControlWorks: true },
  { code: 'ALG', title: 'Алгебра', hoursByGrade: { 7: 3, 8: 3, 9: 3, 10: 3, 11: 3 }, hasControlWorks: true },
  { code: 'GEO', title: 'Геометрия', hoursByGrade: { 7: 2, 8: 2, 9: 2, 10: 2, 11: 2 }, hasControlWorks: true },
  { code: 'HIS', title: 'История', hoursByGrade: { 5: 2, 6: 2, 7: 2, 8: 2, 9: 2, 10: 2, 11: 2 }, hasControlWorks: false },
  { code: 'SOC', title: 'Обществознание', hoursByGrade: { 6: 1, 7: 1, 8: 1, 9: 1, 10: 2, 11: 2 }, hasControlWorks: false },
  { code: 'GGR', title: 'География', hoursByGrade: { 5: 1, 6: 1, 7: 2, 8: 2, 9: 2, 10: 1, 11: 1 }, hasControlWorks: false },
  { code: 'BIO', title: 'Биология', hoursByGrade: { 5: 1, 6: 1, 7: 1, 8: 2, 9: 2, 10: 1, 11: 1 }, hasControlWorks: false },
  { code: 'PHY', title: 'Физика', hoursByGrade: { 7: 2, 8: 2, 9: 3, 10: 2, 11: 2 }, hasControlWorks: true },
  { code: 'INF', title: 'Информатика', hoursByGrade: { 7: 1, 8: 1, 9: 1, 10: 1, 11: 1 }, hasControlWorks: false },
  { code: 'PE', title: 'Физическая культура', hoursByGrade: { 5: 2, 6: 2, 7: 2, 8: 2, 9: 2, 10: 2, 11: 2 }, hasControlWorks: false },
];

/**
 * The weekly class hour «Разговоры о важном», led by the class teacher. It carries the homeroom class «5А»,
 * because a OneRoster class needs a course; it has no marks.
 */
export const HOMEROOM_COURSE = { code: 'RVO', title: 'Разговоры о важном' };

export const CATEGORIES = [
  { key: 'answer', title: 'Ответ на уроке', weight: 1 },
  { key: 'control', title: 'Контрольная работа', weight: 2 },
  { key: 'homework', title: 'Домашняя работа', weight: 1 },
] as const;
export type CategoryKey = (typeof CATEGORIES)[number]['key'];

export const FIVE_POINT_SCALE = [
  { itemValueLHS: '5', itemValueRHS: 'отлично' },
  { itemValueLHS: '4', itemValueRHS: 'хорошо' },
  { itemValueLHS: '3', itemValueRHS: 'удовлетворительно' },
  { itemValueLHS: '2', itemValueRHS: 'неудовлетворительно' },
  { itemValueLHS: '1', itemValueRHS: 'плохо' },
];

export const CLASS_LETTERS = ['А', 'Б', 'В', 'Г', 'Д', 'Е', 'Ж', 'З', 'И', 'К'];

export const SUPPORTED_GRADES = [5, 6, 7, 8, 9, 10, 11];

export function subjectsOfGrade(grade: number): Subject[] {
  return SUBJECTS.filter((s) => s.hoursByGrade[grade] !== undefined);
}

/** OneRoster grade codes are two-digit CEDS levels: "05". */
export const gradeCode = (grade: number) => String(grade).padStart(2, '0');
