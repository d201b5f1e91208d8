import { MarkScale } from './journal.entities';

export interface ParsedMark {
  scale: MarkScale;
  /** The canonical spelling: "4-", "зач", "10". */
  value: string;
  /** Used in averages; null for pass/fail. */
  numericValue: number | null;
}

/** «4-» counts as 3.75 and «4+» as 4.25, within the scale's range (so «5+» stays 5). */
const MODIFIER_STEP = 0.25;

const PASS = new Set(['зач', 'зачет', 'зачёт', 'зачтено']);
const FAIL = new Set(['незач', 'незачет', 'незачёт', 'не зачтено', 'н/з']);

const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, n));

/**
 * Reads a mark written on a scale, tolerating the usual spellings (a typographic minus, «зачёт»),
 * or returns null when the value is not on that scale. The database checks the same rules again
 * (is_valid_mark), so no other path can store what this refuses.
 */
export function parseMark(scale: MarkScale, raw: string): ParsedMark | null {
  const text = raw.trim().toLowerCase().replace(/[\u2212\u2013\u2014]/g, '-');
  switch (scale) {
    case MarkScale.FIVE_POINT: {
      const m = /^([1-5])\s*([+-]?)$/.exec(text);
      if (!m) return null;
      const base = Number(m[1]);
      const shift = m[2] === '+' ? MODIFIER_STEP : m[2] === '-' ? -MODIFIER_STEP : 0;
      return { scale, value: `${m[1]}${m[2]}`, numericValue: clamp(base + shift, 1, 5) };
    }
    case MarkScale.PASS_FAIL:
      if (PASS.has(text)) return { scale, value: 'зач', numericValue: null };
      if (FAIL.has(text)) return { scale, value: 'незач', numericValue: null };
      return null;
    case MarkScale.TEN_POINT:
      return /^([1-9]|10)$/.test(text) ? { scale, value: text, numericValue: Number(text) } : null;
    case MarkScale.HUNDRED_POINT:
      return /^([0-9]|[1-9][0-9]|100)$/.test(text) ? { scale, value: text, numericValue: Number(text) } : null;
  }
}

export const SCALE_HINT: Record<MarkScale, string> = {
  [MarkScale.FIVE_POINT]: 'a mark from 1 to 5, optionally with + or − (e.g. "4-")',
  [MarkScale.PASS_FAIL]: '"зач" or "незач"',
  [MarkScale.TEN_POINT]: 'a whole number from 1 to 10',
  [MarkScale.HUNDRED_POINT]: 'a whole number from 0 to 100',
};

/**
 * The weighted average of the marks that have a numeric value (pass/fail marks do not count),
 * rounded to two decimals; null when there is none.
 */
export function weightedAverage(marks: { numericValue: number | null; weight: number }[]): number | null {
  let sum = 0;
  let weights = 0;
  for (const m of marks) {
    if (m.numericValue === null) continue;
    sum += m.numericValue * m.weight;
    weights += m.weight;
  }
  return weights === 0 ? null : Math.round((sum / weights) * 100) / 100;
}
