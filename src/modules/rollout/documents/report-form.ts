/**
 * The wording of Appendix 3 (Управление образования, 26.03.2012 № 256) filled from a report: the
 * title, the 15 items with their sub-items and the problems, as text. `report-docx.ts` only lays it
 * out. The «Приложение 3 к приказу…» header and the closing «Примечание» (an instruction to the
 * school) are not printed.
 */
import {
  approvalDetails,
  classShareSetText,
  percentText,
  reportDate,
  responsibleText,
  schoolName,
  sharesText,
  UNKNOWN,
  yesNoText,
} from './report-values';
import { ActRef, RolloutReportData } from './rollout-report';

/**
 * What the «Выполнение» cell holds: the school's answer (one paragraph per line), or, on a row whose
 * answers are in its sub-items, the form's own italic note saying what those answers are.
 */
export type FormCell = { kind: 'answer'; lines: string[] } | { kind: 'note'; text: string };

export interface FormItem {
  /** «1.», «4.1.» */
  number: string;
  text: string;
  cell: FormCell;
  subItem: boolean;
}

export interface ReportForm {
  /** File metadata. */
  title: string;
  /** Shown as «ПРОЕКТ»: not yet submitted, or returned to the school for changes. */
  draft: boolean;
  heading: { title: string; subject: string; asOf: string };
  items: FormItem[];
  problems: { problem: string; solution: string }[];
}

const answer = (...lines: string[]): FormCell => ({ kind: 'answer', lines });
const note = (text: string): FormCell => ({ kind: 'note', text });

const item = (number: string, text: string, cell: FormCell): FormItem => ({ number: `${number}.`, text, cell, subItem: number.includes('.') });

/** Free text keeps the school's line breaks; none at all is unknown. */
const freeText = (value: string | null): FormCell => {
  const lines = (value ?? '').split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  return answer(...(lines.length ? lines : [UNKNOWN]));
};

/**
 * Items 4 and 5: the acts are the sub-items (title, then how it was approved), and the item's own cell
 * keeps the form's note. With no acts there is nothing to list, so the item itself says «—».
 */
function actItems(number: string, text: string, acts: ActRef[], field: string): FormItem[] {
  if (!acts.length) return [item(number, text, answer(UNKNOWN))];
  return [
    item(number, text, note('(реквизиты утверждения)')),
    ...acts.map((act, i) => {
      const details = approvalDetails(act, `${field}.${i}`);
      // «утв.» rather than «утверждён/утверждено/утверждена»: the title's gender is the school's wording.
      return item(`${number}.${i + 1}`, act.title.trim(), answer(details ? `утв. приказом ${details}` : UNKNOWN));
    }),
  ];
}

const GROUPS = [
  ['teachers', 'педагогические работники'],
  ['parents', 'родители (законные представители)'],
  ['students', 'обучающиеся'],
] as const;

