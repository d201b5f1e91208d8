/**
 * The directorate's consolidated sheet for one reporting date: a row per school with every item of
 * Appendix 3, the report's status, and a last row with the municipality's average of each percentage.
 *
 * Percentages are written as fractions (64 % → 0.64) with a percent number format, so Excel sums,
 * averages and charts them as numbers. A value the school has not entered, and every item of a school
 * without a report, is an empty cell: AVERAGE skips empty cells, where a zero or a dash would pull the
 * average down or break it.
 */
import { Cell, Workbook, Worksheet } from 'exceljs';
import { badInput } from '../../../common/errors';
import {
  approvalDetails,
  checkedPercent,
  reportDate,
  responsibleText,
  STATUS_LABELS,
  UNKNOWN,
  yesNoText,
} from './report-values';
import { ActRef, ConsolidatedRow, RolloutReportData } from './rollout-report';

type Items = RolloutReportData['items'];

interface ColumnBase {
  header: string;
  /** Characters, as Excel counts column widths. */
  width: number;
}

/**
 * A percentage column reads 0..100 from the report, a text column a string; null leaves the cell
 * empty. `path` is where the items are in the input («rows.3.report.items»), named if a value is refused.
 */
type Column =
  | (ColumnBase & { kind: 'percent'; field: string; value: (items: Items) => number | null })
  | (ColumnBase & { kind: 'text'; value: (items: Items, path: string) => string | null });

const percentColumn = (header: string, field: string, value: (items: Items) => number | null): Column => ({
  kind: 'percent',
  header,
  width: 13,
  field,
  value,
});

const textColumn = (header: string, width: number, value: (items: Items, path: string) => string | null): Column => ({
  kind: 'text',
  header,
  width,
  value,
});

/** The acts' titles, one a line: the sheet says which acts a school has; their orders are in its DOCX. */
const titles = (acts: ActRef[]) => (acts.length ? acts.map((act) => act.title.trim()).join('\n') : null);

/** The sheet prints no «—»: an unknown text is an empty cell, like an unknown number. */
const known = (text: string) => (text === UNKNOWN ? null : text);

const COLUMNS: Column[] = [
  textColumn('1. Ответственный', 34, (items) => known(responsibleText(items.responsiblePerson))),
  textColumn('2. Система', 22, (items) => items.systemName.trim() || null),
  textColumn('3. План работы', 26, (items, path) => {
    const details = approvalDetails(items.plan, `${path}.plan`);
    return details && `приказ ${details}`;
  }),
  textColumn('4. Локальные акты', 36, (items) => titles(items.localActs)),
  textColumn('5. Изменения в локальные акты', 36, (items) => titles(items.amendments)),
  percentColumn('6.1 Ознакомлены педагоги, %', 'familiarization.teachers', (items) => items.familiarization.teachers),
  percentColumn('6.2 Ознакомлены родители, %', 'familiarization.parents', (items) => items.familiarization.parents),
  percentColumn('6.3 Ознакомлены обучающиеся, %', 'familiarization.students', (items) => items.familiarization.students),
  textColumn('7. Формы ознакомления', 36, (items) => items.familiarizationForms?.trim() || null),
  percentColumn('8. Заявления, %', 'applications.percent', (items) => items.applications.percent),
  percentColumn('9. Заполнение баз данных, %', 'databaseFullness.percent', (items) => items.databaseFullness.percent),
  percentColumn('10.1 Обучены педагоги, %', 'training.teachers', (items) => items.training.teachers),
  percentColumn('10.2 Обучены родители, %', 'training.parents', (items) => items.training.parents),
  percentColumn('10.3 Обучены обучающиеся, %', 'training.students', (items) => items.training.students),
  textColumn('11. Ссылка на сайте', 11, (items) => known(yesNoText(items.websiteLink))),
  percentColumn('12.1 Логины родителей, %', 'logins.parents.percent', (items) => items.logins.parents.percent),
  percentColumn('12.2 Логины педагогов, %', 'logins.teachers.percent', (items) => items.logins.teachers.percent),
  percentColumn('12.3 Логины обучающихся, %', 'logins.students.percent', (items) => items.logins.students.percent),
  percentColumn('13. Педагоги, работающие в ЭЖ, %', 'teachersWorking', (items) => items.teachersWorking),
  percentColumn('14. Активация родителей, %', 'parentActivation.percent', (items) => items.parentActivation.percent),
  textColumn('15. Дополнительно', 36, (items) => items.additionalInfo?.trim() || null),
];

/** Before the item columns: who and how far along. */
const LEAD = [
  { header: 'Школа', width: 28 },
  { header: 'Статус отчёта', width: 13 },
];

const TITLE_ROW = 1;
const HEADER_ROW = 2;
const FIRST_DATA_ROW = 3;

/** Whole percentages show whole; a school's 64.5 % keeps its decimal. Averages always show one. */
const percentFormat = (percent: number) => (Number.isInteger(percent) ? '0%' : '0.0%');
const AVERAGE_FORMAT = '0.0%';

/** Statuses the directorate has to act on stand out. */
const ATTENTION: ReadonlySet<ConsolidatedRow['status']> = new Set(['missing', 'late', 'returned']);
const ATTENTION_FILL = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFCE4D6' } } as const;

