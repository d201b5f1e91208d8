import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import iconv from 'iconv-lite';
import { SeededRandom } from '../../simulator-kit/random';
import { gradesReport, REPORTS, ReportName, totalMarksReport } from './reports';
import { addDays, Assignment, School, Student } from './school';

export interface Faults {
  /** Added to every response. */
  latencyMs?: number;
  /** Share of signed-in requests answered 500, drawn from a sequence seeded by the simulator's seed. */
  failureRate?: number;
  /** Every Nth signed-in request is answered 429 with Retry-After: 1. */
  throttleEvery?: number;
  /** A session ends (401) after this many signed-in requests, as if its timeOut had passed. */
  expireSessionsAfter?: number;
  /**
   * Served broken: a mark key "assignmentId:studentId" is served as the off-scale integer 7; a class
   * meeting id is served with an impossible day.
   */
  malformed?: string[];
  /** The next this-many requests to /webapi are answered 503 (an outage that then ends). */
  failNext?: number;
  /** Every request has its connection reset. */
  down?: boolean;
}

export interface Account {
  login: string;
  password: string;
  /** Seconds a session lives without a request (activeSessions shows 3600 for staff). */
  timeOutSeconds: number;
  /** Failed logins in a row after which logins are refused for `throttleSeconds`. */
  throttleAfterFailures: number;
  throttleSeconds: number;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
  query: Record<string, string>;
  /** The `at` header and Referer as sent. */
  at?: string;
  referer?: string;
}

interface Answer {
  status: number;
  body?: unknown;
  html?: string;
  text?: string;
  headers?: Record<string, string>;
}

interface Session { cookie: string; lastAccess: number; requests: number; ended: boolean }

