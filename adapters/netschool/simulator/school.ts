import { SeededRandom } from '../../simulator-kit/random';

/**
 * One school as a NetSchool server holds it: classes, pupils, class meetings (lessons) with their
 * assignments, marks on assignments, attendance and term/year marks. Ids are the server's integers.
 */
export interface School {
  id: number;
  name: string;
  shortName: string;
  /** The name the login page's school search finds. */
  loginName: string;
  inn: string;
  ogrn: string;
  year: { id: number; name: string; startDate: string; endDate: string };
  terms: Term[];
  classes: SchoolClass[];
  students: Student[];
  assignmentTypes: AssignmentType[];
  classMeetings: ClassMeeting[];
  assignments: Assignment[];
  /** `${assignmentId}:${studentId}` → the mark on that assignment. */
  marks: Map<string, Mark>;
  /** `${classMeetingId}:${studentId}` → an attendance code (НП, УП, Б, ОП …). */
  attendance: Map<string, string>;
  /** `${studentId}:${subjectName}:${column}` → the mark as the report prints it; column is a term's name or Годовая/Экзамен/Итоговая. */
  finalMarks: Map<string, string>;
  /** The server's today ("YYYY-MM-DD"): lessons run up to it, diary/init's weekStart is its week. */
  today: string;
}

export interface Term { kind: 'quarter' | 'half'; number: number; name: string; start: string; end: string }
export interface SchoolClass { id: number; name: string; grade: number; termKind: 'quarter' | 'half'; subjects: string[] }
export interface Student { id: number; lastName: string; firstName: string; classId: number }
export interface AssignmentType { id: number; name: string; abbr: string; order: number }
export interface ClassMeeting { id: number; classId: number; subjectName: string; date: string; number: number; startTime: string; endTime: string; room: string | null }
export interface Assignment { id: number; classMeetingId: number; typeId: number; name: string; weight: number; dueDate: string }
export interface Mark { mark: number | null; dutyMark: boolean }

export interface SchoolSize {
  /** Classes, spread over grades 5–11 (parallels 10–11 study by half-years). */
  classes: number;
  studentsPerClass: number;
  today: string;
}

const TYPES: [string, string][] = [
  ['Домашнее задание', 'ДЗ'], ['Ответ на уроке', 'О'], ['Самостоятельная работа', 'С'], ['Контрольная работа', 'К'],
  ['Диктант', 'Д'], ['Сочинение', 'Соч'], ['Чтение наизусть', 'Н'], ['Лабораторная работа', 'Л'], ['Тест', 'Т'],
];

/** Subjects as NetSchool servers name them: not always the municipality's names («Физика профиль», «ИЗО»). */
const CURRICULUM: Record<number, string[]> = {
  5: ['Русский язык', 'Литература', 'Математика', 'Иностранный язык (английский)', 'История', 'Биология', 'ИЗО', 'Физическая культура'],
  6: ['Русский язык', 'Литература', 'Математика', 'Иностранный язык (английский)', 'История', 'География', 'Биология', 'Физическая культура'],
  7: ['Русский язык', 'Литература', 'Алгебра', 'Геометрия', 'Физика', 'Иностранный язык (английский)', 'История', 'Информатика и ИКТ'],
  8: ['Русский язык', 'Литература', 'Алгебра', 'Геометрия', 'Физика', 'Химия', 'Английский язык', 'ОБЖ'],
  9: ['Русский язык', 'Литература', 'Алгебра', 'Геометрия', 'Физика', 'Химия', 'Обществознание', 'Физкультура'],
  10: ['Русский язык', 'Литература', 'Алгебра и начала анализа', 'Геометрия', 'Физика профиль', 'Обществознание базовый', 'Английский язык', 'ОБЖ'],
  11: ['Русский язык', 'Литература', 'Алгебра и начала анализа', 'Геометрия', 'Физика профиль', 'Химия', 'Обществознание базовый', 'Физкультура'],
};
/** In this order, so that even a small school has a class that studies by half-years. */
const GRADES = [5, 10, 7, 9, 6, 11, 8];
const LETTERS = ['А', 'Б', 'В', 'Г'];

const BELLS: [string, string][] = [['08:00', '08:40'], ['08:50', '09:30'], ['09:45', '10:25'], ['10:40', '11:20'], ['11:35', '12:15'], ['12:25', '13:05']];

