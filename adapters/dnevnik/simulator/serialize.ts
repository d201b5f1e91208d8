import { Dataset, EduGroup, FinalMark, Id, Lesson, LogEntry, Mark, Person, ReportingPeriod, School, Subject, Work, WorkType } from './model';

/**
 * The vendor's JSON shapes (reference §1.4). Ids are written as the 64-bit integers they are, each with
 * its string twin — spelled as the vendor spells it: `id_str` mostly, `idStr` in Subject, `lessonStr`
 * in Mark. Some id fields have no twin at all (Lesson.teachers, Lesson.group, Work.createdBy).
 */
type Json = Record<string, unknown>;

export const schoolJson = (s: School): Json => ({
  id: s.id, id_str: String(s.id), name: s.name, fullName: s.fullName, city: s.city, municipality: 'г. Когалым', regionId: 86,
  markType: s.markType, timeZone: s.timeZone, uses_avg: true, uses_weighted_avg: true, educationType: 'GeneralEducation', avatarSmall: null,
});

export const subjectJson = (s: Subject): Json => ({ id: s.id, idStr: String(s.id), name: s.name, knowledgeArea: s.knowledgeArea, fgosSubjectId: s.fgosSubjectId, espSubjectName: s.name });

export const eduGroupJson = (g: EduGroup, data: Dataset): Json => ({
  id: g.id, id_str: String(g.id),
  parentIds: g.parentId === null ? [] : [g.parentId], parentIds_str: g.parentId === null ? [] : [String(g.parentId)],
  type: g.type, name: g.name, fullName: g.name, parallel: g.parallel, timetable: 123, timetable_str: '123', status: 'Active',
  studyyear: g.studyyear, subjects: data.subjects.filter((s) => g.subjectIds.includes(s.id)).map(subjectJson), journalType: 'Standard',
});

export const personJson = (p: Person): Json => ({
  id: p.id, id_str: String(p.id), userId: p.userId, userId_str: String(p.userId),
  firstName: p.firstName, lastName: p.lastName, middleName: p.middleName, shortName: `${p.lastName} ${p.firstName[0]}.`, sex: p.sex, birthday: p.birthday,
});

export const periodJson = (p: ReportingPeriod): Json => ({
  id: p.id, id_str: String(p.id), start: p.start, finish: p.finish, number: p.number, type: p.type, name: p.name, year: p.year,
});

export const workTypeJson = (t: WorkType, school: School): Json => ({ id: t.id, schoolId: school.id, kindId: t.id, kind: t.kind, title: t.title, abbr: t.abbr, weight: t.weight });

export const workJson = (w: Work): Json => ({
  id: w.id, id_str: String(w.id), type: w.type, workType: w.workTypeId, markType: w.markType, markCount: 1,
  lesson: w.lessonId, lesson_str: String(w.lessonId), displayInJournal: w.type !== 'Homework', status: 'Sent',
  eduGroup: w.groupId, eduGroup_str: String(w.groupId), tasks: [], text: w.text, periodNumber: 0, periodType: 'Quarter',
  subjectId: w.subjectId, isImportant: w.type === 'LessonTestWork', targetDate: w.targetDate, sentDate: null, createdBy: w.createdBy,
});

export const lessonJson = (l: Lesson, data: Dataset, works: Work[]): Json => ({
  id: l.id, id_str: String(l.id), title: l.title, date: `${l.date}T00:00:00`, number: l.number,
  subject: subjectJson(data.subjects.find((s) => s.id === l.subjectId)!), group: l.groupId,
  works: works.map(workJson), teachers: [l.teacherId], status: 'Conducted', place: l.place, hours: l.hours,
});

const MOOD: Record<string, string> = { '5': 'Good', '4': 'Good', '3': 'Average', '2': 'Bad', зачет: 'Good', незачет: 'Bad' };

export const markJson = (m: Mark): Json => ({
  id: m.id, id_str: String(m.id), type: m.type, value: m.value, textValue: m.value,
  person: m.personId, person_str: String(m.personId), work: m.workId, work_str: String(m.workId),
  lesson: m.lessonId, lessonStr: String(m.lessonId), number: 0, date: m.date, workType: m.workTypeId, mood: MOOD[m.value] ?? 'NotSet', use_avg_calc: m.type === 'mark5',
});

export const logEntryJson = (e: LogEntry): Json => ({
  person: e.personId, person_str: String(e.personId), lesson: e.lessonId, lesson_str: String(e.lessonId), comment: e.comment, status: e.status, createdDate: e.createdDate,
});

export const finalMarkJson = (f: FinalMark): Json => ({
  id: f.id, id_str: String(f.id), type: f.type, value: f.value, textValue: f.value, person: f.personId, person_str: String(f.personId),
  work: null, lesson: null, number: 0, date: f.date, workType: 8, mood: MOOD[f.value] ?? 'NotSet', use_avg_calc: false,
});

export const taskJson = (id: Id, w: Work, personId: Id): Json => ({
  id, id_str: String(id), person: personId, person_str: String(personId), work: w.id, work_str: String(w.id), status: 'NotDone', targetDate: w.targetDate,
});

/** JSON with 64-bit integers written exactly (JSON.stringify cannot write a bigint). */
export function stringify(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? `\u0000big:${v}` : v)).replace(/"\\u0000big:(-?\d+)"/g, '$1');
}
