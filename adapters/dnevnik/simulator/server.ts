import http from 'node:http';
import { addDays } from './generate';
import { Dataset, Id, Lesson, LOG_STATUSES, Mark, MARK_SCALES, Work } from './model';
import { checkFaults, Faults, ResolvedOptions } from './options';
import { SeededRandom } from '../../simulator-kit/random';
import {
  eduGroupJson, finalMarkJson, lessonJson, logEntryJson, markJson, periodJson, personJson, schoolJson, stringify, subjectJson, taskJson, workJson, workTypeJson,
} from './serialize';

export interface RequestLogEntry {
  method: string;
  /** The path after the API prefix, e.g. "edu-groups/1000001234567/marks/2026-09-01/2026-09-07". */
  path: string;
  query: URLSearchParams;
  /** 0 when the connection was reset instead of answered. */
  status: number;
  /** How the client authenticated: the header, the query parameter, or not at all. */
  auth: 'header' | 'query' | 'none';
  /** When the request arrived (ms since the epoch, real time). */
  at: number;
}

interface Answer {
  status: number;
  body: unknown;
  html?: boolean;
  headers?: Record<string, string>;
}

/** Error codes seen in clients (reference §1.2); the status that goes with each is a guess the reference makes too. */
export type ErrorType = 'authorizationFailed' | 'invalidToken' | 'parameterInvalid' | 'apiServerError' | 'apiUnknownError';
const STATUS: Record<ErrorType, number> = { authorizationFailed: 401, invalidToken: 401, parameterInvalid: 400, apiServerError: 500, apiUnknownError: 500 };

class VendorError extends Error {
  constructor(readonly type: ErrorType, readonly description: string, readonly status = STATUS[type]) {
    super(description);
  }
}

/** Thrown for what the vendor answers with its HTML error page (unknown pages and records). */
class HtmlError extends Error {
  constructor(readonly status: number, readonly description: string) {
    super(description);
  }
}

export function htmlErrorPage(status: number, description: string): string {
  return `<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8"><title>Ошибка — Дневник.ру</title></head>
<body><div class="error"><div class="error__code">${status}</div>
<div class="error__description"><p>${description.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p></div></div></body></html>`;
}

const PREFIX = /^\/(?:v2(?:\.0)?)\//;
/** Path and query dates: yyyy-MM-dd, yyyy-MM-ddTHH:mm:ss or yyyy-MM-ddTHH:mm:ss.SSS (reference §1.3). */
const DATE = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}:\d{2}(\.\d{1,3})?)?$/;

function dateParam(value: string | null | undefined, name: string): string {
  const m = value ? DATE.exec(decodeURIComponent(value)) : null;
  if (!m || Number.isNaN(Date.parse(m[1]))) throw new VendorError('parameterInvalid', `Параметр ${name} имеет неверный формат: ${value ?? '(нет)'}`);
  return m[1];
}

function idParam(value: string, name: string): Id {
  if (!/^\d{1,19}$/.test(value)) throw new VendorError('parameterInvalid', `Параметр ${name} должен быть числом: ${value}`);
  return BigInt(value);
}

/** The simulator's HTTP side: routes, authentication, faults. The data lives in `data` and is changed by the simulator's methods. */
export class DnevnikServer {
  readonly log: RequestLogEntry[] = [];
  /** The most requests ever being answered at once. */
  peakConcurrency = 0;
  private concurrent = 0;
  private faults: Faults = {};
  private random: SeededRandom;
  private dataRequests = 0;
  private failuresLeft = 0;
  private readonly tokenUses = new Map<string, number>();
  /** Tokens issued by the authorization endpoints, with when they run out (simulator clock, ms). */
  private readonly issued = new Map<string, number>();
  private tokenSeq = 0;
  private readonly revoked = new Set<string>();
  /** Works by lesson, built when first needed after a change (a whole school has tens of thousands). */
  private worksByLesson: Map<Id, Work[]> | null = null;

  constructor(
    private readonly data: Dataset,
    private readonly options: ResolvedOptions,
    private readonly now: () => number,
  ) {
    this.random = new SeededRandom(options.seed ^ 0x5eed);
  }

