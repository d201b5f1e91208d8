import { ABOVE_2_53, Dataset, EduGroup, FinalMark, Id, Lesson, LogEntry, Mark, Membership, Person, ReportingPeriod, Subject, Work, WorkType } from './model';
import { ResolvedOptions } from './options';
import { SeededRandom } from '../../simulator-kit/random';

/**
 * A Russian school on Dnevnik.ru, generated from a seed: classes of parallels 5–9 with English taught in
 * two subgroups, a timetable, four quarters, and for the first weeks of the year lessons with topics,
 * homework (works of type Homework), marks on the five-point scale and зачёт/незачёт (physical
 * education standards), lesson-log entries, one archived (left) student per class, and quarter marks
 * once the quarter is over.
 */

const YEAR = 2026;
const FIRST_DAY = '2026-09-01';
/** Autumn holidays: no lessons. */
const HOLIDAYS: [string, string] = ['2026-10-26', '2026-11-04'];

/** Subject names as Dnevnik.ru schools often write them (some differ from the municipality's list); hours for parallels 5..9. */
const CURRICULUM: { name: string; area: string; fgos: number; hours: number[] }[] = [
  { name: 'Русский язык', area: 'Филология', fgos: 1, hours: [5, 6, 4, 3, 3] },
  { name: 'Литература', area: 'Филология', fgos: 2, hours: [3, 3, 2, 2, 3] },
  { name: 'Английский язык', area: 'Иностранные языки', fgos: 3, hours: [3, 3, 3, 3, 3] },
  { name: 'Математика', area: 'Математика и информатика', fgos: 4, hours: [5, 5, 0, 0, 0] },
  { name: 'Алгебра', area: 'Математика и информатика', fgos: 5, hours: [0, 0, 3, 3, 3] },
  { name: 'Геометрия', area: 'Математика и информатика', fgos: 6, hours: [0, 0, 2, 2, 2] },
  { name: 'Информатика и ИКТ', area: 'Математика и информатика', fgos: 7, hours: [0, 0, 1, 1, 1] },
  { name: 'История', area: 'Общественные науки', fgos: 8, hours: [2, 2, 2, 2, 2] },
  { name: 'Обществознание', area: 'Общественные науки', fgos: 9, hours: [0, 1, 1, 1, 1] },
  { name: 'География', area: 'Общественные науки', fgos: 10, hours: [1, 1, 2, 2, 2] },
  { name: 'Биология', area: 'Естественные науки', fgos: 11, hours: [1, 1, 1, 2, 2] },
  { name: 'Физика', area: 'Естественные науки', fgos: 12, hours: [0, 0, 2, 2, 3] },
  { name: 'Химия', area: 'Естественные науки', fgos: 13, hours: [0, 0, 0, 2, 2] },
  { name: 'Музыка', area: 'Искусство', fgos: 14, hours: [1, 1, 1, 1, 0] },
  { name: 'ИЗО', area: 'Искусство', fgos: 15, hours: [1, 1, 1, 0, 0] },
  { name: 'Технология', area: 'Технология', fgos: 16, hours: [2, 2, 2, 1, 1] },
  { name: 'Физкультура', area: 'Физическая культура и ОБЖ', fgos: 17, hours: [2, 2, 2, 2, 2] },
  { name: 'ОБЖ', area: 'Физическая культура и ОБЖ', fgos: 18, hours: [0, 0, 0, 1, 1] },
];
const SUBGROUP_SUBJECT = 'Английский язык';
const PASS_FAIL_SUBJECT = 'Физкультура';

export const WORK_TYPES: WorkType[] = [
  { id: 1, kind: 'DefaultNewLessonWork', title: 'Работа на уроке', abbr: 'РУ', weight: 1 },
  { id: 2, kind: 'CommonWork', title: 'Самостоятельная работа', abbr: 'СР', weight: 1 },
  { id: 3, kind: 'LessonTestWork', title: 'Контрольная работа', abbr: 'КР', weight: 2 },
  { id: 4, kind: 'LessonComposition', title: 'Сочинение', abbr: 'Соч', weight: 2 },
  { id: 5, kind: 'LessonByHeart', title: 'Чтение наизусть', abbr: 'НИ', weight: 1 },
  { id: 6, kind: 'Homework', title: 'Домашнее задание', abbr: 'ДЗ', weight: 1 },
  { id: 7, kind: 'CommonWork', title: 'Зачёт', abbr: 'Зач', weight: 1 },
  { id: 8, kind: 'PeriodMark', title: 'Итоговая отметка', abbr: 'Ит', weight: 1 },
];