const THIN = { style: 'thin', color: { argb: 'FFBFBFBF' } } as const;
const GRID = { top: THIN, left: THIN, bottom: THIN, right: THIN };

function checkRow(row: ConsolidatedRow, index: number, reportingDate: string): void {
  if (row.report && row.report.reportingDate !== reportingDate) {
    throw badInput('ROLLOUT_REPORT_DATE_MISMATCH', {
      [`rows.${index}.report.reportingDate`]: `the sheet is for ${reportingDate}, this report is for ${row.report.reportingDate}`,
    });
  }
}

function writeSchool(sheet: Worksheet, rowNumber: number, row: ConsolidatedRow, index: number): void {
  const line = sheet.getRow(rowNumber);
  line.getCell(1).value = row.school.shortName;
  const status = line.getCell(2);
  status.value = STATUS_LABELS[row.status];
  if (ATTENTION.has(row.status)) status.fill = ATTENTION_FILL;
  if (!row.report) return;
  const items = row.report.items;
  const path = `rows.${index}.report.items`;
  COLUMNS.forEach((column, i) => {
    const cell = line.getCell(LEAD.length + 1 + i);
    if (column.kind === 'text') {
      const text = column.value(items, path);
      if (text !== null) cell.value = text;
      return;
    }
    const percent = checkedPercent(column.value(items), `${path}.${column.field}`);
    if (percent === null) return;
    cell.value = percent / 100;
    cell.numFmt = percentFormat(percent);
  });
}

/**
 * The last row: an AVERAGE formula over the schools' cells, with its value computed here as well, so
 * a reader that does not recalculate (a preview, a parser) shows the same number Excel will. IFERROR
 * leaves the cell empty where no school has a value, instead of #DIV/0!.
 */
function writeAverages(sheet: Worksheet, rowNumber: number, lastDataRow: number): void {
  const line = sheet.getRow(rowNumber);
  line.getCell(1).value = 'Среднее по муниципалитету';
  line.font = { bold: true };
  COLUMNS.forEach((column, i) => {
    if (column.kind !== 'percent') return;
    const cell = line.getCell(LEAD.length + 1 + i);
    const letter = sheet.getColumn(cell.col).letter;
    const values: number[] = [];
    for (let r = FIRST_DATA_ROW; r <= lastDataRow; r++) {
      const value = sheet.getCell(r, cell.col).value;
      if (typeof value === 'number') values.push(value);
    }
    cell.value = {
      formula: `IFERROR(AVERAGE(${letter}${FIRST_DATA_ROW}:${letter}${lastDataRow}),"")`,
      result: values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : '',
    };
    cell.numFmt = AVERAGE_FORMAT;
  });
}

const grid = (cells: Cell[]) => cells.forEach((cell) => (cell.border = GRID));

/** The consolidated sheet for one reporting date; schools appear in the order given. */
export async function consolidatedReportXlsx(reportingDate: string, rows: ConsolidatedRow[]): Promise<Buffer> {
  const asOf = reportDate(reportingDate, 'reportingDate');
  rows.forEach((row, index) => checkRow(row, index, reportingDate));

  const workbook = new Workbook();
  workbook.creator = 'journal-hub';
  workbook.title = `Сводный отчет о введении электронных дневников по состоянию на ${asOf}`;
  // The average row's cached results are ours; Excel and LibreOffice recompute them on opening.
  workbook.calcProperties.fullCalcOnLoad = true;

  const sheet = workbook.addWorksheet('Сводный отчёт', {
    // The title and the header stay in view, and so does the school's name when scrolling right.
    views: [{ state: 'frozen', xSplit: 1, ySplit: HEADER_ROW }],
    pageSetup: { paperSize: 9 /* A4 */, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}` },
  });
  const headers = [...LEAD, ...COLUMNS];
  headers.forEach((column, i) => (sheet.getColumn(i + 1).width = column.width));

  sheet.mergeCells(TITLE_ROW, 1, TITLE_ROW, headers.length);
  const title = sheet.getCell(TITLE_ROW, 1);
  title.value = `Сводный отчет о введении электронных дневников учащихся и электронного журнала успеваемости (по состоянию на ${asOf})`;
  title.font = { bold: true, size: 13 };
  sheet.getRow(TITLE_ROW).height = 22;

  const header = sheet.getRow(HEADER_ROW);
  header.values = headers.map((column) => column.header);
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
  header.height = 48;

  rows.forEach((row, index) => writeSchool(sheet, FIRST_DATA_ROW + index, row, index));
  const lastDataRow = FIRST_DATA_ROW + rows.length - 1;
  const averageRow = lastDataRow + 1;
  if (rows.length) writeAverages(sheet, averageRow, lastDataRow);
  else sheet.getCell(averageRow, 1).value = 'Среднее по муниципалитету';

  for (let r = FIRST_DATA_ROW; r <= averageRow; r++) {
    sheet.getRow(r).alignment = { wrapText: true, vertical: 'top' };
  }
  for (let r = HEADER_ROW; r <= averageRow; r++) {
    const line = sheet.getRow(r);
    grid(headers.map((_, i) => line.getCell(i + 1)));
  }
  sheet.autoFilter = { from: { row: HEADER_ROW, column: 1 }, to: { row: Math.max(lastDataRow, HEADER_ROW), column: headers.length } };

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