const LAST_NAMES: [string, string][] = [
  ['Иванов', 'Иванова'], ['Смирнов', 'Смирнова'], ['Кузнецов', 'Кузнецова'], ['Попов', 'Попова'], ['Васильев', 'Васильева'],
  ['Петров', 'Петрова'], ['Соколов', 'Соколова'], ['Новиков', 'Новикова'], ['Фёдоров', 'Фёдорова'], ['Морозов', 'Морозова'],
  ['Гарипов', 'Гарипова'], ['Сафин', 'Сафина'], ['Ткаченко', 'Ткаченко'], ['Черных', 'Черных'], ['Семёнов', 'Семёнова'],
];
const BOYS = ['Александр', 'Максим', 'Артём', 'Тимур', 'Илья', 'Никита', 'Руслан', 'Дмитрий', 'Егор', 'Фёдор'];
const GIRLS = ['Анастасия', 'Дарья', 'Алина', 'Полина', 'Софья', 'Айгуль', 'Мария', 'Ксения', 'Ева', 'Алёна'];
const HOMEWORK = ['§ 12, вопросы 1–3', 'упр. 245', '№ 318, 320', 'выучить правило', 'пересказ текста', 'составить план', 'решить вариант 2', 'подготовить сообщение'];
const CLASSWORK = ['Работа на уроке', 'Проверка домашнего задания', 'Устный опрос', 'Повторение пройденного'];

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

/** Quarters and half-years of 2026/2027; the gaps between them are the holidays. */
function termsOf(): Term[] {
  return [
    { kind: 'quarter', number: 1, name: '1 четверть', start: '2026-09-01', end: '2026-10-25' },
    { kind: 'quarter', number: 2, name: '2 четверть', start: '2026-11-05', end: '2026-12-28' },
    { kind: 'quarter', number: 3, name: '3 четверть', start: '2027-01-11', end: '2027-03-21' },
    { kind: 'quarter', number: 4, name: '4 четверть', start: '2027-03-29', end: '2027-05-31' },
    { kind: 'half', number: 1, name: '1 полугодие', start: '2026-09-01', end: '2026-12-28' },
    { kind: 'half', number: 2, name: '2 полугодие', start: '2027-01-11', end: '2027-05-31' },
  ];
}

/** A school with every lesson from 1 September up to `today`, generated from the seed alone. */
export function generateSchool(seed: number, size: SchoolSize): School {
  const random = new SeededRandom(seed);
  let nextId = 1000 + (seed % 1000) * 10;
  const id = () => nextId++;
  const typeIds = random.shuffle(TYPES.map((_, i) => i + 1)).map((n) => n + 10 * random.int(0, 3));
  const assignmentTypes = TYPES.map(([name, abbr], i) => ({ id: typeIds[i], name, abbr, order: i + 1 }));
  const typeOf = (name: string) => assignmentTypes.find((t) => t.name === name)!.id;
  const number = random.int(1, 9);
  const school: School = {
    id: 2000 + random.int(1, 999),
    name: `МБОУ «СОШ №${number}»`,
    shortName: `СОШ №${number}`,
    loginName: `МБОУ «СОШ №${number}» г. Когалым`,
    inn: `8608${String(random.int(100000, 999999))}`,
    ogrn: `10286${String(random.int(10000000, 99999999))}`,
    year: { id: 30 + random.int(0, 9), name: '2026/2027', startDate: '2026-09-01T00:00:00', endDate: '2027-08-31T00:00:00' },
    terms: termsOf(),
    classes: [],
    students: [],
    assignmentTypes,
    classMeetings: [],
    assignments: [],
    marks: new Map(),
    attendance: new Map(),
    finalMarks: new Map(),
    today: size.today,
  };

  for (let c = 0; c < size.classes; c++) {
    const grade = GRADES[c % GRADES.length];
    const letter = LETTERS[Math.floor(c / GRADES.length) % LETTERS.length];
    const cls: SchoolClass = { id: id(), name: `${grade}${letter}`, grade, termKind: grade >= 10 ? 'half' : 'quarter', subjects: CURRICULUM[grade] };
    school.classes.push(cls);
    for (let s = 0; s < size.studentsPerClass; s++) {
      const girl = random.chance(0.5);
      const [male, female] = random.pick(LAST_NAMES);
      school.students.push({ id: 470000 + id(), lastName: girl ? female : male, firstName: random.pick(girl ? GIRLS : BOYS), classId: cls.id });
    }
  }

  const studying = (date: string, cls: SchoolClass) => school.terms.find((t) => t.kind === cls.termKind && t.start <= date && date <= t.end);
  let meetingId = 190_000_000 + random.int(0, 99_999);
  let assignmentId = 216_000_000 + random.int(0, 99_999);
  for (let date = '2026-09-01'; date <= size.today; date = addDays(date, 1)) {
    const day = weekday(date);
    if (day === 0 || day === 6) continue;
    for (const cls of school.classes) {
      if (!studying(date, cls)) continue;
      const students = school.students.filter((s) => s.classId === cls.id);
      // A fixed timetable: each weekday takes five subjects of the class's list, shifted by the day.
      for (let n = 1; n <= 5; n++) {
        const subjectName = cls.subjects[(day * 3 + n) % cls.subjects.length];
        const meeting: ClassMeeting = { id: meetingId++, classId: cls.id, subjectName, date, number: n, startTime: BELLS[n - 1][0], endTime: BELLS[n - 1][1], room: random.chance(0.7) ? String(random.int(101, 315)) : null };
        school.classMeetings.push(meeting);
        for (const student of students) {
          if (random.chance(0.04)) school.attendance.set(`${meeting.id}:${student.id}`, random.weighted([['НП', 3], ['УП', 2], ['Б', 4], ['ОП', 1]] as const));
        }
        if (random.chance(0.6)) {
          const homework: Assignment = { id: assignmentId++, classMeetingId: meeting.id, typeId: typeOf('Домашнее задание'), name: random.pick(HOMEWORK), weight: 0, dueDate: date };
          school.assignments.push(homework);
          // A homework checked in class carries marks of its own; an undone one is a «точка» (dutyMark).
          for (const student of students) {
            if (random.chance(0.12)) school.marks.set(`${homework.id}:${student.id}`, { mark: drawMark(random), dutyMark: false });
            else if (random.chance(0.03)) school.marks.set(`${homework.id}:${student.id}`, { mark: null, dutyMark: true });
          }
        }
        if (random.chance(0.5)) {
          const kind = random.weighted([['Ответ на уроке', 6], ['Самостоятельная работа', 2], ['Контрольная работа', 1], ['Тест', 1]] as const);
          const work: Assignment = { id: assignmentId++, classMeetingId: meeting.id, typeId: typeOf(kind), name: kind === 'Ответ на уроке' ? random.pick(CLASSWORK) : `${kind} по теме урока`, weight: 0, dueDate: date };
          school.assignments.push(work);
          const share = kind === 'Ответ на уроке' ? 0.2 : 0.9;
          for (const student of students) if (random.chance(share) && !school.attendance.has(`${meeting.id}:${student.id}`)) school.marks.set(`${work.id}:${student.id}`, { mark: drawMark(random), dutyMark: false });
        }
      }
    }
  }
  computeFinalMarks(school);
  return school;
}

