/**
 * Lays the Appendix 3 report out as a Word document: A4, Times New Roman, the items in a bordered
 * three-column table like the order's, then the problems in a two-column one. The shared renderer in
 * applications/documents draws paragraphs and borderless rows only; a bordered, multi-row table whose
 * header repeats on every page is particular to this form, so it is drawn here with `docx` directly.
 */
import {
  AlignmentType,
  BorderStyle,
  convertMillimetersToTwip,
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import { DOCX_FONTS } from '../../applications/documents/fonts';
import { FormCell, ReportForm, rolloutReportForm } from './report-form';
import { RolloutReportData } from './rollout-report';

/** Millimetres; the left margin leaves room to file the paper copy. */
const MARGINS = { top: 15, right: 15, bottom: 15, left: 25 };
/** A4 is 210 mm wide. */
const TEXT_WIDTH = convertMillimetersToTwip(210 - MARGINS.left - MARGINS.right);
/** Word sizes type in half-points: 12 pt text, 10 pt in the tables so the long items stay readable. */
const TEXT_SIZE = 24;
const TABLE_SIZE = 22;

const LINE = { style: BorderStyle.SINGLE, size: 4, color: '000000' } as const;
const BORDERS = { top: LINE, bottom: LINE, left: LINE, right: LINE, insideHorizontal: LINE, insideVertical: LINE };

interface CellText {
  text: string;
  bold?: boolean;
  italic?: boolean;
  align?: 'left' | 'center';
}

const ALIGN = { left: AlignmentType.LEFT, center: AlignmentType.CENTER } as const;

const cell = (lines: CellText[], width: number) =>
  new TableCell({
    width: { size: width, type: WidthType.DXA },
    verticalAlign: VerticalAlign.TOP,
    children: lines.map(
      (line) =>
        new Paragraph({
          alignment: ALIGN[line.align ?? 'left'],
          children: [new TextRun({ text: line.text, bold: line.bold, italics: line.italic, size: TABLE_SIZE })],
        }),
    ),
  });

/** A bordered table whose first row is its header, repeated at the top of every page it runs onto. */
function table(shares: number[], header: string[], rows: CellText[][][]): Table {
  const widths = shares.map((share) => Math.round(TEXT_WIDTH * share));
  const headerRow = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: header.map((text, i) => cell([{ text, bold: true, align: 'center' }], widths[i])),
  });
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    borders: BORDERS,
    margins: { left: 80, right: 80, top: 20, bottom: 20 },
    rows: [headerRow, ...rows.map((cells) => new TableRow({ cantSplit: true, children: cells.map((lines, i) => cell(lines, widths[i])) }))],
  });
}

const answerLines = (formCell: FormCell): CellText[] =>
  formCell.kind === 'note' ? [{ text: formCell.text, italic: true }] : formCell.lines.map((text) => ({ text }));

const centred = (text: string, options: { bold?: boolean; before?: number; after?: number } = {}) =>
  new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { before: options.before ?? 0, after: options.after ?? 0 },
    children: [new TextRun({ text, bold: options.bold })],
  });

function renderForm(form: ReportForm): Promise<Buffer> {
  const draftMark = form.draft
    ? [new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: 'ПРОЕКТ', bold: true })] })]
    : [];

  const items = table(
    [0.09, 0.55, 0.36],
    ['№', 'Основное содержание мероприятия', 'Выполнение'],
    form.items.map((item) => [[{ text: item.number }], [{ text: item.text }], answerLines(item.cell)]),
  );

  const problems = table(
    [0.5, 0.5],
    ['Содержание проблемы', 'Решение проблемы (полностью, частично)'],
    form.problems.length
      ? form.problems.map((problem) => [[{ text: problem.problem }], [{ text: problem.solution }]])
      : [[[{ text: 'Проблем не возникло' }], [{ text: '—' }]]],
  );

  const document = new Document({
    title: form.title,
    creator: 'journal-hub',
    styles: {
      default: {
        document: {
          run: { font: DOCX_FONTS.text, size: TEXT_SIZE, language: { value: 'ru-RU' } },
          paragraph: { spacing: { before: 0, after: 0, line: 240 } },
        },
      },
    },
    sections: [
      {
        // docx's default page is A4 portrait (11906 × 16838 twips).
        properties: {
          page: {
            margin: {
              top: convertMillimetersToTwip(MARGINS.top),
              right: convertMillimetersToTwip(MARGINS.right),
              bottom: convertMillimetersToTwip(MARGINS.bottom),
              left: convertMillimetersToTwip(MARGINS.left),
            },
          },
        },
        children: [
          ...draftMark,
          centred(form.heading.title, { bold: true, before: form.draft ? 120 : 0 }),
          centred(form.heading.subject, { bold: true }),
          centred(form.heading.asOf, { after: 240 }),
          items,
          new Paragraph({ spacing: { before: 240, after: 120 }, children: [new TextRun({ text: 'Возникшие проблемы и результат их решения:', bold: true })] }),
          problems,
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}

/** The school's Appendix 3 report for one reporting date, as a Word document. */
export async function rolloutReportDocx(report: RolloutReportData): Promise<Buffer> {
  return renderForm(rolloutReportForm(report));
}
