/**
 * A printable document as neutral data: what it says and roughly where, not how a format draws it.
 * The content builders (`appendix4-form.ts`, `credential-slip.ts`) write the wording once; the
 * renderers (`docx-render.ts`, `pdf-render.ts`) only lay it out, so the DOCX and the PDF of one form
 * can never say different things.
 */

export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  /** Monospace, for what a person must type exactly (login, one-time password). */
  mono?: boolean;
}

export type Align = 'left' | 'center' | 'right' | 'justify';

export interface Paragraph {
  kind: 'paragraph';
  runs: Run[];
  align?: Align;
  size?: 'small' | 'normal' | 'large' | 'title';
  /** Sits in the right half of the page: the addressee block of a Russian application. */
  rightHalf?: boolean;
  firstLineIndent?: boolean;
  /** Extra space above, in points. */
  spaceBefore?: number;
  /** Small centred text under the line, saying what belongs on it, e.g. «(ФИО заявителя полностью)». */
  caption?: string;
}

/** Side-by-side cells on one line (date, signature, name), each with its own caption. */
export interface Row {
  kind: 'row';
  cells: Array<{ runs: Run[]; caption?: string; align?: Align; share: number }>;
  spaceBefore?: number;
}

export type Block = Paragraph | Row;

export interface DocumentModel {
  /** Goes into the file's metadata. */
  title: string;
  page: 'A4' | 'A5' | 'A6';
  /** Millimetres. */
  margins: { top: number; right: number; bottom: number; left: number };
  /** Points, for 'normal' text; the other sizes derive from it. */
  fontSize: number;
  blocks: Block[];
}

export const paragraph = (runs: Run[] | string, options: Omit<Paragraph, 'kind' | 'runs'> = {}): Paragraph => ({
  kind: 'paragraph',
  runs: typeof runs === 'string' ? [{ text: runs }] : runs,
  ...options,
});

/** Relative type sizes shared by both renderers, so a caption is as much smaller in DOCX as in PDF. */
export const SIZE_FACTOR: Record<NonNullable<Paragraph['size']>, number> = { small: 0.75, normal: 1, large: 1.25, title: 1.4 };

export const PAGE_MM: Record<DocumentModel['page'], { width: number; height: number }> = {
  A4: { width: 210, height: 297 },
  A5: { width: 148, height: 210 },
  A6: { width: 105, height: 148 },
};

/** The addressee block starts this far across the text width. */
export const RIGHT_HALF_START = 0.45;
