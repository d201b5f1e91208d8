/**
 * Generated data of one ЭлЖур school (one vendor): teachers, classes with their periods, students,
 * a parent's and the hub's accounts, a term of lessons with topics and homework, marks and absences,
 * and term marks. Seeded: the same options give the same school.
 */
import { SeededRandom } from '../../simulator-kit/random';

export interface SchoolOptions {
  seed: number;
  /** Grade levels, 5..11 (10 and 11 have halves instead of quarters). */
  grades: number[];
  classesPerGrade: number;
  studentsPerClass: number;
  /** Lessons, marks and absences for this many weeks from 1 September. */
  weeks: number;
  /** The calendar year the school year starts in. */
  year: number;
  vendor: string;
}

export interface Teacher { id: string; lastName: string; firstName: string; middleName: string }
export interface Period { name: string; fullname: string; start: string; end: string }
export interface SchoolClass { name: string; parallel: number; hometeacherId: string; periods: Period[] }
export interface Student { id: string; lastName: string; firstName: string; middleName: string; gender: 'male' | 'female'; className: string; englishGroup: 1 | 2; ability: number }
export interface Homework { id: number; value: string; individual: boolean; studentId?: string }
export interface WorkKind { id: number; type: string; short: string; weight: number }
export interface Lesson {
  id: string; className: string; date: string; num: number; subject: string; grp: string; teacherId: string; room: string;
  topic: string; homework: Homework[]; control: WorkKind | null;
}
export interface Mark { id: string; lessonId: string; studentId: string; value: string; kind: WorkKind | null; comment: string }
export interface FinalMark { studentId: string; subject: string; period: string; value: string }
export interface Account { login: string; password: string; userId: string; roles: string[]; studentIds: string[]; lastName: string; firstName: string; middleName: string }

export interface School {
  vendor: string;
  vendorId: number;
  number: string;
  title: string;
  titleFull: string;
  teachers: Teacher[];
  classes: SchoolClass[];
  students: Student[];
  lessons: Lesson[];
  marks: Mark[];
  finals: FinalMark[];
  accounts: Account[];
}

export const WORK_KINDS: Record<string, WorkKind> = {
  answer: { id: 1, type: 'Ответ на уроке', short: 'ОУ', weight: 1 },
  homework: { id: 2, type: 'Домашнее задание', short: 'ДЗ', weight: 1 },
  control: { id: 3, type: 'Контрольная работа', short: 'КР', weight: 2 },
  independent: { id: 4, type: 'Самостоятельная работа', short: 'СР', weight: 1.5 },
  dictation: { id: 5, type: 'Диктант', short: 'Д', weight: 1.5 },
};

/** Subjects as ЭлЖур schools name them (not the municipality's names: the adapter maps them), with weekly hours. */
const CURRICULUM: Record<string, [string, number][]> = {
  junior: [['Русский язык', 5], ['Литература', 3], ['Английский язык', 3], ['Математика', 5], ['История', 2], ['География', 1], ['Биология', 1],
    ['Музыка', 1], ['ИЗО', 1], ['Технология', 2], ['Физкультура', 2], ['ОДНКНР', 1]],
  middle: [['Русский язык', 4], ['Литература', 2], ['Иностранный язык (английский)', 3], ['Алгебра', 3], ['Геометрия', 2], ['Вероятность и статистика', 1],
    ['Информатика и ИКТ', 1], ['История', 2], ['Обществознание', 1], ['География', 2], ['Биология', 1], ['Физика', 2], ['Технология', 1], ['Физкультура', 2]],
  senior: [['Русский язык', 2], ['Литература', 3], ['Иностранный язык (английский)', 3], ['Алгебра и начала математического анализа', 4], ['Геометрия', 2],
    ['Вероятность и статистика', 1], ['Информатика и ИКТ', 1], ['История', 2], ['Обществознание', 2], ['Физика', 2], ['Химия', 1], ['ОБЗР', 1], ['Физкультура', 2], ['Индивидуальный проект', 1]],
};