export function rolloutReportForm(report: RolloutReportData): ReportForm {
  const { items } = report;
  const school = schoolName(report.school.shortName);
  const asOf = reportDate(report.reportingDate, 'reportingDate');
  const plan = approvalDetails(items.plan, 'items.plan');
  const fullness = items.databaseFullness;

  const rows: FormItem[] = [
    item(
      '1',
      'Назначение ответственного лица за введение и использование электронных дневников и электронного журнала успеваемости.',
      answer(responsibleText(items.responsiblePerson)),
    ),
    item(
      '2',
      `Информационная система электронного дневника и электронного журнала успеваемости, вводимая в ${school}:`,
      answer(items.systemName.trim() || UNKNOWN),
    ),
    item(
      '3',
      'Наличие плана работы по введению электронных дневников и электронного журнала успеваемости.',
      answer(plan ? `утверждён приказом ${plan}` : UNKNOWN),
    ),
    ...actItems('4', 'Наличие локальных актов (указать конкретно названия)', items.localActs, 'items.localActs'),
    ...actItems(
      '5',
      'Внесение необходимых изменений и дополнений в имеющиеся в муниципальном общеобразовательном учреждении локальные акты, ' +
        'в том числе в функциональные должностные обязанности лиц, участвующих в введении и использовании электронных дневников ' +
        'учащихся и электронного журнала успеваемости.',
      items.amendments,
      'items.amendments',
    ),
    item(
      '6',
      'Ознакомление с возможностями информационной системы электронного дневника и электронного журнала успеваемости, ' +
        'локальными актами по ее использованию:',
      note('охват (в %)'),
    ),
    ...GROUPS.map(([group, text], i) =>
      item(`6.${i + 1}`, text, answer(percentText(items.familiarization[group], `items.familiarization.${group}`))),
    ),
    item(
      '7',
      'Формы ознакомления педагогических работников, обучающихся и их родителей (законных представителей)',
      freeText(items.familiarizationForms),
    ),
    item(
      '8',
      'Прием и регистрация заявлений родителей (законных представителей) о предоставлении информации о текущей успеваемости ' +
        'через информационную систему электронного дневника и электронного журнала успеваемости.',
      answer(classShareSetText(items.applications, 'items.applications', 'родителей')),
    ),
    item(
      '9',
      'Заполнение необходимых баз данных информационной системы электронного дневника и электронного журнала успеваемости.',
      answer(
        sharesText(
          fullness.percent,
          fullness.parts.map((part) => ({ label: part.name, percent: part.percent })),
          'items.databaseFullness.percent',
          'items.databaseFullness.parts',
          'от необходимого объема',
        ),
      ),
    ),
    item(
      '10',
      'Обучение навыкам работы в информационной системе электронного дневника и электронного журнала успеваемости, ' +
        'оказание консультативной технической и методической помощи',
      note('охват (в %)'),
    ),
    ...GROUPS.map(([group, text], i) => item(`10.${i + 1}`, text, answer(percentText(items.training[group], `items.training.${group}`)))),
    item(
      '11',
      'Наличие на официальном сайте муниципального общеобразовательного учреждения ссылки на информационную систему ' +
        'электронного дневника и электронного журнала успеваемости',
      answer(yesNoText(items.websiteLink)),
    ),
    item(
      '12',
      'Выдача индивидуальных логинов и паролей для доступа к электронному дневнику учащегося и электронному журналу успеваемости:',
      note('охват (в %) с указанием классов'),
    ),
    item('12.1', 'родители (законные представители)', answer(classShareSetText(items.logins.parents, 'items.logins.parents'))),
    item('12.2', 'педагогические работники', answer(percentText(items.logins.teachers.percent, 'items.logins.teachers.percent'))),
    item(
      '12.3',
      'обучающиеся (если предусмотрено информационной системой)',
      answer(classShareSetText(items.logins.students, 'items.logins.students')),
    ),
    item(
      '13',
      'Доля педагогических работников, работающих в информационной системе электронного дневника и электронного журнала успеваемости.',
      answer(percentText(items.teachersWorking, 'items.teachersWorking')),
    ),
    item(
      '14',
      'Активация пользователей (родителей) в информационной системе электронного дневника и электронного журнала успеваемости',
      answer(classShareSetText(items.parentActivation, 'items.parentActivation', 'от имеющих возможность воспользоваться услугой')),
    ),
    item('15', 'Дополнительная информация (по усмотрению учреждения)', freeText(items.additionalInfo)),
  ];

  return {
    title: `Отчет о введении электронных дневников и электронного журнала — ${report.school.shortName}, ${asOf}`,
    draft: report.status === 'draft' || report.status === 'returned',
    heading: {
      title: 'Отчет',
      subject: `о введении электронных дневников учащихся и электронного журнала успеваемости в ${school}`,
      asOf: `(по состоянию на ${asOf})`,
    },
    items: rows,
    problems: report.problems.map(({ problem, solution, resolved }) => ({
      problem: problem.trim(),
      // The column asks «(полностью, частично)»: the answer follows the solution in the same words.
      solution: `${solution.trim()} (${resolved === 'full' ? 'полностью' : 'частично'})`,
    })),
  };
}