const FAMILY: [string, string][] = [
  ['Иванов', 'Иванова'], ['Смирнов', 'Смирнова'], ['Кузнецов', 'Кузнецова'], ['Попов', 'Попова'], ['Васильев', 'Васильева'],
  ['Петров', 'Петрова'], ['Соколов', 'Соколова'], ['Михайлов', 'Михайлова'], ['Новиков', 'Новикова'], ['Фёдоров', 'Фёдорова'],
  ['Морозов', 'Морозова'], ['Волков', 'Волкова'], ['Гарипов', 'Гарипова'], ['Сафин', 'Сафина'], ['Ткаченко', 'Ткаченко'],
  ['Черных', 'Черных'], ['Белоусов', 'Белоусова'], ['Яковлев', 'Яковлева'], ['Романов', 'Романова'], ['Галиев', 'Галиева'],
];
const BOYS = ['Александр', 'Артём', 'Максим', 'Иван', 'Михаил', 'Даниил', 'Тимур', 'Кирилл', 'Егор', 'Руслан'];
const GIRLS = ['Анна', 'Мария', 'София', 'Алиса', 'Виктория', 'Полина', 'Дарья', 'Алина', 'Ксения', 'Эвелина'];
const FATHERS: [string, string][] = [
  ['Александрович', 'Александровна'], ['Сергеевич', 'Сергеевна'], ['Андреевич', 'Андреевна'], ['Ринатович', 'Ринатовна'],
  ['Дмитриевич', 'Дмитриевна'], ['Игоревич', 'Игоревна'], ['Олегович', 'Олеговна'], ['Ильич', 'Ильинична'],
];
const TOPICS = [
  'Повторение изученного', 'Введение в тему', 'Решение задач', 'Работа с текстом', 'Практикум', 'Обобщение',
  'Изучение нового материала', 'Закрепление', 'Работа над ошибками', 'Проектная работа',
];
const HOMEWORK = ['§ 3, вопросы 1–4', 'Упр. 112, 115', '№ 245, 247 (а, б)', 'Выучить правило, с. 34', 'Подготовить сообщение', 'Читать с. 40–52'];
const BELLS = ['08:30 - 09:15', '09:25 - 10:10', '10:30 - 11:15', '11:35 - 12:20', '12:30 - 13:15', '13:25 - 14:10', '14:20 - 15:05'];

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Monday = 0 … Sunday = 6. */
const weekday = (date: string) => (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;

export function generateDataset(options: ResolvedOptions): Dataset {
  const random = new SeededRandom(options.seed);
  let personSeq = ABOVE_2_53 + 1n;
  let lessonSeq = ABOVE_2_53 + 1_000_001n;
  let workSeq = ABOVE_2_53 + 5_000_001n;
  let markSeq = ABOVE_2_53 + 9_000_001n;
  let finalSeq = ABOVE_2_53 + 20_000_001n;

  const school = { id: 1000002283077n, name: 'МАОУ СОШ №1', fullName: 'МАОУ «Средняя общеобразовательная школа №1» г. Когалыма', city: 'Когалым', timeZone: 5, markType: 'mark5' };
  const subjects: Subject[] = CURRICULUM.map((c, i) => ({ id: 1000005000001n + BigInt(i), name: c.name, knowledgeArea: c.area, fgosSubjectId: c.fgos }));
  const subjectByName = new Map(subjects.map((s) => [s.name, s]));
  const hoursOf = (subject: Subject, grade: number) => CURRICULUM.find((c) => c.name === subject.name)!.hours[grade - 5];

  const persons: Person[] = [];
  const newPerson = (sex: 'Male' | 'Female', birthYear: number | null): Person => {
    const id = personSeq++;
    const [male, female] = random.pick(FAMILY);
    const [son, daughter] = random.pick(FATHERS);
    const person: Person = {
      id, userId: id + 500_000n, sex,
      lastName: sex === 'Male' ? male : female,
      firstName: random.pick(sex === 'Male' ? BOYS : GIRLS),
      middleName: sex === 'Male' ? son : daughter,
      birthday: birthYear === null ? null : `${birthYear}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}T00:00:00`,
    };
    persons.push(person);
    return person;
  };

  // One teacher per subject and band of parallels; the subgroups' English has a second teacher.
  const teacherOf = new Map<string, Id>();
  const teachers: Id[] = [];
  const teacherFor = (subject: Subject, grade: number, subgroup = 0) => {
    const key = `${subject.id}:${grade <= 6 ? 'junior' : 'senior'}:${subgroup}`;
    let id = teacherOf.get(key);
    if (id === undefined) {
      id = newPerson(random.chance(0.2) ? 'Male' : 'Female', null).id;
      teacherOf.set(key, id);
      teachers.push(id);
    }
    return id;
  };

  const periods: ReportingPeriod[] = [
    ['2026-09-01', '2026-10-25'], ['2026-11-05', '2026-12-28'], ['2027-01-09', '2027-03-22'], ['2027-03-31', '2027-05-26'],
  ].map(([start, finish], i) => ({
    id: 1000006000001n + BigInt(i), start: `${start}T00:00:00`, finish: `${finish}T00:00:00`, number: i, type: 'Quarter', name: `${i + 1} четверть`, year: YEAR,
  }));

  const groups: EduGroup[] = [];
  const memberships: Membership[] = [];
  const lessons: Lesson[] = [];
  const works: Work[] = [];
  const marks: Mark[] = [];
  const logEntries: LogEntry[] = [];
  const finalMarks: FinalMark[] = [];
  const lastDay = addDays(FIRST_DAY, 7 * options.weeks - weekday(FIRST_DAY) - 1);
  let groupSeq = 1000001234567n;
  /** A control work once every fourth week per group and subject (physical education standards every third), on its first lesson that week. */
  const tested = new Set<string>();

  for (const grade of options.grades) {
    for (let c = 0; c < options.classesPerGrade; c++) {
      const letter = 'АБВГ'[c];
      const taught = subjects.filter((s) => hoursOf(s, grade) > 0);
      const whole = taught.filter((s) => s.name !== SUBGROUP_SUBJECT);
      const cls: EduGroup = { id: groupSeq++, type: 'Group', name: `${grade}${letter}`, parentId: null, parallel: grade, studyyear: YEAR, subjectIds: whole.map((s) => s.id) };
      groups.push(cls);
      const english = subjectByName.get(SUBGROUP_SUBJECT)!;
      const subgroups: EduGroup[] = [1, 2].map((n) => ({
        id: groupSeq++, type: 'Subgroup', name: `${grade}${letter} ${SUBGROUP_SUBJECT.toLowerCase()}, ${n} подгруппа`, parentId: cls.id, parallel: grade, studyyear: YEAR, subjectIds: [english.id],
      }));
      groups.push(...subgroups);

      const students = Array.from({ length: options.studentsPerClass }, () => newPerson(random.chance(0.5) ? 'Male' : 'Female', YEAR - grade - 7));
      // The last student of the list left the class in the third week: archived, with the marks from before.
      const leaver = students[students.length - 1];
      const leftOn = addDays(FIRST_DAY, 14);
      for (const s of students) memberships.push({ groupId: cls.id, personId: s.id, status: s === leaver ? 'Archive' : 'Active' });
      students.forEach((s, i) => memberships.push({ groupId: subgroups[i % 2].id, personId: s.id, status: s === leaver ? 'Archive' : 'Active' }));
      const inGroup = (group: EduGroup) => students.filter((_, i) => group.type === 'Group' || subgroups[i % 2] === group);

      // The weekly timetable: each subject's hours spread over Monday to Friday, numbered from the first lesson.
      const slots = taught.flatMap((s) => Array.from({ length: hoursOf(s, grade) }, () => s));
      for (let i = slots.length - 1; i > 0; i--) {
        const j = Math.floor(random.next() * (i + 1));
        [slots[i], slots[j]] = [slots[j], slots[i]];
      }
      const timetable = slots.map((subject, i) => ({ subject, day: i % 5, number: Math.floor(i / 5) + 1 }));

      for (let day = FIRST_DAY; day <= lastDay; day = addDays(day, 1)) {
        if (weekday(day) > 4 || (day >= HOLIDAYS[0] && day <= HOLIDAYS[1])) continue;
        for (const slot of timetable.filter((t) => t.day === weekday(day))) {
          const lessonGroups = slot.subject.name === SUBGROUP_SUBJECT ? subgroups : [cls];
          for (const [g, group] of lessonGroups.entries()) {
            const teacherId = teacherFor(slot.subject, grade, g);
            const lesson: Lesson = {
              id: lessonSeq++, groupId: group.id, subjectId: slot.subject.id, date: day, number: slot.number,
              title: random.pick(TOPICS), teacherId, place: `каб. ${random.int(1, 40)}`, hours: BELLS[slot.number - 1] ?? BELLS[6],
            };
            lessons.push(lesson);
            const work = (type: string, workTypeId: number, markType = 'mark5', text = ''): Work => {
              const w: Work = { id: workSeq++, lessonId: lesson.id, groupId: group.id, subjectId: slot.subject.id, type, workTypeId, markType, text, targetDate: null, createdBy: teacherId };
              works.push(w);
              return w;
            };
            const everyday = work('DefaultNewLessonWork', 1);
            const present = inGroup(group).filter((s) => s !== leaver || day < leftOn);
            const absent = new Set<Id>();
            for (const s of present) {
              const draw = random.next();
              const status = draw < 0.04 ? 'Absent' : draw < 0.06 ? 'Ill' : draw < 0.08 ? 'Late' : draw < 0.09 ? 'Pass' : draw < 0.2 ? 'Attend' : null;
              if (status === null) continue;
              if (status !== 'Attend' && status !== 'Late') absent.add(s.id);
              logEntries.push({ lessonId: lesson.id, personId: s.id, status, comment: status === 'Pass' ? 'справка' : '', createdDate: `${day}T${lesson.hours.slice(0, 5)}:00` });
            }
            const giveMark = (w: Work, person: Person, type: string, value: string) => {
              const when = addDays(day, random.int(0, 2));
              // Some entries carry milliseconds, some do not: both come from the vendor.
              marks.push({ id: markSeq++, personId: person.id, workId: w.id, lessonId: lesson.id, type, value, workTypeId: w.workTypeId, date: `${when}T1${random.int(0, 5)}:${String(random.int(10, 59))}:00${random.chance(0.5) ? `.${random.int(100, 999)}` : ''}` });
            };
            const five = () => random.weighted([['5', 30], ['4', 40], ['3', 22], ['2', 8]] as const);
            const weekNumber = Math.floor((Date.parse(day) - Date.parse(FIRST_DAY)) / (7 * 86_400_000));
            if (slot.subject.name === PASS_FAIL_SUBJECT && weekNumber % 3 === 2 && !tested.has(`${group.id}:${slot.subject.id}:${weekNumber}`)) {
              tested.add(`${group.id}:${slot.subject.id}:${weekNumber}`);
              const standards = work('CommonWork', 7, 'test');
              for (const s of present) if (!absent.has(s.id)) giveMark(standards, s, 'test', random.chance(0.85) ? 'зачет' : 'незачет');
            } else if (weekNumber % 4 === 3 && !tested.has(`${group.id}:${slot.subject.id}:${weekNumber}`)) {
              tested.add(`${group.id}:${slot.subject.id}:${weekNumber}`);
              const test = work(slot.subject.name === 'Литература' ? 'LessonComposition' : 'LessonTestWork', slot.subject.name === 'Литература' ? 4 : 3);
              for (const s of present) if (!absent.has(s.id)) giveMark(test, s, 'mark5', five());
            } else {
              for (const s of present) if (!absent.has(s.id) && random.chance(0.12)) giveMark(everyday, s, 'mark5', five());
            }
            if (random.chance(0.6)) work('Homework', 6, 'mark5', random.pick(HOMEWORK));
          }
        }
      }
      const subjectOfLesson = new Map(lessons.map((l) => [l.id, l.subjectId]));
      const marksOf = new Map<string, Mark[]>();
      for (const m of marks) {
        if (m.type !== 'mark5') continue;
        const key = `${m.personId}:${subjectOfLesson.get(m.lessonId)}`;
        marksOf.set(key, [...(marksOf.get(key) ?? []), m]);
      }
      // Quarter marks, once the quarter is over: the rounded average of the quarter's five-point marks.
      for (const period of periods.filter((p) => p.finish.slice(0, 10) <= lastDay)) {
        for (const s of students.filter((st) => st !== leaver)) {
          for (const subject of taught) {
            const values = (marksOf.get(`${s.id}:${subject.id}`) ?? []).filter((m) => m.date.slice(0, 10) <= period.finish.slice(0, 10)).map((m) => Number(m.value));
            if (values.length === 0) continue;
            const average = values.reduce((a, b) => a + b, 0) / values.length;
            finalMarks.push({ id: finalSeq++, personId: s.id, groupId: cls.id, subjectId: subject.id, periodId: period.id, type: 'mark5', value: String(Math.round(average)), date: `${period.finish.slice(0, 10)}T12:00:00` });
          }
        }
      }
    }
  }

  // Homework is due at the next lesson of the same group and subject.
  const lessonById = new Map(lessons.map((l) => [l.id, l]));
  const byCourse = new Map<string, Lesson[]>();
  for (const l of lessons) byCourse.set(`${l.groupId}:${l.subjectId}`, [...(byCourse.get(`${l.groupId}:${l.subjectId}`) ?? []), l]);
  for (const w of works.filter((x) => x.type === 'Homework')) {
    const lesson = lessonById.get(w.lessonId)!;
    const course = byCourse.get(`${lesson.groupId}:${lesson.subjectId}`)!;
    const next = course[course.indexOf(lesson) + 1];
    w.targetDate = `${next?.date ?? addDays(lesson.date, 7)}T00:00:00`;
  }

  return { school, subjects, groups, persons, teachers, memberships, periods, workTypes: WORK_TYPES, lessons, works, marks, logEntries, finalMarks };
}