function drawMark(random: SeededRandom): number {
  return random.weighted([[5, 30], [4, 40], [3, 22], [2, 7], [1, 1]] as const);
}

/** Term marks for the terms that ended by today (the rounded average of the term's marks), then the year's when it is over. */
export function computeFinalMarks(school: School): void {
  school.finalMarks.clear();
  const meetings = new Map(school.classMeetings.map((m) => [m.id, m]));
  const assignments = new Map(school.assignments.map((a) => [a.id, a]));
  const perStudent = new Map<string, { date: string; mark: number }[]>();
  for (const [key, mark] of school.marks) {
    if (mark.mark === null) continue;
    const [assignmentId, studentId] = key.split(':').map(Number);
    const meeting = meetings.get(assignments.get(assignmentId)?.classMeetingId ?? -1);
    if (!meeting) continue;
    const list = perStudent.get(`${studentId}:${meeting.subjectName}`) ?? [];
    list.push({ date: meeting.date, mark: mark.mark });
    perStudent.set(`${studentId}:${meeting.subjectName}`, list);
  }
  const round = (values: number[]) => String(Math.round(values.reduce((a, b) => a + b, 0) / values.length));
  for (const student of school.students) {
    const cls = school.classes.find((c) => c.id === student.classId)!;
    const terms = school.terms.filter((t) => t.kind === cls.termKind);
    for (const subject of cls.subjects) {
      const termMarks: number[] = [];
      for (const term of terms) {
        if (term.end >= school.today) continue;
        const values = (perStudent.get(`${student.id}:${subject}`) ?? []).filter((m) => term.start <= m.date && m.date <= term.end).map((m) => m.mark);
        if (values.length === 0) continue;
        const value = round(values);
        termMarks.push(Number(value));
        school.finalMarks.set(`${student.id}:${subject}:${term.name}`, value);
      }
      if (terms.every((t) => t.end < school.today) && termMarks.length > 0) {
        school.finalMarks.set(`${student.id}:${subject}:Годовая`, round(termMarks));
        school.finalMarks.set(`${student.id}:${subject}:Итоговая`, round(termMarks));
      }
    }
  }
}

export { addDays };