const PRODUCT = 'Сетевой Город. Образование';
const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');
const iso = (date: string) => `${date}T00:00:00`;
const mondayOf = (date: string) => addDays(date, -((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7));
const DATE = /^(\d{4}-\d{2}-\d{2})(T00:00:00)?$/;

/** The server side of NetSchool's web API (`/webapi/…`) over one school, with a clock of its own. */
export class NetSchoolServer {
  readonly log: RequestLogEntry[] = [];
  /** Milliseconds added to the real clock: tests move time on to expire sessions and lift throttling. */
  clockOffsetMs = 0;
  private faults: Faults = {};
  private random: SeededRandom;
  private signedInRequests = 0;
  private readonly pending = new Map<string, Map<string, { ver: string; salt: string }>>();
  private readonly sessions = new Map<string, Session>();
  private failures = 0;
  private throttledUntil = 0;
  private readonly tasks = new Map<string, { queueKey: string; html: string }>();
  private readonly files = new Map<string, string>();
  private counter = 0;
  origin = '';

  constructor(private readonly school: School, private readonly account: Account, private readonly version: string, private readonly seed: number) {
    this.random = new SeededRandom(seed ^ 0x5eed);
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  setFaults(faults: Faults): void {
    this.faults = { ...faults, malformed: [...(faults.malformed ?? [])] };
    this.random = new SeededRandom(this.seed ^ 0x5eed);
    this.signedInRequests = 0;
  }

  /** Makes the next `requests` requests fail with 503, on top of the faults in force. */
  failNext(requests: number): void {
    this.faults = { ...this.faults, failNext: requests };
  }

  /** Ends every session, as a server restart or `auth/logout` does. */
  endSessions(): void {
    for (const session of this.sessions.values()) session.ended = true;
  }

  handler = (request: http.IncomingMessage, response: http.ServerResponse): void => {
    this.handle(request, response).catch(() => request.socket.destroy());
  };

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.origin);
    const entry: RequestLogEntry = {
      method: request.method ?? 'GET', path: url.pathname, status: 0, query: Object.fromEntries(url.searchParams),
      at: header(request, 'at'), referer: header(request, 'referer'),
    };
    this.log.push(entry);
    if (this.faults.down) {
      request.socket.resetAndDestroy();
      return;
    }
    const body = await readBody(request);
    if (this.faults.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.faults.latencyMs));
    let answer: Answer;
    if ((this.faults.failNext ?? 0) > 0 && url.pathname.startsWith('/webapi/')) {
      this.faults.failNext!--;
      answer = { status: 503, text: 'Service Unavailable' };
    } else {
      try {
        answer = this.route(request, url, body);
      } catch (error) {
        answer = { status: 500, body: { message: `Внутренняя ошибка сервера: ${String(error)}` } };
      }
    }
    entry.status = answer.status;
    send(response, answer, this.now());
  }

  private route(request: http.IncomingMessage, url: URL, body: string): Answer {
    const method = request.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '');
    const cookie = cookies(request).NSSESSIONID;
    if (method === 'GET' && path === '/webapi/logindata') return this.loginData(cookie);
    if (method === 'GET' && path === '/webapi/prepareloginform') return this.prepareLoginForm();
    if (method === 'GET' && path === '/webapi/loginform') return { status: 200, body: { items: this.school ? [{ id: this.school.id, name: this.school.loginName }] : [] } };
    if (method === 'GET' && path === '/webapi/schools/search') return this.searchSchools(url.searchParams.get('name') ?? '');
    if (method === 'POST' && path === '/webapi/auth/getdata') return this.getData(cookie);
    if (method === 'POST' && path === '/webapi/login') return this.login(request, cookie, body);
    if (method === 'GET' && path === '/webapi/context/expired') {
      const session = this.sessions.get(url.searchParams.get('token') ?? '');
      return { status: 200, body: !session || this.expired(session) };
    }
    if (!path.startsWith('/webapi/')) return { status: 404, text: 'Not Found' };

    // Everything else is for a signed-in user: the `at` header and the session's cookie.
    const at = header(request, 'at');
    const session = at ? this.sessions.get(at) : undefined;
    if (!session || session.cookie !== cookie || this.expired(session)) return { status: 401, body: { message: 'Сессия завершена. Войдите в систему снова' } };
    session.lastAccess = this.now();
    session.requests++;
    if (this.faults.expireSessionsAfter !== undefined && session.requests > this.faults.expireSessionsAfter) {
      session.ended = true;
      return { status: 401, body: { message: 'Сессия завершена. Войдите в систему снова' } };
    }
    if (method === 'POST' && path === '/webapi/auth/logout') {
      session.ended = true;
      return { status: 200, text: '' };
    }
    this.signedInRequests++;
    const draw = this.random.next();
    if (this.faults.throttleEvery && this.signedInRequests % this.faults.throttleEvery === 0) return { status: 429, text: 'Too Many Requests', headers: { 'Retry-After': '1' } };
    if (this.faults.failureRate && draw < this.faults.failureRate) return { status: 500, body: { message: 'Внутренняя ошибка сервера' } };
    return this.data(method, path, url.searchParams, body);
  }

  private expired(session: Session): boolean {
    return session.ended || this.now() - session.lastAccess > this.account.timeOutSeconds * 1000;
  }

  // ------------------------------------------------------------------ login

  private loginData(cookie: string | undefined): Answer {
    const headers: Record<string, string> = {};
    if (!cookie || !this.pending.has(cookie)) {
      const fresh = randomBytes(12).toString('hex');
      this.pending.set(fresh, new Map());
      headers['Set-Cookie'] = `NSSESSIONID=${fresh}; path=/; HttpOnly`;
    }
    return {
      status: 200, headers,
      body: {
        schoolLogin: true, esiaLogin: false, esiaMainAuth: false, esiaButton: false, signatureLogin: false, windowsAuth: false,
        enableSms: false, esaLogin: false, version: this.version, productName: PRODUCT,
      },
    };
  }

  private prepareLoginForm(): Answer {
    const s = this.school;
    return {
      status: 200,
      body: {
        countries: [{ id: 2, name: 'Российская Федерация' }], cid: 2,
        states: [{ id: 86, name: 'Ханты-Мансийский автономный округ - Югра' }], sid: 86,
        provinces: [{ kladr: '8600000500000', id: 5, name: 'городской округ Когалым' }], pid: 5,
        cities: [{ atoTypeName: 'г.', id: 1, name: 'Когалым' }], cn: 1,
        funcs: [{ id: 2, name: 'Общеобразовательная' }], sft: 2,
        schools: [{ id: s.id, name: s.loginName }], scid: s.id,
        hlevels: [], ems: null,
      },
    };
  }

  private searchSchools(name: string): Answer {
    const s = this.school;
    const needle = name.trim().toLowerCase();
    const found = [s.name, s.shortName, s.loginName].some((n) => n.toLowerCase().includes(needle));
    return {
      status: 200,
      body: found ? [{ id: s.id, inn: s.inn, ogrn: s.ogrn, name: s.loginName, shortName: s.shortName, cityId: 1, provinceId: 5, addressString: 'г. Когалым, ул. Мира, 1' }] : [],
    };
  }

  private getData(cookie: string | undefined): Answer {
    const forms = cookie ? this.pending.get(cookie) : undefined;
    if (!forms) return { status: 409, body: { message: 'Сессия устарела. Обновите страницу входа' } };
    const lt = String(100_000_000 + this.counter++ * 7919 + Math.floor(Math.random() * 7000));
    const issued = { ver: String(Math.floor(100_000_000 + Math.random() * 899_999_999)), salt: String(Math.floor(1_000_000_000 + Math.random() * 8_999_999_999)) };
    forms.set(lt, issued);
    return { status: 200, body: { lt, ...issued } };
  }

  private login(request: http.IncomingMessage, cookie: string | undefined, body: string): Answer {
    const referer = header(request, 'referer');
    // The server refuses a login that does not come from its own login page.
    if (!referer || !referer.startsWith(this.origin)) return { status: 403, text: 'Ошибка доступа' };
    const forms = cookie ? this.pending.get(cookie) : undefined;
    if (!forms) return { status: 409, body: { message: 'Сессия устарела. Обновите страницу входа' } };
    const form = new Map([...new URLSearchParams(body)].map(([k, v]) => [k.toLowerCase(), v]));
    if (this.now() < this.throttledUntil) {
      const at = new Date(this.throttledUntil + 5 * 3_600_000).toISOString().slice(11, 19);
      return { status: 409, body: { message: `Превышено количество попыток входа. Следующая попытка может быть совершена не ранее чем ${at}` } };
    }
    const lt = form.get('lt') ?? '';
    const issued = forms.get(lt);
    forms.delete(lt); // single use, whatever the outcome
    if (!issued || issued.ver !== form.get('ver')) return { status: 409, body: { message: 'Данные формы входа устарели. Обновите страницу' } };
    if (form.get('logintype') !== '1') return { status: 409, body: { message: 'Неизвестный способ входа' } };
    if (form.get('scid') !== String(this.school.id)) return this.failedLogin();
    const pw2 = md5(issued.salt + md5(iconv.encode(this.account.password, 'win1251')));
    const loginMatches = (form.get('un') ?? '').toLowerCase() === this.account.login.toLowerCase();
    if (!loginMatches || form.get('pw2') !== pw2 || form.get('pw') !== pw2.slice(0, this.account.password.length)) return this.failedLogin();
    this.failures = 0;
    const at = randomBytes(24).toString('hex').replace(/[a-f]/g, (c) => String(c.charCodeAt(0) % 10));
    this.sessions.set(at, { cookie: cookie!, lastAccess: this.now(), requests: 0, ended: false });
    const user = { id: 9001, name: 'Администратор журнала' };
    return {
      status: 200,
      body: {
        at, timeOut: this.account.timeOutSeconds, accessToken: null, refreshToken: null, tokenType: null,
        entryPoint: '/angular/school/main/', errorMessage: null, code: null, requestData: { warnType: null },
        accountInfo: {
          activeToken: null, secureActiveToken: false, currentOrganization: { id: this.school.id, name: this.school.name },
          organizations: [{ id: this.school.id, name: this.school.name }], user, userRoles: [], loginTime: new Date(this.now()).toISOString(),
          active: true, canLogin: true, storeTokens: false,
        },
      },
    };
  }

  private failedLogin(): Answer {
    this.failures++;
    if (this.failures >= this.account.throttleAfterFailures) {
      this.throttledUntil = this.now() + this.account.throttleSeconds * 1000;
      this.failures = 0;
    }
    return { status: 409, body: { message: 'Неправильный пароль или имя пользователя' } };
  }

  // ------------------------------------------------------------------ data

  private data(method: string, path: string, query: URLSearchParams, body: string): Answer {
    const s = this.school;
    const route = path.slice('/webapi/'.length);
    if (method === 'GET') {
      if (route === 'context') return { status: 200, body: this.context() };
      if (route === 'years/current') return { status: 200, body: this.schoolYear() };
      if (route === 'context/years') return { status: 200, body: [this.schoolYear()] };
      if (route === 'student/diary/init') return { status: 200, body: this.diaryInit() };
      if (route === 'student/diary') return this.diary(query);
      if (route === 'grade/assignment/types') return { status: 200, body: s.assignmentTypes.map((t) => ({ ...t })) };
      if (route === `schools/${s.id}/card`) return { status: 200, body: { commonInfo: { schoolName: s.shortName, fullSchoolName: s.name }, otherInfo: { inn: s.inn, ogrn: s.ogrn } } };
      const report = /^reports\/([a-z]+)$/.exec(route);
      if (report && (REPORTS as readonly string[]).includes(report[1])) return { status: 200, body: this.reportForm(report[1] as ReportName) };
      const file = /^files\/(\d+)$/.exec(route);
      if (file) return this.files.has(file[1]) ? { status: 200, html: this.files.get(file[1]) } : { status: 404, body: { message: 'Файл не найден' } };
    }
    if (method === 'POST') {
      const queue = /^(?:v2\/)?reports\/([a-z]+)\/queue$/.exec(route);
      if (queue && (REPORTS as readonly string[]).includes(queue[1])) return this.queueReport(queue[1] as ReportName, body);
      if (route === 'signalr/queueHub/startTaskAsync') return this.startTask(body);
    }
    return { status: 404, body: { message: `Нет такого метода: ${method} ${path}` } };
  }

  private schoolYear() {
    const { year } = this.school;
    return {
      globalYear: { startDate: year.startDate, endDate: year.endDate, id: 20, name: year.name },
      schoolId: this.school.id, startDate: year.startDate, endDate: year.endDate, closed: 'Open', id: year.id, name: year.name,
    };
  }

  private context() {
    return {
      userId: 9001, funcType: 'School', schoolId: this.school.id, schoolYearId: this.school.year.id, globalYearId: 20,
      productName: PRODUCT, version: this.version, organizationName: this.school.name,
      roles: ['Administrator'], rights: ['arAssignmentsViewComplete', 'arReportsView'],
      schoolyear: this.schoolYear(), user: { id: 9001, name: 'Администратор журнала' }, organization: { id: this.school.id, name: this.school.name },
      dateFormat: 'd\u0001mm\u0001yy\u0001.', timeFormat: 'h\u0001mm\u0001:\u0001\u0001',
    };
  }

  /** A staff account that sees every class gets every pupil of the school, as a parent gets their children. */
  private diaryInit() {
    const classes = new Map(this.school.classes.map((c) => [c.id, c]));
    return {
      students: this.school.students.map((st) => ({
        studentId: st.id, nickName: `${st.lastName} ${st.firstName}`, className: classes.get(st.classId)!.name, classId: st.classId, iupGrade: 0,
      })),
      currentStudentId: 0,
      weekStart: iso(mondayOf(this.school.today)),
      yaClass: false, yaClassAuthUrl: null, newDiskToken: null, newDiskWasRequest: false, ttsuRl: null, externalUrl: null,
      weight: false, maxMark: 5, withLaAssigns: true,
    };
  }

  private diary(query: URLSearchParams): Answer {
    const s = this.school;
    const student = s.students.find((st) => String(st.id) === query.get('studentId'));
    if (!student) return { status: 400, body: { message: 'Ученик не найден' } };
    if (query.get('yearId') !== String(s.year.id)) return { status: 400, body: { message: 'Неверный учебный год' } };
    const from = DATE.exec(query.get('weekStart') ?? '')?.[1];
    const to = DATE.exec(query.get('weekEnd') ?? '')?.[1] ?? (from && addDays(from, 6));
    if (!from || !to || to < from) return { status: 400, body: { message: 'Неверный период' } };
    const cls = s.classes.find((c) => c.id === student.classId)!;
    const malformed = new Set(this.faults.malformed ?? []);
    const meetings = s.classMeetings.filter((m) => m.classId === cls.id && from <= m.date && m.date <= to).sort((a, b) => a.date.localeCompare(b.date) || a.number - b.number);
    const ofMeeting = new Map<number, Assignment[]>(meetings.map((m) => [m.id, []]));
    for (const a of s.assignments) ofMeeting.get(a.classMeetingId)?.push(a);
    const byDay = new Map<string, unknown[]>();
    for (const m of meetings) {
      const assignments = ofMeeting.get(m.id)!.map((a) => {
        const key = `${a.id}:${student.id}`;
        const mark = s.marks.get(key);
        const served: Record<string, unknown> = { id: a.id, typeId: a.typeId, assignmentName: a.name, weight: a.weight, dueDate: iso(a.dueDate), classMeetingId: m.id };
        if (mark) served.mark = { assignmentId: a.id, studentId: student.id, mark: malformed.has(key) ? 7 : mark.mark, resultScore: null, dutyMark: mark.dutyMark };
        return served;
      });
      const day = malformed.has(String(m.id)) ? '2026-13-45T00:00:00' : iso(m.date);
      const lesson: Record<string, unknown> = {
        classmeetingId: m.id, day, number: m.number, relay: 1, room: m.room, startTime: m.startTime, endTime: m.endTime, subjectName: m.subjectName,
      };
      // Lessons without assignments have no `assignments` key at all.
      if (assignments.length > 0) lesson.assignments = assignments;
      lesson.isEaLesson = false;
      byDay.set(m.date, [...(byDay.get(m.date) ?? []), lesson]);
    }
    const term = this.termOfWeek(cls.termKind, from, to);
    return {
      status: 200,
      body: {
        weekStart: iso(from), weekEnd: iso(to),
        weekDays: [...byDay].map(([date, lessons]) => ({ date: iso(date), lessons })),
        laAssigns: [], termName: term?.name ?? null, className: cls.name,
      },
    };
  }

  /** The term a week belongs to: the last one that has begun by the week's end (during holidays, the one just over). */
  private termOfWeek(kind: string, from: string, to: string) {
    const terms = this.school.terms.filter((t) => t.kind === kind && t.start <= to);
    return terms.find((t) => t.start <= to && from <= t.end) ?? terms[terms.length - 1];
  }

  private reportForm(name: ReportName) {
    const s = this.school;
    const filters = [{ filterId: 'SID', filterType: 'SelectFilter', title: 'Ученик' }];
    if (name === 'studentgrades') filters.push({ filterId: 'period', filterType: 'DateRangeFilter', title: 'Период' });
    return {
      report: { id: name, name: name === 'studenttotalmarks' ? 'Итоговые отметки' : 'Отчет об успеваемости и посещаемости ученика', group: 'Успеваемость', level: 1, order: 1, filterPanel: { filters } },
      filterSources: [
        { filterId: 'SID', items: s.students.map((st) => ({ title: `${st.lastName} ${st.firstName}`, value: String(st.id) })), defaultValue: String(s.students[0]?.id ?? '') },
        ...(name === 'studentgrades' ? [{ filterId: 'period', range: { start: s.year.startDate, end: s.year.endDate }, defaultRange: { start: iso(mondayOf(s.today)), end: iso(s.today) } }] : []),
      ],
    };
  }

  private queueReport(name: ReportName, body: string): Answer {
    let request: { params?: { name: string; value: unknown }[]; selectedData?: { filterId: string; filterValue: string }[] };
    try {
      request = JSON.parse(body);
    } catch {
      return { status: 400, body: { message: 'Неверный формат запроса' } };
    }
    const filter = (id: string) => request.selectedData?.find((f) => f.filterId === id)?.filterValue;
    const year = request.params?.find((p) => p.name === 'SCHOOLYEARID')?.value;
    if (year !== undefined && String(year) !== String(this.school.year.id)) return { status: 400, body: { message: 'Неверный учебный год' } };
    const student: Student | undefined = this.school.students.find((st) => String(st.id) === filter('SID'));
    if (!student) return { status: 400, body: { message: 'Не выбран ученик' } };
    let html: string;
    if (name === 'studentgrades') {
      const period = /^(\d{4}-\d{2}-\d{2})(?:T[\d:]+)?\s*-\s*(\d{4}-\d{2}-\d{2})(?:T[\d:]+)?$/.exec(filter('period') ?? '');
      if (!period) return { status: 400, body: { message: 'Не выбран период' } };
      html = gradesReport(this.school, student, period[1], period[2]);
    } else {
      html = totalMarksReport(this.school, student);
    }
    const taskId = String(510_000 + this.counter++);
    const queueKey = randomBytes(8).toString('hex');
    this.tasks.set(taskId, { queueKey, html });
    return { status: 200, body: { taskId: Number(taskId), queueKey } };
  }

  /**
   * Stands for the SignalR queue hub: invoking startTaskAsync(taskId, queueKey) is answered with the
   * hub's `complete` message at once, whose data is the id of the report's file.
   */
  private startTask(body: string): Answer {
    let request: { taskId?: unknown; queueKey?: unknown };
    try {
      request = JSON.parse(body);
    } catch {
      return { status: 400, body: { message: 'Неверный формат запроса' } };
    }
    const task = this.tasks.get(String(request.taskId));
    if (!task || task.queueKey !== request.queueKey) return { status: 404, body: { message: 'Задание не найдено' } };
    this.tasks.delete(String(request.taskId));
    const fileId = String(880_000 + this.counter++);
    this.files.set(fileId, task.html);
    return { status: 200, body: { target: 'complete', arguments: [{ data: fileId, taskId: Number(request.taskId) }] } };
  }
}

function header(request: http.IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function cookies(request: http.IncomingMessage): Record<string, string> {
  return Object.fromEntries((request.headers.cookie ?? '').split(';').map((c) => c.trim().split('=')).filter((p) => p.length === 2 && p[0] !== ''));
}

function send(response: http.ServerResponse, answer: Answer, now: number): void {
  let payload: string;
  let type: string | undefined;
  if (answer.html !== undefined) [payload, type] = [answer.html, 'text/html; charset=utf-8'];
  else if (answer.text !== undefined) [payload, type] = [answer.text, 'text/plain; charset=utf-8'];
  else if (answer.body !== undefined) [payload, type] = [JSON.stringify(answer.body), 'application/json; charset=utf-8'];
  else payload = '';
  response.writeHead(answer.status, {
    ...(type ? { 'Content-Type': type } : {}),
    'Content-Length': Buffer.byteLength(payload),
    // The server's own clock, which a client may read "today" from.
    Date: new Date(now).toUTCString(),
    ...answer.headers,
  });
  response.end(payload);
}

async function readBody(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
