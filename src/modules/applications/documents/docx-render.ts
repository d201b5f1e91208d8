/** Draws a neutral `DocumentModel` as a Word document (DOCX). */
import {
  AlignmentType,
  Document,
  Packer,
  Paragraph as DocxParagraph,
  Table,
  TableBorders,
  TableCell,
  TableRow,
  TextRun,
  UnderlineType,
  WidthType,
} from 'docx';
import { DocumentModel, PAGE_MM, Paragraph, RIGHT_HALF_START, Row, Run, SIZE_FACTOR } from './document-model';
import { DOCX_FONTS } from './fonts';

const ALIGN = { left: AlignmentType.LEFT, center: AlignmentType.CENTER, right: AlignmentType.RIGHT, justify: AlignmentType.BOTH } as const;

/** Rounded, not floored as docx's own helper does: A4 is then Word's own 11906 × 16838. */
const convertMillimetersToTwip = (mm: number) => Math.round((mm * 1440) / 25.4);

/** The paragraph indent of Russian office documents (ГОСТ Р 7.0.97): 1.25 cm. */
const FIRST_LINE_INDENT = convertMillimetersToTwip(12.5);

/** Misc. Symbols (☐ ☒ ✂ …), which Times New Roman lacks. */
const SYMBOLS = /([\u2600-\u27BF]+)/u;

const points = (pt: number) => Math.round(pt * 20);

export async function renderDocx(model: DocumentModel): Promise<Buffer> {
  const page = PAGE_MM[model.page];
  const textWidth = convertMillimetersToTwip(page.width - model.margins.left - model.margins.right);
  // Word sizes type in half-points.
  const halfPoints = (size: Paragraph['size'] = 'normal') => Math.round(model.fontSize * SIZE_FACTOR[size] * 2);

  const runs = (list: Run[], size: Paragraph['size']) =>
    list.flatMap((run) =>
      run.text.split(SYMBOLS).filter(Boolean).map(
        (text) =>
          new TextRun({
            text,
            bold: run.bold,
            italics: run.italic,
            underline: run.underline ? { type: UnderlineType.SINGLE } : undefined,
            font: SYMBOLS.test(text) ? DOCX_FONTS.symbols : run.mono ? DOCX_FONTS.mono : undefined,
            size: halfPoints(size),
          }),
      ),
    );

  const caption = (text: string, indentLeft: number, spaceBefore = 0) =>
    new DocxParagraph({
      children: runs([{ text }], 'small'),
      alignment: AlignmentType.CENTER,
      indent: { left: indentLeft },
      spacing: { before: points(spaceBefore) },
    });

  const paragraph = (block: Paragraph): DocxParagraph[] => {
    const indentLeft = block.rightHalf ? Math.round(textWidth * RIGHT_HALF_START) : 0;
    const main = new DocxParagraph({
      children: runs(block.runs, block.size),
      alignment: ALIGN[block.align ?? 'left'],
      indent: { left: indentLeft, firstLine: block.firstLineIndent ? FIRST_LINE_INDENT : undefined },
      spacing: { before: points(block.spaceBefore ?? 0) },
      keepNext: !!block.caption,
    });
    return block.caption ? [main, caption(block.caption, indentLeft)] : [main];
  };

  // A row is a borderless one-row table: the only way Word keeps cells side by side at set widths.
  const row = (block: Row): Table => {
    const widths = block.cells.map((cell) => Math.round(textWidth * cell.share));
    return new Table({
      width: { size: textWidth, type: WidthType.DXA },
      columnWidths: widths,
      borders: TableBorders.NONE,
      // Without cell margins the cells' text lines up with the paragraphs above and below.
      margins: { left: 0, right: 0, top: 0, bottom: 0 },
      rows: [
        new TableRow({
          children: block.cells.map(
            (cell, i) =>
              new TableCell({
                width: { size: widths[i], type: WidthType.DXA },
                borders: TableBorders.NONE,
                children: [
                  new DocxParagraph({
                    children: runs(cell.runs, 'normal'),
                    alignment: ALIGN[cell.align ?? 'left'],
                    spacing: { before: points(block.spaceBefore ?? 0) },
                  }),
                  ...(cell.caption ? [caption(cell.caption, 0)] : []),
                ],
              }),
          ),
        }),
      ],
    });
  };

  const document = new Document({
    title: model.title,
    creator: 'journal-hub',
    styles: {
      default: {
        document: {
          run: { font: DOCX_FONTS.text, size: halfPoints(), language: { value: 'ru-RU' } },
          paragraph: { spacing: { before: 0, after: 0, line: 240 } },
        },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: convertMillimetersToTwip(page.width), height: convertMillimetersToTwip(page.height) },
            margin: {
              top: convertMillimetersToTwip(model.margins.top),
              right: convertMillimetersToTwip(model.margins.right),
              bottom: convertMillimetersToTwip(model.margins.bottom),
              left: convertMillimetersToTwip(model.margins.left),
            },
          },
        },
        children: model.blocks.flatMap((block): Array<Table | DocxParagraph> => (block.kind === 'row' ? [row(block)] : paragraph(block))),
      },
    ],
  });
  return Packer.toBuffer(document);
}
