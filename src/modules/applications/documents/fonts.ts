/**
 * Fonts with Cyrillic. The PDF embeds DejaVu from the `dejavu-fonts-ttf` package (resolved in
 * node_modules, never fetched at run time): PDF's 14 standard fonts have no Cyrillic at all. A DOCX
 * only names its fonts; Times New Roman has Cyrillic on every machine Word or LibreOffice runs on.
 */

const dejaVu = (file: string) => require.resolve(`dejavu-fonts-ttf/ttf/${file}`);

export const PDF_FONTS = {
  regular: dejaVu('DejaVuSans.ttf'),
  bold: dejaVu('DejaVuSans-Bold.ttf'),
  italic: dejaVu('DejaVuSans-Oblique.ttf'),
  boldItalic: dejaVu('DejaVuSans-BoldOblique.ttf'),
  mono: dejaVu('DejaVuSansMono.ttf'),
  monoBold: dejaVu('DejaVuSansMono-Bold.ttf'),
} as const;

export type PdfFont = keyof typeof PDF_FONTS;

export const DOCX_FONTS = {
  text: 'Times New Roman',
  mono: 'Courier New',
  /** Times New Roman has no ☐/☒; Word and LibreOffice would substitute anyway, this picks a font that has them. */
  symbols: 'Segoe UI Symbol',
} as const;
