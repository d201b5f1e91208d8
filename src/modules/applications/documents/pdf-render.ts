/** Draws a neutral `DocumentModel` as a PDF, with DejaVu embedded so Cyrillic prints anywhere. */
import PDFDocument from 'pdfkit';
import { Align, DocumentModel, PAGE_MM, Paragraph, RIGHT_HALF_START, Row, Run, SIZE_FACTOR } from './document-model';
import { PDF_FONTS, PdfFont } from './fonts';

const mmToPt = (mm: number) => (mm * 72) / 25.4;

/** The paragraph indent of Russian office documents (ГОСТ Р 7.0.97): 1.25 cm. */
const FIRST_LINE_INDENT = mmToPt(12.5);

/**
 * DejaVu Sans sets about a tenth wider than the Times New Roman the DOCX names, so the PDF uses a
 * slightly smaller size for the same page to hold the same lines.
 */
const DEJAVU_SCALE = 0.9;

function fontOf(run: Run): PdfFont {
  if (run.mono) return run.bold ? 'monoBold' : 'mono';
  if (run.bold) return run.italic ? 'boldItalic' : 'bold';
  return run.italic ? 'italic' : 'regular';
}

/**
 * pdfkit drops the leading space of a continued run in justified text («5А» + « класса» prints
 * «5Акласса»), so each run's leading space moves to the end of the run before it.
 */
function attachLeadingSpaces(runs: Run[]): Run[] {
  const out: Run[] = [];
  for (const run of runs) {
    const [, space, rest] = /^(\s*)([\s\S]*)$/.exec(run.text)!;
    const previous = out[out.length - 1];
    if (previous && space) out[out.length - 1] = { ...previous, text: previous.text + space };
    if (rest) out.push({ ...run, text: previous ? rest : run.text });
  }
  return out;
}

export function renderPdf(model: DocumentModel): Promise<Buffer> {
  const page = PAGE_MM[model.page];
  const margins = {
    top: mmToPt(model.margins.top),
    right: mmToPt(model.margins.right),
    bottom: mmToPt(model.margins.bottom),
    left: mmToPt(model.margins.left),
  };
  const textWidth = mmToPt(page.width) - margins.left - margins.right;
  const sizeOf = (size: Paragraph['size'] = 'normal') => model.fontSize * SIZE_FACTOR[size] * DEJAVU_SCALE;

  const doc = new PDFDocument({
    size: [mmToPt(page.width), mmToPt(page.height)],
    margins,
    lang: 'ru-RU',
    displayTitle: true,
    info: { Title: model.title, Creator: 'journal-hub' },
  });
  for (const [name, file] of Object.entries(PDF_FONTS)) doc.registerFont(name, file);

  /** Writes runs as one flowing paragraph starting at (x, y): each run continues the line of the one before. */
  const flow = (runs: Run[], x: number, y: number, width: number, size: number, align: Align, indent = 0) => {
    const parts = attachLeadingSpaces(runs);
    parts.forEach((run, i) => {
      doc.font(fontOf(run)).fontSize(size);
      const options: PDFKit.Mixins.TextOptions = { width, align, continued: i < parts.length - 1, underline: !!run.underline, ...(i === 0 ? { indent } : {}) };
      if (i === 0) doc.text(run.text, x, y, options);
      else doc.text(run.text, options);
    });
  };

  const caption = (text: string, x: number, width: number) => {
    doc.font('regular').fontSize(sizeOf('small')).text(text, x, doc.y, { width, align: 'center' });
  };

  const paragraph = (block: Paragraph) => {
    const offset = block.rightHalf ? textWidth * RIGHT_HALF_START : 0;
    const x = margins.left + offset;
    const width = textWidth - offset;
    flow(block.runs, x, doc.y + (block.spaceBefore ?? 0), width, sizeOf(block.size), block.align ?? 'left', block.firstLineIndent ? FIRST_LINE_INDENT : 0);
    if (block.caption) caption(block.caption, x, width);
  };

  // Cells share a top edge; the next block starts under the tallest one.
  const row = (block: Row) => {
    const top = doc.y + (block.spaceBefore ?? 0);
    let x = margins.left;
    let bottom = top;
    for (const cell of block.cells) {
      const width = textWidth * cell.share;
      flow(cell.runs, x, top, width, sizeOf(), cell.align ?? 'left');
      if (cell.caption) caption(cell.caption, x, width);
      bottom = Math.max(bottom, doc.y);
      x += width;
    }
    doc.x = margins.left;
    doc.y = bottom;
  };

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      for (const block of model.blocks) {
        if (block.kind === 'row') row(block);
        else paragraph(block);
      }
      doc.end();
    } catch (error) {
      reject(error);
    }
  });
}
