import type { Random } from './random';
import type { StudentModel } from './school-model';

export interface MarkValue {
  scale: 'five_point' | 'pass_fail';
  value: string;
  numericValue: number | null;
}

/**
 * A mark is the student's level (overall ability, talent for the subject, the day's luck) cut into
 * 1..5 at thresholds that give, over all marks, about 5: 30 %, 4: 40 %, 3: 22 %, 2: 7.5 %, 1: 0.5 %.
 */
const DAY_LUCK = 0.7;
const SPREAD = Math.sqrt(0.75 ** 2 + 0.45 ** 2 + DAY_LUCK ** 2);
const LOWER_BOUNDS: readonly [number, number][] = [[0.524, 5], [-0.524, 4], [-1.405, 3], [-2.576, 2]];

/** «+» and «−» are not official, but teachers write them now and then. */
const MODIFIER_CHANCE = 0.15;

export function fivePointMark(random: Random, student: StudentModel, subject: string, shift: number): MarkValue {
  const z = (student.ability + (student.talent.get(subject) ?? 0) + random.normal(0, DAY_LUCK)) / SPREAD + shift;
  const band = LOWER_BOUNDS.find(([bound]) => z >= bound);
  const digit = band ? band[1] : 1;
  const modifier = random.chance(MODIFIER_CHANCE) ? modifierFor(digit, band ? z - band[0] : 0) : '';
  return {
    scale: 'five_point',
    value: `${digit}${modifier}`,
    numericValue: numericValueOf(digit, modifier),
  };
}

/** Half the width of the 4, 3 and 2 bands above: the upper half of a band earns a «+», the lower a «−». */
const HALF_BAND: Record<number, number> = { 4: 0.524, 3: 0.44, 2: 0.585 };

/** «5-» is a weak five and «5+» is kept for an outstanding answer; a one stays bare and a two is never «2-». */
function modifierFor(digit: number, aboveBound: number): '' | '+' | '-' {
  if (digit === 5) return aboveBound < 0.3 ? '-' : aboveBound > 1.5 ? '+' : '';
  if (digit === 1) return '';
  if (aboveBound > HALF_BAND[digit]) return '+';
  return digit === 2 ? '' : '-';
}

/** «4-» counts as 3.75 and «4+» as 4.25, kept within the scale («5+» is 5). */
function numericValueOf(digit: number, modifier: '' | '+' | '-'): number {
  const value = digit + (modifier === '+' ? 0.25 : modifier === '-' ? -0.25 : 0);
  return Math.min(5, Math.max(1, value));
}

/** Physical education norms (нормативы) are passed or not. */
export function passFailMark(random: Random, student: StudentModel): MarkValue {
  const passed = random.chance(student.ability > -1 ? 0.96 : 0.8);
  return { scale: 'pass_fail', value: passed ? 'зач' : 'незач', numericValue: null };
}

/** A term mark: the weighted average of the term's marks, rounded half up (3.5 → 4). */
export function termMark(weightedAverage: number): MarkValue & { numericValue: number } {
  const digit = Math.min(5, Math.max(1, Math.floor(Math.round(weightedAverage * 100) / 100 + 0.5)));
  return { scale: 'five_point', value: String(digit), numericValue: digit };
}
