import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { Account, addDays, isPassFail, Lesson, Mark, periodOfDate, School, Student, Teacher, weekdayOf } from './school';
import { SeededRandom } from '../../simulator-kit/random';

/** Faults the simulator can inject; `setFaults({})` clears them. */
export interface Faults {
  /** Added to every answer. */
  latencyMs?: number;
  /** Share of data calls that fail with state 500, from a sequence seeded by the simulator's seed. */
  failureRate?: number;
  /** The next this-many requests (of any kind) fail: with `failNextWith` (default 503). */
  failNext?: number;
  failNextWith?: 500 | 502 | 503 | 429;
  /** Every Nth data call is throttled: state 429 with Retry-After: 1. */
  throttleEvery?: number;
  /** A session token stops working after this many data calls (state 401), as an expired session does. */
  expireTokensAfter?: number;
  /** Served broken: a mark id (its value becomes «5++»), a student id (the name goes missing). */
  malformed?: string[];
  /** Every connection is reset. */
  down?: boolean;
  /**
   * Errors answered with HTTP 200 and the error's state only inside the envelope. Whether real installs
   * do this is uncertain (reference 3.4 item 1): the simulator does both.
   */
  errorsAsHttp200?: boolean;
}

export interface RequestLogEntry {
  method: string;
  /** The API method (getdiary …). */
  call: string;
  params: Record<string, string>;
  /** The envelope's state; 0 when the connection was reset. */
  state: number;
  httpStatus: number;
}

export interface Credentials {
  devkey: string;
  /** The account the school gives journal-hub: it sees every student. */
  hubLogin: string;
  hubPassword: string;
}

interface Session { token: string; account: Account; uses: number; expires: Date }

interface Answer { status: number; body: unknown; headers?: Record<string, string>; unwrapped?: boolean }

const WEEKDAYS = ['Понедельник', 'Вторник', 'Среда', 'Четверг', 'Пятница', 'Суббота', 'Воскресенье'];
const BELLS = [['08:30', '09:10'], ['09:25', '10:05'], ['10:25', '11:05'], ['11:25', '12:05'], ['12:25', '13:05'], ['13:20', '14:00'], ['14:15', '14:55'], ['15:05', '15:45']];
const DEVELOPER_REFUSED = 'не удалось авторизовать разработчика';