export const isEnglish = (subject: string) => /английск/i.test(subject);
/** Marked «зач»/«незач» instead of 1–5. */
export const isPassFail = (subject: string) => subject === 'ОДНКНР' || subject === 'Индивидуальный проект';

function curriculumOf(grade: number): [string, number][] {
  const base = grade <= 6 ? CURRICULUM.junior : grade <= 9 ? CURRICULUM.middle : CURRICULUM.senior;
  return grade >= 8 && grade <= 9 ? [...base, ['Химия', 2], ['ОБЗР', 1]] : base;
}

const LETTERS = ['А', 'Б', 'В', 'Г', 'Д'];
const SURNAMES: [string, string][] = [
  ['Иванов', 'Иванова'], ['Петров', 'Петрова'], ['Смирнов', 'Смирнова'], ['Кузнецов', 'Кузнецова'], ['Попов', 'Попова'], ['Соколов', 'Соколова'],
  ['Лебедев', 'Лебедева'], ['Козлов', 'Козлова'], ['Новиков', 'Новикова'], ['Морозов', 'Морозова'], ['Волков', 'Волкова'], ['Алексеев', 'Алексеева'],
  ['Ткаченко', 'Ткаченко'], ['Сафин', 'Сафина'], ['Гарипов', 'Гарипова'], ['Захаров', 'Захарова'], ['Белых', 'Белых'], ['Фёдоров', 'Фёдорова'],
];
const BOYS = ['Александр', 'Максим', 'Артём', 'Михаил', 'Иван', 'Даниил', 'Тимур', 'Кирилл', 'Егор', 'Арсений'];
const GIRLS = ['Анна', 'Мария', 'София', 'Алиса', 'Виктория', 'Полина', 'Дарья', 'Ева', 'Алина', 'Милана'];
/** Fathers' names as patronymics: [son's, daughter's]. */
const PATRONYMICS: [string, string][] = [
  ['Александрович', 'Александровна'], ['Сергеевич', 'Сергеевна'], ['Андреевич', 'Андреевна'], ['Дмитриевич', 'Дмитриевна'],
  ['Ильдарович', 'Ильдаровна'], ['Игоревич', 'Игоревна'], ['Николаевич', 'Николаевна'], ['Олегович', 'Олеговна'],
];
const TEACHER_FIRST = [['Ольга', 'female'], ['Елена', 'female'], ['Татьяна', 'female'], ['Наталья', 'female'], ['Светлана', 'female'], ['Ирина', 'female'],
  ['Сергей', 'male'], ['Андрей', 'male'], ['Гульнара', 'female'], ['Марина', 'female']] as const;

function person(random: SeededRandom, gender: 'male' | 'female', first?: string) {
  const [m, f] = random.pick(SURNAMES);
  const [pm, pf] = random.pick(PATRONYMICS);
  return gender === 'male'
    ? { lastName: m, firstName: first ?? random.pick(BOYS), middleName: pm }
    : { lastName: f, firstName: first ?? random.pick(GIRLS), middleName: pf };
}

export const iso = (d: Date) => d.toISOString().slice(0, 10);
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return iso(d);
}
export const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay() || 7;

function periodsOf(grade: number, year: number): Period[] {
  const y = (m: string) => (Number(m.slice(0, 2)) >= 8 ? `${year}-${m}` : `${year + 1}-${m}`);
  if (grade >= 10) {
    return [
      { name: 'I полугодие', fullname: '1 полугодие', start: y('09-01'), end: y('12-28') },
      { name: 'II полугодие', fullname: '2 полугодие', start: y('01-12'), end: y('05-26') },
    ];
  }
  return [
    { name: 'I четверть', fullname: '1 четверть', start: y('09-01'), end: y('10-25') },
    { name: 'II четверть', fullname: '2 четверть', start: y('11-05'), end: y('12-28') },
    { name: 'III четверть', fullname: '3 четверть', start: y('01-12'), end: y('03-21') },
    { name: 'IV четверть', fullname: '4 четверть', start: y('03-30'), end: y('05-26') },
  ];
}

