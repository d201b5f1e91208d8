import { School, Student } from './school';

/** The reports this simulator builds through the report queue. */
export const REPORTS = ['studenttotalmarks', 'studentgrades'] as const;
export type ReportName = (typeof REPORTS)[number];

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const cell = (tag: 'td' | 'th', text: string) => `<${tag}>${text === '' ? '&nbsp;' : escape(text)}</${tag}>`;
const ddmmyyyy = (date: string) => `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;

function page(title: string, header: string[], table: string): string {
  return [
    '<!DOCTYPE html>', '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">', `<title>${escape(title)}</title></head>`,
    '<body>', `<h1 class="report-title">${escape(title)}</h1>`, ...header.map((line) => `<div class="filter">${escape(line)}</div>`),
    table, '</body></html>',
  ].join('\n');
}

/**
 * «Итоговые отметки» (studenttotalmarks): № | Предмет | one column per term | Годовая | Экзамен |
 * Итоговая, a row per subject of the pupil's class, an empty cell where no mark is set.
 */
export function totalMarksReport(school: School, student: Student): string {
  const cls = school.classes.find((c) => c.id === student.classId)!;
  const terms = school.terms.filter((t) => t.kind === cls.termKind).map((t) => t.name);
  const columns = [...terms, 'Годовая', 'Экзамен', 'Итоговая'];
  const rows = cls.subjects.map((subject, i) =>
    `<tr>${cell('td', String(i + 1))}${cell('td', subject)}${columns.map((c) => cell('td', school.finalMarks.get(`${student.id}:${subject}:${c}`) ?? '')).join('')}</tr>`);
  const table = [
    '<table class="table-print" border="1" cellspacing="0">',
    `<tr>${cell('th', '№')}${cell('th', 'Предмет')}${columns.map((c) => cell('th', c)).join('')}</tr>`,
    ...rows, '</table>',
  ].join('\n');
  return page('Итоговые отметки', [`Учебный год: ${school.year.name}`, `Класс: ${cls.name}`, `Ученик: ${student.lastName} ${student.firstName}`], table);
}

/**
 * «Отчёт об успеваемости и посещаемости ученика» (studentgrades) for a period: a row per lesson the
 * pupil missed or was late to, with the attendance code and the lesson's marks.
 */
export function gradesReport(school: School, student: Student, from: string, to: string): string {
  const cls = school.classes.find((c) => c.id === student.classId)!;
  const marksOf = new Map<number, string[]>();
  const assignments = new Map(school.assignments.map((a) => [a.id, a]));
  for (const [key, mark] of school.marks) {
    const [assignmentId, studentId] = key.split(':').map(Number);
    if (studentId !== student.id || mark.mark === null) continue;
    const meetingId = assignments.get(assignmentId)?.classMeetingId;
    if (meetingId !== undefined) marksOf.set(meetingId, [...(marksOf.get(meetingId) ?? []), String(mark.mark)]);
  }
  const rows = school.classMeetings
    .filter((m) => m.classId === cls.id && from <= m.date && m.date <= to && school.attendance.has(`${m.id}:${student.id}`))
    .sort((a, b) => a.date.localeCompare(b.date) || a.number - b.number)
    .map((m) => `<tr>${cell('td', ddmmyyyy(m.date))}${cell('td', String(m.number))}${cell('td', m.subjectName)}${cell('td', school.attendance.get(`${m.id}:${student.id}`)!)}${cell('td', (marksOf.get(m.id) ?? []).join(' '))}</tr>`);
  const table = [
    '<table class="table-print" border="1" cellspacing="0">',
    `<tr>${['Дата', 'Урок', 'Предмет', 'Посещаемость', 'Отметки'].map((c) => cell('th', c)).join('')}</tr>`,
    ...rows, '</table>',
  ].join('\n');
  return page('Отчет об успеваемости и посещаемости ученика', [`Период: ${ddmmyyyy(from)} - ${ddmmyyyy(to)}`, `Класс: ${cls.name}`, `Ученик: ${student.lastName} ${student.firstName}`], table);
}
