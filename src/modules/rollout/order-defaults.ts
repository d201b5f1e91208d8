/**
 * The order's own figures and lists (order No. 256 of 26.03.2012, Appendices 1–3), used as the
 * defaults of a new campaign: the directorate edits them for another year or municipality
 * (DESIGN rule 11). Dates are day and month; a campaign of year Y places them in Y (and Y + 1 for
 * what the order dates in the next January).
 */
export type Stage = '1.1' | '1.2' | '2' | '3';

interface DayMonth {
  day: number;
  month: number;
  /** 1 when the order dates it in the year after the campaign's (01.01.2013 for a 2012 campaign). */
  nextYear?: 1;
}

export const ORDER_DEADLINES = {
  /** Item 3.3: the responsible person appointed by 10.04. */
  responsible: { day: 10, month: 4 } as DayMonth,
  /** Items 3.4–3.5: the plan approved and sent to the directorate by 18.04. */
  plan: { day: 18, month: 4 } as DayMonth,
};

export const ORDER_ACTIVITIES: { stage: Stage; deadline: DayMonth | null; titles: string[] }[] = [
  {
    stage: '1.1',
    deadline: { day: 18, month: 4 },
    titles: [
      'Назначение ответственного лица за введение и использование электронных дневников и электронного журнала успеваемости',
      'Анализ готовности учреждения к введению электронных дневников и электронного журнала успеваемости',
      'Выбор, установка и настройка информационной системы электронного дневника и электронного журнала успеваемости',
      'Разработка и утверждение плана работы по введению электронных дневников и электронного журнала успеваемости и его предоставление в Управление образования',
    ],
  },
  {
    stage: '1.2',
    deadline: { day: 15, month: 5 },
    titles: [
      'Создание рабочей группы по разработке локальных актов (при необходимости)',
      'Разработка локальных актов: положение, регламент, инструкции, рекомендации (при их отсутствии)',
      'Внесение изменений и дополнений в имеющиеся локальные акты, в том числе в функциональные должностные обязанности',
      'Согласование (или принятие) локальных актов органами самоуправления учреждения',
      'Заключение договора со сторонней организацией (при необходимости), в том числе об ответственности за сохранность персональных данных',
      'Утверждение новых локальных актов, изменений и дополнений; их размещение на официальном сайте учреждения',
      'Ознакомление педагогических работников, обучающихся и родителей с возможностями системы и локальными актами; родительские собрания',
      'Приём и регистрация заявлений родителей (законных представителей)',
      'Заполнение необходимых баз данных информационной системы',
    ],
  },
  {
    stage: '2',
    deadline: { day: 1, month: 1, nextYear: 1 },
    titles: [
      'Продолжение приёма и регистрации заявлений родителей (законных представителей)',
      'Заполнение и обновление необходимых баз данных информационной системы',
      'Обучение навыкам работы в системе педагогических работников, обучающихся и родителей; консультативная техническая и методическая помощь',
      'Размещение на официальном сайте учреждения ссылки на информационную систему',
      'Выдача индивидуальных логинов и паролей',
      'Работа педагогических работников по заполнению электронных дневников и электронного журнала',
      'Активация пользователей (родителей) в информационной системе',
    ],
  },
  {
    stage: '3',
    deadline: null,
    titles: ['Функционирование информационной системы электронных дневников и электронного журнала успеваемости (постоянно)'],
  },
];

/** Appendix 3 is reported on these dates. */
export const ORDER_REPORTING_DATES: DayMonth[] = [
  { day: 15, month: 5 }, { day: 20, month: 9 }, { day: 15, month: 10 }, { day: 15, month: 11 }, { day: 25, month: 12 },
];

/** Stage 2: parent activation of 30–40 % by 20.09, 41–60 % by 15.10, 61–100 % by 15.11, 100 % from 01.01. */
export const ORDER_ACTIVATION_TARGETS: { by: DayMonth; min: number; max: number }[] = [
  { by: { day: 20, month: 9 }, min: 30, max: 40 },
  { by: { day: 15, month: 10 }, min: 41, max: 60 },
  { by: { day: 15, month: 11 }, min: 61, max: 100 },
  { by: { day: 1, month: 1, nextYear: 1 }, min: 100, max: 100 },
];

export const inYear = (d: DayMonth, year: number) =>
  `${year + (d.nextYear ?? 0)}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

/** Appendix 2: the conditions of keeping the e-journal, by level. */
export const READINESS_ITEMS = [
  { code: 'local_acts', level: 'mandatory', title: 'Локальные акты учреждения, регулирующие ведение ЭЖ' },
  { code: 'network', level: 'mandatory', title: 'Работающая компьютерная сеть Интернет (проводная и/или беспроводная)' },
  { code: 'staff_access', level: 'mandatory', title: 'Доступ к ЭЖ для педагогических работников и заместителей директора' },
  { code: 'computer_class', level: 'minimal', title: 'Компьютерный класс или сопоставимое число иных точек доступа к ЭЖ' },
  { code: 'staffroom_access', level: 'minimal', title: 'Открытый доступ учителей к ЭЖ, например, в учительской' },
  { code: 'access_schedule', level: 'minimal', title: 'График работы точек доступа, достаточный для ввода данных' },
  { code: 'help_regulation', level: 'minimal', title: 'Регламент оказания технической и методической помощи учителям' },
  { code: 'access_every_classroom', level: 'optimal', title: 'Доступ к ЭЖ в каждом классе' },
  { code: 'mobile_access_every_teacher', level: 'prospective', title: 'Мобильный доступ к ЭЖ у каждого учителя' },
] as const;

export type ReadinessItemCode = (typeof READINESS_ITEMS)[number]['code'];
export type ReadinessLevel = 'below_minimum' | 'mandatory' | 'minimal' | 'optimal' | 'prospective';

/**
 * The highest level whose conditions, and those of every level below it, are all met. The two full
 * conditions are cumulative too: prospective (mobile access for every teacher) builds on optimal.
 */
export function readinessLevel(satisfied: ReadonlySet<string>): ReadinessLevel {
  const met = (level: string) => READINESS_ITEMS.filter((i) => i.level === level).every((i) => satisfied.has(i.code));
  if (!met('mandatory')) return 'below_minimum';
  if (!met('minimal')) return 'mandatory';
  if (!met('optimal')) return 'minimal';
  if (!met('prospective')) return 'optimal';
  return 'prospective';
}