  setFaults(faults: Faults): void {
    checkFaults(faults);
    this.faults = { ...faults };
    this.random = new SeededRandom(this.options.seed ^ 0x5eed);
    this.dataRequests = 0;
    this.failuresLeft = faults.failNext ?? 0;
    this.tokenUses.clear();
    this.peakConcurrency = 0;
  }

  /** Called after the data changed: drops what was derived from it. */
  changed(): void {
    this.worksByLesson = null;
  }

  private worksOf(lessonId: Id): Work[] {
    if (!this.worksByLesson) {
      this.worksByLesson = new Map();
      for (const w of this.data.works) this.worksByLesson.set(w.lessonId, [...(this.worksByLesson.get(w.lessonId) ?? []), w]);
    }
    return this.worksByLesson.get(lessonId) ?? [];
  }

  /** Revokes a token (as when a user withdraws the partner's access). */
  revoke(token: string): void {
    this.revoked.add(token);
  }

  handler = (request: http.IncomingMessage, response: http.ServerResponse): void => {
    this.handle(request, response).catch(() => request.socket.destroy());
  };

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://simulator');
    const header = request.headers['access-token'];
    const token = typeof header === 'string' ? header : url.searchParams.get('access_token');
    const entry: RequestLogEntry = {
      method: request.method ?? 'GET', path: url.pathname.replace(PREFIX, ''), query: url.searchParams, status: 0,
      auth: typeof header === 'string' ? 'header' : token ? 'query' : 'none', at: Date.now(),
    };
    this.log.push(entry);
    if (this.faults.down) {
      request.socket.resetAndDestroy();
      return;
    }
    this.peakConcurrency = Math.max(this.peakConcurrency, ++this.concurrent);
    response.once('close', () => this.concurrent--);
    const body = await readBody(request);
    if (this.faults.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.faults.latencyMs));
    let answer: Answer;
    try {
      if (!PREFIX.test(url.pathname)) throw new HtmlError(404, 'Страница не найдена');
      answer = this.answer(request.method ?? 'GET', entry.path, url.searchParams, token, body);
    } catch (error) {
      if (error instanceof HtmlError) answer = { status: error.status, body: htmlErrorPage(error.status, error.description), html: true };
      else if (error instanceof VendorError) answer = this.failure(error);
      else answer = this.failure(new VendorError('apiUnknownError', `Внутренняя ошибка симулятора: ${String(error)}`));
    }
    entry.status = answer.status;
    const payload = answer.html ? String(answer.body) : stringify(answer.body);
    response.writeHead(answer.status, {
      'Content-Type': answer.html ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(payload),
      ...answer.headers,
    });
    response.end(payload);
  }

  private failure(error: VendorError): Answer {
    if (this.faults.htmlErrors && error.status >= 500) return { status: error.status, body: htmlErrorPage(error.status, error.description), html: true };
    return { status: error.status, body: { type: error.type, description: error.description } };
  }

  private answer(method: string, path: string, query: URLSearchParams, token: string | null, body: string): Answer {
    if (method === 'POST' && path === 'authorizations/bycredentials') return this.byCredentials(body);
    if (method === 'POST' && path === 'authorizations') return this.byCode(body);
    if (method !== 'GET') throw new VendorError('parameterInvalid', `Метод ${method} не поддерживается для ${path}`);
    this.authenticate(token);
    this.dataRequests++;
    const draw = this.random.next();
    if (this.faults.throttleEvery && this.dataRequests % this.faults.throttleEvery === 0) {
      return { status: 429, body: { type: 'apiUnknownError', description: 'Превышено число запросов, повторите позже' }, headers: { 'Retry-After': '1' } };
    }
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw new VendorError('apiServerError', 'Сервис временно недоступен');
    }
    if (this.faults.failureRate && draw < this.faults.failureRate) throw new VendorError('apiServerError', 'Сервис временно недоступен');
    return { status: 200, body: this.route(path, query) };
  }

  private authenticate(token: string | null): void {
    const valid = token !== null && !this.revoked.has(token) && (token === this.options.accessToken || (this.issued.get(token) ?? 0) > this.now());
    if (!valid) throw new VendorError('invalidToken', token ? 'Токен доступа недействителен или истёк' : 'Не передан токен доступа (Access-Token)');
    const uses = (this.tokenUses.get(token) ?? 0) + 1;
    this.tokenUses.set(token, uses);
    if (this.faults.expireTokensAfter !== undefined && uses > this.faults.expireTokensAfter) throw new VendorError('invalidToken', 'Сессия истекла, токен доступа недействителен');
  }

  private issue(): Answer {
    const token = `sim-${++this.tokenSeq}-${this.random.next().toString(36).slice(2, 10)}`;
    this.issued.set(token, this.now() + this.options.tokenTtlSeconds * 1000);
    return { status: 200, body: { accessToken: token, refreshToken: null, expiresIn: this.options.tokenTtlSeconds, scope: 'CommonInfo,EducationalInfo', user: null } };
  }

  private byCredentials(body: string): Answer {
    const form = parseBody(body);
    if (form.username !== this.options.username || form.password !== this.options.password) {
      throw new VendorError('authorizationFailed', 'Неверный логин или пароль');
    }
    return this.issue();
  }

  private byCode(body: string): Answer {
    const form = parseBody(body);
    if (form.grant_type !== undefined && form.grant_type !== 'AuthorizationCode') throw new VendorError('parameterInvalid', `Неизвестный grant_type ${form.grant_type}`);
    if (form.code !== this.options.authorizationCode) throw new VendorError('authorizationFailed', 'Код авторизации недействителен');
    return this.issue();
  }

  // ---------------------------------------------------------------- data

  private route(path: string, query: URLSearchParams): unknown {
    const d = this.data;
    const parts = path.split('/').filter(Boolean);
    const at = (pattern: string): Record<string, string> | null => {
      const names = pattern.split('/');
      if (names.length !== parts.length) return null;
      const params: Record<string, string> = {};
      for (const [i, name] of names.entries()) {
        if (name.startsWith(':')) params[name.slice(1)] = decodeURIComponent(parts[i]);
        else if (name !== parts[i]) return null;
      }
      return params;
    };
    let p: Record<string, string> | null;
    const me = d.persons.find((x) => d.teachers.includes(x.id))!;

    if (at('users/me')) return { id: me.userId, id_str: String(me.userId), personId: me.id, personId_str: String(me.id), name: `${me.lastName} ${me.firstName} ${me.middleName}`, roles: ['EduSchoolAdministrator'] };
    if (at('users/me/schools')) return [d.school.id];
    if (at('users/me/context')) {
      return { userId: me.userId, personId: me.id, shortName: `${me.lastName} ${me.firstName[0]}.`, roles: ['EduStaff', 'EduSchoolAdministrator'], schools: [{ id: d.school.id, name: d.school.name, type: 'School', groupIds: d.groups.map((g) => g.id) }], schoolIds: [d.school.id], groupIds: d.groups.map((g) => g.id) };
    }
    if (at('schools')) {
      const ids = query.getAll('schools').flatMap((v) => v.split(',')).map((v) => idParam(v, 'schools'));
      return ids.includes(d.school.id) ? [schoolJson(d.school)] : [];
    }
    if ((p = at('schools/:school'))) return schoolJson(this.school(p.school));
    if ((p = at('schools/:school/edu-groups'))) return (this.school(p.school), d.groups.map((g) => eduGroupJson(g, d)));
    if ((p = at('schools/:school/subjects'))) return (this.school(p.school), d.subjects.map(subjectJson));
    if ((p = at('schools/:school/teachers'))) return (this.school(p.school), d.persons.filter((x) => d.teachers.includes(x.id)).map(personJson));
    if ((p = at('work-types/:school'))) return (this.school(p.school), d.workTypes.map((t) => workTypeJson(t, d.school)));
    if ((p = at('edu-groups/:group'))) return eduGroupJson(this.group(p.group), d);
    if ((p = at('edu-groups/:group/subjects'))) {
      const g = this.group(p.group);
      return d.subjects.filter((s) => g.subjectIds.includes(s.id)).map(subjectJson);
    }
    if ((p = at('edu-groups/:group/reporting-periods'))) return (this.group(p.group), d.periods.map(periodJson));
    if ((p = at('edu-groups/:group/students'))) {
      const g = this.group(p.group);
      return this.members(g.id, query).map((m) => ({ person: personJson(this.person(m.personId)), membershipstatus: m.status }));
    }
    if ((p = at('edu-groups/:group/persons'))) return this.members(this.group(p.group).id, query).map((m) => personJson(this.person(m.personId)));
    if ((p = at('edu-groups/:group/teachers'))) {
      const g = this.group(p.group);
      const ids = [...new Set(d.lessons.filter((l) => l.groupId === g.id).map((l) => l.teacherId))];
      return ids.map((id) => ({ person: personJson(this.person(id)), role: 'Teacher' }));
    }
    if ((p = at('edu-groups/:group/lessons/:from/:to'))) {
      const g = this.group(p.group);
      const [from, to] = [dateParam(p.from, 'startDate'), dateParam(p.to, 'endDate')];
      return d.lessons.filter((l) => l.groupId === g.id && l.date >= from && l.date <= to).map((l) => this.lessonOut(l));
    }
    if ((p = at('edu-groups/:group/marks/:from/:to'))) {
      const g = this.group(p.group);
      const [from, to] = [dateParam(p.from, 'startDate'), dateParam(p.to, 'endDate')];
      const lessons = new Set(d.lessons.filter((l) => l.groupId === g.id).map((l) => l.id));
      // By the date the mark was given, not the lesson's: a mark entered on Monday for Friday's lesson is in Monday's week.
      return d.marks.filter((m) => lessons.has(m.lessonId) && m.date.slice(0, 10) >= from && m.date.slice(0, 10) <= to).map((m) => this.markOut(m));
    }
    if ((p = at('edu-groups/:group/final-marks'))) {
      const g = this.group(p.group);
      const rows = new Map<string, { person: Id; period: Id | null; marks: typeof d.finalMarks }>();
      for (const f of d.finalMarks.filter((x) => x.groupId === g.id)) {
        const key = `${f.personId}:${f.periodId}`;
        const row = rows.get(key) ?? { person: f.personId, period: f.periodId, marks: [] };
        row.marks.push(f);
        rows.set(key, row);
      }
      return [...rows.values()].map((r) => ({
        person: r.person, person_str: String(r.person), group: g.id, group_str: String(g.id),
        reportingPeriod: r.period, reportingPeriod_str: r.period === null ? null : String(r.period),
        'per-subject-final-marks': r.marks.map((f) => ({ subject: f.subjectId, subject_str: String(f.subjectId), 'final-mark': finalMarkJson(f) })),
      }));
    }
    if ((p = at('lessons/:lesson'))) return this.lessonOut(this.lesson(p.lesson));
    if ((p = at('lessons/:lesson/works'))) return d.works.filter((w) => w.lessonId === this.lesson(p!.lesson).id).map(workJson);
    if ((p = at('lessons/:lesson/marks'))) return d.marks.filter((m) => m.lessonId === this.lesson(p!.lesson).id).map((m) => this.markOut(m));
    if ((p = at('lessons/:lesson/log-entries'))) return this.logEntries([this.lesson(p.lesson).id]);
    if ((p = at('lessons/:lesson/tasks'))) return this.tasks(d.works.filter((w) => w.lessonId === this.lesson(p!.lesson).id));
    if ((p = at('works/:work'))) return workJson(this.work(p.work));
    if ((p = at('works/:work/marks'))) return d.marks.filter((m) => m.workId === this.work(p!.work).id).map((m) => this.markOut(m));
    if ((p = at('works/:work/tasks'))) return this.tasks([this.work(p.work)]);
    if (at('works')) return d.works.filter((w) => w.lessonId === this.lesson(query.get('lesson') ?? '').id).map(workJson);
    if (at('tasks')) {
      const lessons = new Set(query.getAll('lessons').flatMap((v) => v.split(',')).map((v) => idParam(v, 'lessons')));
      return this.tasks(d.works.filter((w) => lessons.has(w.lessonId)));
    }
    if ((p = at('marks/:mark'))) {
      if (p.mark === 'values') return Object.fromEntries(MARK_SCALES.map((s) => [s, scaleValues(s)]));
      const id = idParam(p.mark, 'mark');
      const found = d.marks.find((m) => m.id === id);
      if (!found) throw new HtmlError(404, 'Отметка не найдена');
      return this.markOut(found);
    }
    if ((p = at('marks/values/type/:type'))) {
      if (!(MARK_SCALES as readonly string[]).includes(p.type)) throw new VendorError('parameterInvalid', `Неизвестный тип отметки ${p.type}`);
      return scaleValues(p.type);
    }
    if (at('lesson-log-entries')) {
      const lessons = query.getAll('lessons').flatMap((v) => v.split(',')).filter(Boolean).map((v) => idParam(v, 'lessons'));
      if (lessons.length === 0) throw new VendorError('parameterInvalid', 'Не указан параметр lessons');
      return this.logEntries(lessons);
    }
    if (at('lesson-log-entries/statuses')) return [...LOG_STATUSES];
    if ((p = at('persons/:person'))) return personJson(this.person(idParam(p.person, 'person')));
    if ((p = at('persons/:person/groups/:group/schedules'))) return this.schedules(p.person, p.group, query);
    if ((p = at('persons/:person/group/:group/recentmarks'))) return this.recentMarks(p.person, p.group, query);
    if ((p = at('persons/:person/reporting-periods/:period/avg-mark'))) return this.averageMark(p.person, p.period);
    throw new HtmlError(404, 'Страница не найдена');
  }

  private school(id: string) {
    if (idParam(id, 'school') !== this.data.school.id) throw new HtmlError(404, 'Школа не найдена или нет доступа');
    return this.data.school;
  }

  private group(id: string) {
    const g = this.data.groups.find((x) => x.id === idParam(id, 'eduGroup'));
    if (!g) throw new HtmlError(404, 'Класс или группа не найдены');
    return g;
  }

  private lesson(id: string) {
    const l = this.data.lessons.find((x) => x.id === idParam(id, 'lesson'));
    if (!l) throw new HtmlError(404, 'Урок не найден');
    return l;
  }

  private work(id: string) {
    const w = this.data.works.find((x) => x.id === idParam(id, 'work'));
    if (!w) throw new HtmlError(404, 'Работа не найдена');
    return w;
  }

  private person(id: Id) {
    const person = this.data.persons.find((x) => x.id === id);
    if (!person) throw new HtmlError(404, 'Персона не найдена');
    return this.broken(String(id), { ...person }, (x) => Object.assign(x, { lastName: null }));
  }

  private members(groupId: Id, query: URLSearchParams) {
    const includeArchive = query.get('includeArchive') === 'true';
    return this.data.memberships.filter((m) => m.groupId === groupId && (includeArchive || m.status === 'Active'));
  }

  /** A record listed in the malformed fault, broken the way its consumers least expect (yet still JSON). */
  private broken<T>(id: string, record: T, breakIt: (record: T) => void): T {
    if (this.faults.malformed?.includes(id)) breakIt(record);
    return record;
  }

  private lessonOut(l: Lesson) {
    const json = lessonJson(l, this.data, this.worksOf(l.id));
    return this.broken(String(l.id), json, (x) => Object.assign(x, { date: '31.09.2026' }));
  }

  private markOut(m: Mark) {
    return this.broken(String(m.id), markJson(m), (x) => Object.assign(x, { value: x.type === 'test' ? 'может быть' : '55' }));
  }

  private logEntries(lessons: Id[]) {
    const wanted = new Set(lessons);
    return this.data.logEntries.filter((e) => wanted.has(e.lessonId))
      .map((e) => this.broken(`${e.lessonId}:${e.personId}`, logEntryJson(e), (x) => Object.assign(x, { status: 'Unknown' })));
  }

  private tasks(works: typeof this.data.works) {
    return works.filter((w) => w.type === 'Homework').flatMap((w) => {
      const members = this.data.memberships.filter((m) => m.groupId === w.groupId && m.status === 'Active');
      return members.map((m, i) => taskJson(w.id * 100n + BigInt(i), w, m.personId));
    });
  }

  /** A student's days, with the lessons, works, marks and log entries of each side-loaded and referring to each other by id. */
  private schedules(personId: string, groupId: string, query: URLSearchParams) {
    const person = idParam(personId, 'person');
    const group = this.group(groupId);
    const from = dateParam(query.get('startDate'), 'startDate');
    const to = dateParam(query.get('endDate'), 'endDate');
    const groups = new Set([group.id, ...this.data.memberships.filter((m) => m.personId === person).map((m) => m.groupId)]);
    const days = [];
    for (let day = from; day <= to; day = addDays(day, 1)) {
      const lessons = this.data.lessons.filter((l) => groups.has(l.groupId) && l.date === day);
      const lessonIds = new Set(lessons.map((l) => l.id));
      const works = this.data.works.filter((w) => lessonIds.has(w.lessonId));
      const subjects = this.data.subjects.filter((s) => lessons.some((l) => l.subjectId === s.id));
      days.push({
        date: `${day}T00:00:00+05:00`,
        lessons: lessons.map((l) => ({ ...this.lessonOut(l), subject: undefined, subjectId: l.subjectId, works: this.worksOf(l.id).map((w) => w.id) })),
        marks: this.data.marks.filter((m) => m.personId === person && lessonIds.has(m.lessonId)).map((m) => this.markOut(m)),
        works: works.filter((w) => w.type !== 'Homework').map(workJson),
        homeworks: works.filter((w) => w.type === 'Homework').map(workJson),
        subjects: subjects.map(subjectJson),
        workTypes: this.data.workTypes.map((t) => workTypeJson(t, this.data.school)),
        lessonLogEntries: this.logEntries([...lessonIds]).filter((e) => e.person === person),
        teachers: [...new Set(lessons.map((l) => l.teacherId))].map((id) => ({ person: personJson(this.person(id)), role: 'Teacher' })),
        nextDate: `${addDays(day, 1)}T00:00:00+05:00`,
      });
    }
    return days;
  }

  private recentMarks(personId: string, groupId: string, query: URLSearchParams) {
    const person = idParam(personId, 'person');
    this.group(groupId);
    const from = query.get('fromDate') ? dateParam(query.get('fromDate'), 'fromDate') : '0000-01-01';
    const subject = query.get('subject') ? idParam(query.get('subject')!, 'subject') : null;
    const limit = Number(query.get('limit') ?? 10);
    const lessons = new Map(this.data.lessons.map((l) => [l.id, l]));
    const marks = this.data.marks
      .filter((m) => m.personId === person && m.date.slice(0, 10) >= from && (subject === null || lessons.get(m.lessonId)!.subjectId === subject))
      .sort((a, b) => b.date.localeCompare(a.date)).slice(0, limit);
    const works = this.data.works.filter((w) => marks.some((m) => m.workId === w.id));
    const used = marks.map((m) => lessons.get(m.lessonId)!);
    return {
      marks: marks.map((m) => this.markOut(m)),
      works: works.map(workJson),
      workTypes: this.data.workTypes.filter((t) => works.some((w) => w.workTypeId === t.id)).map((t) => ({ id: t.id, schoolId: this.data.school.id, abbreviation: t.abbr, name: t.title, isFinal: t.kind === 'PeriodMark', isImportant: t.weight > 1, kindId: t.id, kind: t.kind })),
      subjects: this.data.subjects.filter((s) => used.some((l) => l.subjectId === s.id)).map(subjectJson),
      lessons: used.map((l) => ({ ...this.lessonOut(l), subject: undefined, subjectId: l.subjectId, works: this.worksOf(l.id).map((w) => w.id) })),
      lessonLogEntries: [],
    };
  }

  /** A bare JSON string with a decimal comma, as the vendor answers ("4,33"). */
  private averageMark(personId: string, periodId: string) {
    const person = idParam(personId, 'person');
    const period = this.data.periods.find((x) => x.id === idParam(periodId, 'period'));
    if (!period) throw new HtmlError(404, 'Отчётный период не найден');
    const values = this.data.marks
      .filter((m) => m.personId === person && m.type === 'mark5' && m.date >= period.start && m.date.slice(0, 10) <= period.finish.slice(0, 10))
      .map((m) => Number(m.value));
    return values.length === 0 ? '' : (values.reduce((a, b) => a + b, 0) / values.length).toFixed(2).replace('.', ',');
  }
}

function scaleValues(scale: string): string[] {
  switch (scale) {
    case 'mark5': return ['1', '2', '3', '4', '5'];
    case 'mark10': return Array.from({ length: 10 }, (_, i) => String(i + 1));
    case 'test': return ['зачет', 'незачет'];
    case 'markna': return ['н/а'];
    case 'markdismiss': return ['осв'];
    case 'markabcdf': return ['A', 'B', 'C', 'D', 'F'];
    default: return [];
  }
}

/** The authorization endpoints take JSON (the v2 clients) or a form. */
function parseBody(body: string): Record<string, string | undefined> {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v == null ? undefined : String(v)]));
  } catch {
    return Object.fromEntries(new URLSearchParams(body));
  }
}

async function readBody(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) break;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