const ymd = (date: string) => date.replace(/-/g, '');
const dmy = (date: string) => `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
const shortName = (t: { lastName: string; firstName: string; middleName: string }) => `${t.lastName} ${t.firstName[0]}.${t.middleName[0]}.`;
const fullName = (t: { lastName: string; firstName: string; middleName: string }) => `${t.lastName} ${t.firstName} ${t.middleName}`;
const stamp = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');

class Refusal extends Error {
  constructor(readonly state: number, message: string) {
    super(message);
  }
}

/**
 * The ЭлЖур API as a client sees it: `/api/<method>` and `/apiv3/<method>`, devkey + vendor + out_format +
 * auth_token in the query, login by query, form or JSON body, the {response:{state,error,result}}
 * envelope (and the unwrapped `getusersvendors`), days keyed YYYYMMDD, ids and numbers as strings.
 */
export class EljurServer {
  readonly log: RequestLogEntry[] = [];
  /** The most requests answered at once, to see a client's parallelism. */
  maxInFlight = 0;
  private inFlight = 0;
  private faults: Faults = {};
  private random: SeededRandom;
  private dataCalls = 0;
  private readonly sessions = new Map<string, Session>();
  private readonly vTokens = new Map<string, string>();

  constructor(readonly school: School, private readonly credentials: Credentials, private readonly seed: number, private readonly today: () => string) {
    this.random = new SeededRandom(seed ^ 0x5eed);
  }

  setFaults(faults: Faults): void {
    for (const [name, value] of Object.entries(faults)) {
      if (['latencyMs', 'failNext', 'throttleEvery', 'expireTokensAfter'].includes(name) && !(Number.isInteger(value) && (value as number) >= 0)) throw new RangeError(`${name} must be a whole number from 0`);
      if (name === 'failureRate' && !((value as number) >= 0 && (value as number) <= 1)) throw new RangeError('failureRate must be from 0 to 1');
    }
    this.faults = { ...faults };
    this.random = new SeededRandom(this.seed ^ 0x5eed);
    this.dataCalls = 0;
  }

  /** Ends every session: the next data call of each is refused as expired. */
  expireSessions(): void {
    for (const s of this.sessions.values()) s.expires = new Date(0);
  }

  /** A v_token (an RS256-shaped JWT) as the Госуслуги chain would give the account, for getusersvendors. */
  vTokenFor(login: string): string {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const token = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ sub: login, iss: 'esia' })}.${randomBytes(32).toString('base64url')}`;
    this.vTokens.set(token, login);
    return token;
  }

  handler = (request: http.IncomingMessage, response: http.ServerResponse) => {
    this.handle(request, response).catch(() => request.socket.destroy());
  };

  private async handle(request: http.IncomingMessage, response: http.ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://simulator');
    const match = /^\/(api|apiv3)\/([a-z_]+)\/?$/i.exec(url.pathname);
    const call = match?.[2].toLowerCase() ?? url.pathname;
    const entry: RequestLogEntry = { method: request.method ?? 'GET', call, params: Object.fromEntries(url.searchParams), state: 0, httpStatus: 0 };
    this.log.push(entry);
    if (this.faults.down) return request.socket.resetAndDestroy();
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const body = await readBody(request);
      if (this.faults.latencyMs) await new Promise((r) => setTimeout(r, this.faults.latencyMs));
      let answer: Answer;
      try {
        answer = match ? this.answer(call, request, url.searchParams, body) : refusal(404, `метод ${url.pathname} не найден`);
      } catch (error) {
        answer = error instanceof Refusal ? refusal(error.state, error.message) : refusal(500, `внутренняя ошибка: ${String(error)}`);
      }
      const state = answer.unwrapped ? answer.status : ((answer.body as { response: { state: number } }).response.state);
      // Some installs answer every error with HTTP 200 and the state only in the body.
      const status = this.faults.errorsAsHttp200 && !answer.unwrapped ? 200 : answer.status;
      entry.state = state;
      entry.httpStatus = status;
      const payload = JSON.stringify(answer.body);
      response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(payload), ...answer.headers });
      response.end(payload);
    } finally {
      this.inFlight--;
    }
  }

  private answer(call: string, request: http.IncomingMessage, query: URLSearchParams, body: string): Answer {
    if (this.faults.failNext && this.faults.failNext > 0) {
      this.faults.failNext--;
      const state = this.faults.failNextWith ?? 503;
      return { ...refusal(state, state === 429 ? 'слишком много запросов' : 'сервис временно недоступен'), headers: state === 429 ? { 'Retry-After': '1' } : {} };
    }
    const params = new Map(query);
    // Login and password may come in the query, a form body or a JSON body (clients differ).
    const type = String(request.headers['content-type'] ?? '');
    if (body && type.includes('application/json')) {
      const json = JSON.parse(body) as Record<string, unknown>;
      for (const [k, v] of Object.entries(json)) params.set(k, String(v));
    } else if (body) {
      for (const [k, v] of new URLSearchParams(body)) params.set(k, v);
    }
    const get = (name: string) => params.get(name) ?? '';

    if (call === 'getusersvendors') return this.usersVendors(get('v_token'));
    if (get('devkey') !== this.credentials.devkey) throw new Refusal(400, DEVELOPER_REFUSED);
    if (get('vendor') !== this.school.vendor) throw new Refusal(400, `школа «${get('vendor')}» не найдена`);
    if (call === 'auth') return ok(this.auth(get('login'), get('password')));

    const session = this.sessions.get(get('auth_token'));
    if (!get('auth_token')) throw new Refusal(401, 'требуется авторизация: не передан auth_token');
    if (!session) throw new Refusal(401, 'неверный токен авторизации');
    session.uses++;
    if (session.expires.getTime() < Date.now() || (this.faults.expireTokensAfter !== undefined && session.uses > this.faults.expireTokensAfter)) {
      throw new Refusal(401, 'срок действия токена истёк, авторизуйтесь заново');
    }
    this.dataCalls++;
    const draw = this.random.next();
    if (this.faults.throttleEvery && this.dataCalls % this.faults.throttleEvery === 0) return { ...refusal(429, 'слишком много запросов'), headers: { 'Retry-After': '1' } };
    if (this.faults.failureRate && draw < this.faults.failureRate) throw new Refusal(500, 'внутренняя ошибка сервера');

    const account = session.account;
    switch (call) {
      case 'getrules': return ok(this.rules(account));
      case 'getperiods': return ok(this.periods(account, get('student'), get('weeks') === 'true' || get('weeks') === '1', get('show_disabled')));
      case 'getdiary': return ok(this.diary(account, get('student'), get('days'), get('rings') === 'true' || get('rings') === '1'));
      case 'getmarks': return ok(this.marks(account, get('student'), get('days')));
      case 'getfinalassessments': return ok(this.finals(account, get('student')));
      case 'gethomework': return ok(this.homework(account, get('student'), get('class'), get('days')));
      default: throw new Refusal(404, `метод ${call} не поддерживается`);
    }
  }

  // ---------------------------------------------------------------- sign-in

  private auth(login: string, password: string) {
    if (!login || !password) throw new Refusal(400, 'не указан логин или пароль');
    const account = this.account(login);
    if (!account || (login === this.credentials.hubLogin ? password !== this.credentials.hubPassword : account.password !== password)) {
      throw new Refusal(400, 'неверный логин или пароль');
    }
    const expires = new Date(Date.now() + 90 * 86_400_000);
    const token = randomBytes(20).toString('hex');
    this.sessions.set(token, { token, account, uses: 0, expires });
    return { token, expires: stamp(expires) };
  }

  private usersVendors(vToken: string): Answer {
    const login = this.vTokens.get(vToken);
    const account = login ? this.account(login) : undefined;
    if (!account) return { status: 400, unwrapped: true, body: { error: 'недействительный v_token', result: false } };
    const { token, expires } = this.auth(account.login, login === this.credentials.hubLogin ? this.credentials.hubPassword : account.password);
    return {
      status: 200, unwrapped: true,
      body: { result: [{ token, vendor: this.school.vendor, vendor_id: this.school.vendorId, vendor_title: this.school.title, user_title: fullName(account), login: account.login, expires }] },
    };
  }

  private account(login: string): Account | undefined {
    if (login === this.credentials.hubLogin) {
      return {
        login, password: this.credentials.hubPassword, userId: '1', roles: ['administrator'], studentIds: this.school.students.map((s) => s.id),
        lastName: 'Интеграция', firstName: 'Журнал', middleName: 'Хаб',
      };
    }
    return this.school.accounts.find((a) => a.login === login);
  }

  // ---------------------------------------------------------------- data

  /** The students a call is about: the one asked for (which the account must see), else all the account sees. */
  private studentsOf(account: Account, studentId: string): Student[] {
    const visible = new Set(account.login === this.credentials.hubLogin ? this.school.students.map((s) => s.id) : account.studentIds);
    if (studentId) {
      const s = this.school.students.find((x) => x.id === studentId);
      if (!s || !visible.has(studentId)) throw new Refusal(403, `нет доступа к ученику ${studentId}`);
      return [s];
    }
    return this.school.students.filter((s) => visible.has(s.id));
  }

  private studentCard(s: Student) {
    const malformed = this.faults.malformed?.includes(s.id);
    return {
      name: s.id, title: malformed ? '' : `${s.lastName} ${s.firstName}`, firstname: s.firstName, lastname: malformed ? '' : s.lastName, middlename: s.middleName,
    };
  }

  private rules(account: Account) {
    const students = this.studentsOf(account, '');
    const classes = this.school.classes.filter((c) => students.some((s) => s.className === c.name));
    const teacher = (id: string) => this.school.teachers.find((t) => t.id === id)!;
    const parent = account.roles.includes('parent');
    return {
      name: account.userId, id: account.userId, title: fullName(account), firstname: account.firstName, lastname: account.lastName, middlename: account.middleName,
      gender: null, roles: account.roles, vendor: this.school.vendor, vendor_id: this.school.vendorId, vuid: `${this.school.vendorId}#${account.userId}`,
      city: 'Когалым', region: 'Ханты-Мансийский автономный округ — Югра', regionCode: '86', email: '',
      relations: {
        students: Object.fromEntries(students.map((s) => [s.id, {
          ...this.studentCard(s), class: s.className, parallel: Number.parseInt(s.className, 10), gender: s.gender, city: 'Когалым',
          rel: parent ? 'child' : account.roles.includes('student') ? 'self' : 'student', rules: [],
        }])),
        groups: Object.fromEntries(classes.map((c) => {
          const t = teacher(c.hometeacherId);
          return [c.name, {
            name: c.name, parallel: c.parallel, rel: parent ? 'child' : 'student', balls: 0, hometeacher_id: t.id, hometeacher_name: fullName(t),
            hometeacher_lastname: t.lastName, hometeacher_firstname: t.firstName, hometeacher_middlename: t.middleName, rules: [],
          }];
        })),
        schools: [{ number: this.school.number, title: this.school.title, title_full: this.school.titleFull, inn: '8608000000', kpp: '860801001' }],
      },
      uploadFileUrl: 'https://eljur.ru/upload', allowedSections: ['diary', 'marks', 'messages'], supportEmail: 'support@eljur.ru',
    };
  }

  private classOf(s: Student) {
    return this.school.classes.find((c) => c.name === s.className)!;
  }

  private periods(account: Account, studentId: string, weeks: boolean, showDisabled: string) {
    return {
      students: this.studentsOf(account, studentId).map((s) => ({
        name: s.id, title: `${s.lastName} ${s.firstName}`,
        periods: [
          ...this.classOf(s).periods.map((p) => ({
            name: p.name, fullname: p.fullname, start: ymd(p.start), end: ymd(p.end), disabled: null, ambigious: null,
            ...(weeks ? { weeks: weeksOf(p.start, p.end).map((w) => ({ start: ymd(w.start), end: ymd(w.end), title: `${dmy(w.start).slice(0, 5)} - ${dmy(w.end).slice(0, 5)}` })) } : {}),
          })),
          // The whole year is a period too, switched off for marking until the year's end.
          ...(showDisabled === 'true' || showDisabled === '1' ? [{ name: 'Год', fullname: 'Учебный год', start: ymd(this.classOf(s).periods[0].start), end: ymd(this.classOf(s).periods.at(-1)!.end), disabled: true, ambigious: null }] : []),
        ],
      })),
    };
  }

  /** `days`: YYYYMMDD-YYYYMMDD, one day YYYYMMDD, or Y.m.d; without it, the current week. */
  private days(days: string): string[] {
    const one = (s: string) => {
      const m = /^(\d{4})\.?(\d{2})\.?(\d{2})$/.exec(s.trim());
      if (!m) throw new Refusal(400, `неверный формат параметра days: «${days}»`);
      return `${m[1]}-${m[2]}-${m[3]}`;
    };
    let from: string;
    let to: string;
    if (!days) {
      from = addDays(this.today(), 1 - weekdayOf(this.today()));
      to = addDays(from, 6);
    } else {
      const [a, b] = days.split('-');
      from = one(a);
      to = b === undefined ? from : one(b);
    }
    if (to < from || Date.parse(to) - Date.parse(from) > 370 * 86_400_000) throw new Refusal(400, `неверный диапазон days: «${days}»`);
    const out: string[] = [];
    for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
    return out;
  }

  private lessonsOf(s: Student, dates: Set<string>): Lesson[] {
    const group = `Группа ${s.englishGroup}`;
    if (!this.lessonsIndex) {
      this.lessonsIndex = new Map();
      for (const l of this.school.lessons) this.lessonsIndex.set(`${l.className}:${l.date}`, [...(this.lessonsIndex.get(`${l.className}:${l.date}`) ?? []), l]);
    }
    return [...dates].flatMap((d) => this.lessonsIndex!.get(`${s.className}:${d}`) ?? []).filter((l) => !l.grp || l.grp === group);
  }

  private marksIndex: Map<string, Mark[]> | null = null;
  private lessonsIndex: Map<string, Lesson[]> | null = null;

  /** Forgets the indexes after the data changed. */
  invalidate(): void {
    this.marksIndex = null;
    this.lessonsIndex = null;
  }

  private marksOf(studentId: string, lessonId: string): Mark[] {
    if (!this.marksIndex) {
      this.marksIndex = new Map();
      for (const m of this.school.marks) {
        const key = `${m.studentId}:${m.lessonId}`;
        this.marksIndex.set(key, [...(this.marksIndex.get(key) ?? []), m]);
      }
    }
    return this.marksIndex.get(`${studentId}:${lessonId}`) ?? [];
  }

  private assessment(m: Mark, l: Lesson, place: number, forMarks: boolean) {
    const value = this.faults.malformed?.includes(m.id) ? '5++' : m.value;
    if (m.value === 'н' || m.value === 'оп') {
      return { value, countas: 0, count: false, convert: 0, comment: m.comment, date: l.date, lesson_id: l.id, nm: String(place), ...(forMarks ? { lesson_comment: null } : {}) };
    }
    const digit = /^[1-5]/.test(m.value) ? Number(m.value[0]) : 0;
    const weight = m.kind?.weight ?? 1;
    const kind = m.kind
      ? forMarks ? { mtype: { id: m.kind.id, short: m.kind.short, type: m.kind.type } } : { control_type: m.kind.type, control_type_short: m.kind.short }
      : {};
    return {
      value, countas: digit ? String(digit) : '0', count: digit > 0, convert: digit, weight: Math.round(weight), weight_float: weight,
      comment: m.comment, date: l.date, lesson_id: l.id, nm: String(place), ...(forMarks ? { lesson_comment: null, max_mark: null } : { color_hex: null }), ...kind,
    };
  }

  private diary(account: Account, studentId: string, days: string, rings: boolean) {
    const dates = this.days(days);
    const teachers = new Map(this.school.teachers.map((t) => [t.id, t]));
    return {
      students: Object.fromEntries(this.studentsOf(account, studentId).map((s) => {
        const periods = this.classOf(s).periods;
        const lessons = this.lessonsOf(s, new Set(dates));
        const out: Record<string, unknown> = {};
        for (const date of dates) {
          const weekday = weekdayOf(date);
          if (weekday > 5) continue;
          const ofDay = lessons.filter((l) => l.date === date).sort((a, b) => a.num - b.num);
          const day: Record<string, unknown> = { name: ymd(date), title: `${WEEKDAYS[weekday - 1]}, ${dmy(date)}` };
          if (!periodOfDate(periods, date)) day.holiday_name = 'Каникулы';
          day.items = Object.fromEntries(ofDay.map((l) => [String(l.num), this.item(s, l, teachers.get(l.teacherId)!, rings)]));
          day.items_extday = [];
          out[ymd(date)] = day;
        }
        return [s.id, { name: s.id, title: `${s.lastName} ${s.firstName}`, parent_signed: false, days: out }];
      })),
    };
  }

  private item(s: Student, l: Lesson, teacher: Teacher, rings: boolean) {
    const marks = this.marksOf(s.id, l.id);
    return {
      num: String(l.num), sort: l.num, name: l.subject, room: l.room, teacher: shortName(teacher), topic: l.topic,
      ...(l.grp ? { grp: l.grp, grp_short: l.grp.replace('Группа ', 'гр.') } : {}),
      lesson_id: l.id, is_control: l.control !== null,
      homework: Object.fromEntries(l.homework.filter((h) => !h.individual || h.studentId === s.id).map((h) => [String(h.id), { id: h.id, value: h.value, individual: h.individual }])),
      files: [], resources: [],
      ...(marks.length ? { assessments: marks.map((m, i) => this.assessment(m, l, i + 1, false)) } : {}),
      ...(rings ? { starttime: `${BELLS[l.num - 1]?.[0] ?? '16:00'}:00`, endtime: `${BELLS[l.num - 1]?.[1] ?? '16:40'}:00` } : {}),
    };
  }

  private marks(account: Account, studentId: string, days: string) {
    const dates = new Set(this.days(days));
    return {
      students: Object.fromEntries(this.studentsOf(account, studentId).map((s) => {
        const lessons = this.lessonsOf(s, dates).sort((a, b) => a.date.localeCompare(b.date) || a.num - b.num);
        const bySubject = new Map<string, Lesson[]>();
        for (const l of lessons) bySubject.set(l.subject, [...(bySubject.get(l.subject) ?? []), l]);
        return [s.id, {
          name: s.id, title: `${s.lastName} ${s.firstName}`,
          lessons: [...bySubject].map(([subject, ls]) => {
            const marks = ls.flatMap((l) => this.marksOf(s.id, l.id).map((m, i) => this.assessment(m, l, i + 1, true)));
            const numeric = marks.filter((m) => m.count);
            const average = numeric.length ? numeric.reduce((sum, m) => sum + Number(m.convert) * Number((m as { weight_float?: number }).weight_float ?? 1), 0) / numeric.reduce((sum, m) => sum + Number((m as { weight_float?: number }).weight_float ?? 1), 0) : 0;
            return { name: subject, lesson_id: ls[0].id, average: average.toFixed(2), averageConvert: Math.round(average), color_hex: null, marks };
          }),
        }];
      })),
    };
  }

  private finals(account: Account, studentId: string) {
    return {
      students: Object.fromEntries(this.studentsOf(account, studentId).map((s) => {
        const own = this.school.finals.filter((f) => f.studentId === s.id);
        const subjects = [...new Set(own.map((f) => f.subject))];
        return [s.id, {
          name: s.id, title: `${s.lastName} ${s.firstName}`,
          items: subjects.map((subject) => ({
            name: subject,
            assessments: own.filter((f) => f.subject === subject).map((f) => ({
              period: f.period, value: f.value, comment: '', convert: isPassFail(subject) ? 0 : Number(f.value[0]) || 0, color_hex: null,
            })),
          })),
        }];
      })),
    };
  }

  private homework(account: Account, studentId: string, className: string, days: string) {
    const dates = new Set(this.days(days));
    const students = className ? [] : this.studentsOf(account, studentId);
    const shape = (lessons: Lesson[]) => {
      const out: Record<string, { name: string; title: string; items: Record<string, unknown> }> = {};
      for (const l of lessons.filter((x) => x.homework.length > 0)) {
        const day = (out[ymd(l.date)] ??= { name: ymd(l.date), title: `${WEEKDAYS[weekdayOf(l.date) - 1]}, ${dmy(l.date)}`, items: {} });
        day.items[l.subject] = { name: l.subject, homework: Object.fromEntries(l.homework.filter((h) => !h.individual).map((h) => [String(h.id), { id: h.id, value: h.value, individual: h.individual }])), files: [] };
      }
      return out;
    };
    if (className) {
      const visible = this.studentsOf(account, '').some((s) => s.className === className);
      if (!visible) throw new Refusal(403, `нет доступа к классу ${className}`);
      return { classes: { [className]: { name: className, days: shape(this.school.lessons.filter((l) => l.className === className && dates.has(l.date))) } } };
    }
    return { students: Object.fromEntries(students.map((s) => [s.id, { name: s.id, title: `${s.lastName} ${s.firstName}`, days: shape(this.lessonsOf(s, dates)) }])) };
  }
}

/** Monday-to-Sunday weeks cut to the period. */
export function weeksOf(start: string, end: string): { start: string; end: string }[] {
  const weeks: { start: string; end: string }[] = [];
  for (let from = start; from <= end;) {
    const sunday = addDays(from, 7 - weekdayOf(from));
    weeks.push({ start: from, end: sunday < end ? sunday : end });
    from = addDays(sunday, 1);
  }
  return weeks;
}

const ok = (result: unknown): Answer => ({ status: 200, body: { response: { state: 200, error: null, result } } });
const refusal = (state: number, error: string): Answer => ({ status: state, body: { response: { state, error, result: {} } } });

async function readBody(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').slice(0, 64 * 1024);
}