export const periodOfDate = (periods: Period[], date: string) => periods.find((p) => p.start <= date && date <= p.end);

const TOPICS = ['Повторение изученного', 'Введение в тему', 'Решение задач', 'Работа с текстом', 'Практикум', 'Обобщение', 'Новый материал', 'Закрепление'];

/** A mark from the student's ability and the day's luck: mostly 3–5, pluses and minuses now and then. */
function markValue(random: SeededRandom, ability: number): string {
  const n = Math.max(2, Math.min(5, Math.round(ability + (random.next() - 0.5) * 2.2)));
  const modifier = random.chance(0.12) ? (n === 5 ? '-' : random.pick(['+', '-'])) : '';
  return `${n}${n === 2 && modifier === '-' ? '' : modifier}`;
}

export function generateSchool(o: SchoolOptions): School {
  const random = new SeededRandom(o.seed);
  let nextUserId = 10_000 + random.int(0, 899) * 10;
  const userId = () => String(++nextUserId);
  let nextLessonId = 900_000 + random.int(0, 9_999);
  let nextHomeworkId = 5_000;
  let nextMarkId = 1;

  const teachers: Teacher[] = [];
  const newTeacher = () => {
    const [first, gender] = random.pick(TEACHER_FIRST);
    const t = { id: userId(), ...person(random, gender, first) };
    teachers.push(t);
    return t;
  };
  /** One teacher of a subject for up to three classes; English has two, one per group. */
  const subjectTeachers = new Map<string, { teacher: Teacher; classes: number }[]>();
  const teacherOf = (subject: string, slot: number) => {
    const key = `${subject}#${slot}`;
    const list = subjectTeachers.get(key) ?? [];
    let entry = list.find((e) => e.classes < 3);
    if (!entry) list.push((entry = { teacher: newTeacher(), classes: 0 }));
    entry.classes++;
    subjectTeachers.set(key, list);
    return entry.teacher;
  };

  const classes: SchoolClass[] = [];
  const students: Student[] = [];
  const lessons: Lesson[] = [];
  const marks: Mark[] = [];
  const finals: FinalMark[] = [];
  for (const grade of [...o.grades].sort((a, b) => a - b)) {
    for (let c = 0; c < o.classesPerGrade; c++) {
      const name = `${grade}${LETTERS[c]}`;
      const curriculum = curriculumOf(grade);
      const teacherBySubject = new Map(curriculum.map(([s]) => [s, isEnglish(s) ? [teacherOf(s, 1), teacherOf(s, 2)] : [teacherOf(s, 1)]]));
      const homeroom = teacherBySubject.get(curriculum[c % curriculum.length][0])![0];
      const periods = periodsOf(grade, o.year);
      classes.push({ name, parallel: grade, hometeacherId: homeroom.id, periods });
      const classStudents: Student[] = [];
      for (let s = 0; s < o.studentsPerClass; s++) {
        const gender = random.chance(0.5) ? 'male' : 'female';
        const st: Student = { id: userId(), ...person(random, gender), gender, className: name, englishGroup: s % 2 === 0 ? 1 : 2, ability: 3 + random.next() * 2 };
        classStudents.push(st);
      }
      students.push(...classStudents);

      // The week's timetable: each subject's hours spread over Monday..Friday.
      const slots = random.shuffle(curriculum.flatMap(([s, hours]) => Array.from({ length: hours }, () => s)));
      const days: string[][] = [[], [], [], [], []];
      slots.forEach((s, i) => days[i % 5].push(s));
      const room = String(random.int(10, 45));
      const taught = new Map<string, number>();
      const classMarks: Mark[] = [];
      const classLessons = new Map<string, Lesson>();
      for (let d = 0; d < o.weeks * 7; d++) {
        const date = addDays(`${o.year}-09-01`, d);
        const weekday = weekdayOf(date);
        if (weekday > 5 || !periodOfDate(periods, date)) continue;
        days[weekday - 1].forEach((subject, i) => {
          const count = (taught.get(subject) ?? 0) + 1;
          taught.set(subject, count);
          const control = count % 8 === 0 && !isPassFail(subject) ? WORK_KINDS.control : null;
          const groups = isEnglish(subject) ? [1, 2] : [0];
          for (const g of groups) {
            const lesson: Lesson = {
              id: String(++nextLessonId), className: name, date, num: i + 1, subject, grp: g ? `Группа ${g}` : '',
              teacherId: teacherBySubject.get(subject)![Math.max(0, g - 1)].id, room,
              topic: control ? `Контрольная работа №${count / 8}` : `${random.pick(TOPICS)} (урок ${count})`,
              homework: random.chance(0.7) && !control ? [{ id: ++nextHomeworkId, value: `§${Math.ceil(count / 2)}, упр. ${random.int(1, 300)}`, individual: false }] : [],
              control,
            };
            lessons.push(lesson);
            classLessons.set(lesson.id, lesson);
            for (const st of classStudents) {
              if (g && st.englishGroup !== g) continue;
              const add = (value: string, kind: WorkKind | null) => classMarks.push({ id: String(nextMarkId++), lessonId: lesson.id, studentId: st.id, value, kind, comment: '' });
              const roll = random.next();
              if (roll < 0.04) add('н', null);
              else if (roll < 0.05) add('оп', null);
              if (roll < 0.04) continue;
              if (isPassFail(subject)) {
                if (random.chance(0.15)) add(random.chance(0.9) ? 'зач' : 'незач', null);
              } else if (control) {
                add(markValue(random, st.ability - 0.3), control);
              } else if (random.chance(0.25)) {
                add(markValue(random, st.ability), random.pick([WORK_KINDS.answer, WORK_KINDS.answer, WORK_KINDS.homework, WORK_KINDS.independent, ...(subject === 'Русский язык' ? [WORK_KINDS.dictation] : [])]));
                if (random.chance(0.06)) add(markValue(random, st.ability), WORK_KINDS.answer);
              }
            }
          }
        });
      }
      // Term marks of the periods that have lessons: the student's average there, rounded.
      marks.push(...classMarks);
      for (const st of classStudents) {
        const own = classMarks.filter((m) => m.studentId === st.id && /^[1-5]/.test(m.value));
        for (const period of periods) {
          for (const [subject] of curriculum) {
            const inPeriod = own.filter((m) => {
              const l = classLessons.get(m.lessonId)!;
              return l.subject === subject && l.date >= period.start && l.date <= period.end;
            });
            if (isPassFail(subject)) {
              if ([...classLessons.values()].some((l) => l.subject === subject && l.date >= period.start && l.date <= period.end)) finals.push({ studentId: st.id, subject, period: period.name, value: 'зач' });
            } else if (inPeriod.length > 0) {
              const average = inPeriod.reduce((sum, m) => sum + Number(m.value[0]), 0) / inPeriod.length;
              finals.push({ studentId: st.id, subject, period: period.name, value: String(Math.round(average)) });
            }
          }
        }
      }
    }
  }

  // Parents: one account per family; every fourth parent has two children at the school.
  const accounts: Account[] = [];
  for (let i = 0; i < students.length; i++) {
    const children = i % 4 === 3 && i + 1 < students.length ? [students[i].id, students[i + 1].id] : [students[i].id];
    const parent = person(random, 'female');
    accounts.push({ login: `parent${i + 1}`, password: `parent${i + 1}-pass`, userId: userId(), roles: ['parent'], studentIds: children, ...parent });
    if (children.length === 2) i++;
  }
  for (const st of students) accounts.push({ login: `student${st.id}`, password: 'student-pass', userId: st.id, roles: ['student'], studentIds: [st.id], lastName: st.lastName, firstName: st.firstName, middleName: st.middleName });

  const number = String(random.int(1, 10));
  return {
    vendor: o.vendor, vendorId: 77, number, title: `МАОУ «СОШ №${number}»`, titleFull: `Муниципальное автономное общеобразовательное учреждение «Средняя общеобразовательная школа №${number}» г. Когалыма`,
    teachers, classes, students, lessons, marks, finals, accounts,
  };
}
