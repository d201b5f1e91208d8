import { createHash } from 'node:crypto';
import { curriculumOf } from '../../src/seed/curriculum';
import { generateJournal } from '../../src/seed/journal';
import { planMunicipality } from '../../src/seed/municipality';
import { patronymic, surnameFor } from '../../src/seed/names';
import { seedOptions, SeedOptions } from '../../src/seed/options';
import { emptyRowSet, RowSet, TABLE_NAMES } from '../../src/seed/rows';
import type { Catalog } from '../../src/seed/school-model';
import { rosterRows } from '../../src/seed/school-rows';

/** A stand-in for the lookup tables: the generator only needs ids and names from them. */
const catalog: Catalog = {
  subjects: new Map(Array.from({ length: 11 }, (_, g) => curriculumOf(g + 1)).flat()
    .map((s, i) => [s.code, { id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, name: s.code }])),
  workKindWeights: new Map([
    ['class_answer', 1], ['homework', 1], ['independent_work', 1.5], ['check_work', 1.5], ['dictation', 1.5],
    ['recitation', 1], ['essay', 2], ['lab_work', 1.5], ['practical_work', 1.5], ['test', 1.5], ['project', 2],
    ['control_work', 2], ['credit', 1], ['other', 1],
  ]),
};

const tiny = (overrides: Partial<SeedOptions> = {}) =>
  seedOptions('small', { seed: 7, schools: 1, classesPerGrade: 2, studentsPerClass: 8, until: '2026-10-09', ...overrides });

function generateAll(options: SeedOptions): RowSet {
  const all = emptyRowSet();
  const add = (rows: RowSet) => TABLE_NAMES.forEach((t) => (all[t] as unknown[]).push(...rows[t]));
  const plan = planMunicipality(options, catalog);
  all.municipality.push(plan.municipality);
  for (const school of plan.schools) {
    const model = school.build();
    add(rosterRows(model, school.row, catalog));
    for (const week of generateJournal(model, options.until)) add(week.rows);
  }
  return all;
}

function digest(rows: RowSet): string {
  const hash = createHash('sha256');
  for (const table of TABLE_NAMES) hash.update(`${table}:${JSON.stringify(rows[table])}\n`);
  return hash.digest('hex');
}

describe('the municipality generator', () => {
  it('gives the same rows, ids included, for the same seed', () => {
    expect(digest(generateAll(tiny()))).toBe(digest(generateAll(tiny())));
  });

  it('gives other rows for another seed', () => {
    const [a, b] = [generateAll(tiny()), generateAll(tiny({ seed: 8 }))];
    expect(a.student.map((s) => s.id)).not.toEqual(b.student.map((s) => s.id));
    expect(digest(a)).not.toBe(digest(b));
  });

  it('plans the same lessons up to a day whether it stops there or goes further', () => {
    const [short, long] = [generateAll(tiny({ until: '2026-09-18' })), generateAll(tiny({ until: '2026-10-09' }))];
    const lessons = (rows: RowSet) => rows.lesson.filter((l) => l.date <= '2026-09-18').map((l) => `${l.date} ${l.number} ${l.topic} ${l.homework}`);
    expect(lessons(short)).toEqual(lessons(long));
  });

  it('books no teacher into two lessons at the same time', () => {
    for (const school of planMunicipality(tiny({ schools: 2 }), catalog).schools) {
      const model = school.build();
      const booked = new Set<string>();
      for (const classGroup of model.classes) {
        classGroup.timetable.forEach((slots, day) => slots.forEach((courses, slot) => courses.forEach((course) => {
          const key = `${course.teacher.id} ${day} ${slot}`;
          expect(booked.has(key)).toBe(false);
          booked.add(key);
        })));
      }
      expect(model.timetableClashes).toBe(0);
    }
  });

  it('gives each class 4 to 7 lessons a day, growing with the grade', () => {
    const [school] = planMunicipality(tiny(), catalog).schools;
    const model = school.build();
    const perDay = (grade: number) => model.classes.find((c) => c.grade === grade)!.timetable.map((day) => day.length);
    expect(perDay(1)).toEqual([4, 4, 4, 4, 4]);
    const lengths = model.classes.flatMap((c) => c.timetable.map((day) => day.length));
    expect(Math.min(...lengths)).toBe(4);
    expect(Math.max(...lengths)).toBe(7);
    expect(Math.max(...perDay(9))).toBe(7);
  });

  it('teaches English in two groups from grade 5, with every student in one group', () => {
    const [school] = planMunicipality(tiny(), catalog).schools;
    const model = school.build();
    for (const classGroup of model.classes.filter((c) => c.grade >= 5)) {
      const groups = classGroup.courses.filter((c) => c.subject.code === 'english');
      expect(groups.map((g) => g.subgroup)).toEqual(['группа 1', 'группа 2']);
      expect(groups[0].teacher).not.toBe(groups[1].teacher);
      for (const e of classGroup.enrollments) expect(groups.filter((g) => g.members!.has(e.student))).toHaveLength(1);
    }
  });

  it('names people with the forms of their gender', () => {
    expect(surnameFor('Соловьёв', 'female')).toBe('Соловьёва');
    expect(surnameFor('Островский', 'female')).toBe('Островская');
    expect(surnameFor('Шевченко', 'female')).toBe('Шевченко');
    expect(patronymic('Сергей', 'male')).toBe('Сергеевич');
    expect(patronymic('Юрий', 'female')).toBe('Юрьевна');
    expect(patronymic('Игорь', 'female')).toBe('Игоревна');
    expect(patronymic('Илья', 'female')).toBe('Ильинична');
    expect(patronymic('Рустам', 'male')).toBe('Рустамович');
    const rows = generateAll(tiny());
    for (const link of rows.student_guardian.filter((l) => l.relation === 'father')) {
      const child = rows.student.find((s) => s.id === link.studentId)!;
      const father = rows.guardian.find((g) => g.id === link.guardianId)!;
      expect([patronymic(father.firstName, 'male'), patronymic(father.firstName, 'female')]).toContain(child.middleName);
    }
  });
});
