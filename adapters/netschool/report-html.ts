/**
 * NetSchool's reports come as HTML files from the report queue. Their layout differs between server
 * versions, so columns are found by their header's words, not by position. Only tables are read:
 * rows (`tr`) of cells (`td`/`th`), text without tags, entities decoded.
 */
export interface HtmlTable {
  rows: string[][];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', laquo: '«', raquo: '»', mdash: '—', ndash: '–' };

function decode(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&([a-z]+);/gi, (whole, name) => ENTITIES[name.toLowerCase()] ?? whole);
}

const cellText = (html: string) => decode(html.replace(/<br\s*\/?>/gi, ' ').replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim();

/** Every table of the page, in order (reports do not nest tables). */
export function htmlTables(html: string): HtmlTable[] {
  const source = html.replace(/<!--[\s\S]*?-->/g, '').replace(/<(script|style)[\s\S]*?<\/\1>/gi, '');
  const tables: HtmlTable[] = [];
  for (const match of source.matchAll(/<table\b[^>]*>([\s\S]*?)<\/table>/gi)) {
    const rows: string[][] = [];
    for (const row of match[1].matchAll(/<tr\b[^>]*>([\s\S]*?)(?=<tr\b|<\/tr>|$)/gi)) {
      const cells: string[] = [];
      for (const cell of row[1].matchAll(/<t([dh])\b([^>]*)>([\s\S]*?)(?=<t[dh]\b|<\/t[dh]>|<\/tr>|$)/gi)) {
        const span = Number(/colspan\s*=\s*["']?(\d+)/i.exec(cell[2])?.[1] ?? 1);
        const text = cellText(cell[3]);
        // A spanned header covers several columns: repeated, so that positions line up with the rows below.
        for (let i = 0; i < Math.max(1, Math.min(span, 50)); i++) cells.push(text);
      }
      if (cells.length > 0) rows.push(cells);
    }
    tables.push({ rows });
  }
  return tables;
}

/**
 * The first table with a header row naming every column `wanted` matches; the header's index, and
 * the data rows after it. Each `wanted` is a test on a lower-cased header text.
 */
export function findTable(html: string, wanted: RegExp[]): { header: string[]; rows: string[][] } | null {
  for (const table of htmlTables(html)) {
    const index = table.rows.findIndex((row) => wanted.every((w) => row.some((c) => w.test(c.toLowerCase()))));
    if (index >= 0) return { header: table.rows[index], rows: table.rows.slice(index + 1) };
  }
  return null;
}
