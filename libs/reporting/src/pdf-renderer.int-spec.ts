import { renderPdf } from './pdf-renderer';
import type { ReportDocument } from './report-document';
import { sampleReport } from './test-report';

/**
 * pdf.js is ES modules only: a real `import()` loads it (TypeScript's node16 module setting and
 * swc's ignoreDynamic keep it one; Jest runs with --experimental-vm-modules to serve it).
 */
const importPdfJs = () => import('pdfjs-dist/legacy/build/pdf.mjs');

interface ReadBack {
  /** Each page's text, runs of white space as one space. */
  readonly pages: string[];
  readonly info: Record<string, unknown>;
  readonly outline: OutlineNode[];
  readonly marked: boolean;
  /** Structure element roles of page 1, depth-first. */
  readonly roles: string[];
}
type StructNode =
  { readonly role: string; readonly children: StructNode[] } | { readonly type: string };
interface OutlineNode {
  readonly title: string;
  readonly items: OutlineNode[];
}

async function readPdf(buffer: Buffer): Promise<ReadBack> {
  const pdfjs = await importPdfJs();
  const pdf = await pdfjs.getDocument({
    data: new Uint8Array(buffer),
    verbosity: pdfjs.VerbosityLevel.ERRORS,
    isEvalSupported: false,
  }).promise;
  try {
    const pages: string[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const content = await (await pdf.getPage(n)).getTextContent();
      const text = content.items
        .map((item) => ('str' in item ? `${item.str}${item.hasEOL ? '\n' : ''}` : ''))
        .join('');
      pages.push(text.replace(/\s+/g, ' ').trim());
    }
    const { info } = await pdf.getMetadata();
    const outline = ((await pdf.getOutline()) ?? []) as OutlineNode[];
    const markInfo = await pdf.getMarkInfo();
    const roles: string[] = [];
    const walk = (node: StructNode) => {
      if (!('role' in node)) return;
      roles.push(node.role);
      node.children.forEach(walk);
    };
    walk(await (await pdf.getPage(1)).getStructTree());
    return {
      pages,
      info: info as Record<string, unknown>,
      outline,
      marked: !!markInfo?.Marked,
      roles,
    };
  } finally {
    await pdf.destroy();
  }
}

describe('renderPdf, read back with pdf.js', () => {
  let sample: ReadBack;
  let raw: Buffer;

  beforeAll(async () => {
    raw = await renderPdf(sampleReport);
    sample = await readPdf(raw);
  });

  it('holds every text of the report in reading order', () => {
    expect(sample.pages).toHaveLength(1);
    const text = sample.pages[0] ?? '';
    const expected = [
      'Uppföljning av medborgarlöfte – Hammarö 2025',
      'Period 2025-01-01 – 2025-06-30, byggd från loggposition 1 234',
      'Sammanfattning',
      'Målet för året är nått till två tredjedelar.',
      'Genomförda aktiviteter: 15',
      'Åtaganden i fas: 4 av 6',
      'Åtaganden',
      'Polisen patrullerar vid Skoghallsskolan fredagskvällar.',
      'Fritidsgården håller öppet även under lov – även jul.',
      'Aktiviteter per månad',
      'Aktiviteter januari–juni',
      'Månad Aktivitet Antal',
      'Februari Föräldravandring | kväll 3',
      'Mars Närvaro på skolgård 10',
      'Sida 1 av 1',
    ];
    let from = 0;
    for (const part of expected) {
      const at = text.indexOf(part, from);
      expect({ part, found: at >= 0 }).toEqual({ part, found: true });
      from = at + part.length;
    }
  });

  it('carries title, author, subject and language, and is tagged', () => {
    expect(sample.info).toMatchObject({
      Title: 'Uppföljning av medborgarlöfte – Hammarö 2025',
      Author: 'Hammarö kommun och Polisen',
      Subject: 'Medborgarlöfte: trygghet i centrum',
      // pdf.js reports the catalog's /Lang here.
      Language: 'sv-SE',
    });
    expect(raw.toString('latin1')).toContain('/Lang (sv-SE)');
    expect(sample.marked).toBe(true);
  });

  it('tags headings, lists and tables for assistive technology', () => {
    const kinds = sample.roles.filter((role) => !['TD', 'LI', 'Lbl', 'LBody', 'P'].includes(role));
    expect(kinds).toEqual([
      'Root',
      'Document',
      'H1',
      'H2',
      'H3',
      'L',
      'H4',
      'Table',
      'Caption',
      'TR',
      'TH',
      'TH',
      'TH',
      'TR',
      'TR',
      'TR',
    ]);
    expect(sample.roles.filter((role) => role === 'LI')).toHaveLength(3);
    expect(sample.roles.filter((role) => role === 'TD')).toHaveLength(9);
  });

  it('lists the headings as nested bookmarks', () => {
    const tree = (nodes: OutlineNode[]): unknown[] =>
      nodes.map((n) => (n.items.length ? [n.title, tree(n.items)] : n.title));
    expect(tree(sample.outline)).toEqual([
      ['Sammanfattning', [['Åtaganden', ['Aktiviteter per månad']]]],
    ]);
  });

  it('numbers pages in English for English reports', async () => {
    const english = await readPdf(await renderPdf({ ...sampleReport, language: 'en-GB' }));
    expect(english.pages[0]).toContain('Page 1 of 1');
  });

  it('shows signs beyond Latin-1 as themselves and marks what no font has', async () => {
    const doc: ReportDocument = {
      language: 'sv-SE',
      title: 'Tecken',
      blocks: [
        { kind: 'paragraph', text: 'Mål ≥ 80 % → uppnått, ≈ 5 ≤ 7 … „citat” €' },
        { kind: 'table', header: ['Trend'], rows: [['↑ ökar ≠ minskar']] },
        { kind: 'paragraph', text: 'Emoji 🙂 och 漢字 saknas.' },
      ],
    };
    const text = (await readPdf(await renderPdf(doc))).pages.join(' ');
    expect(text).toContain('Mål ≥ 80 % → uppnått, ≈ 5 ≤ 7 … „citat” €');
    expect(text).toContain('↑ ökar ≠ minskar');
    expect(text).toContain('Emoji \uFFFD och \uFFFD\uFFFD saknas.');
  });

  it('fits wide tables to the page without losing text', async () => {
    const header = ['Område', 'Åtagande', 'Ansvarig', 'Status', 'Kommentar', 'Antal'];
    const rows = Array.from({ length: 40 }, (_, i) => [
      `Skoghall ${i}`,
      'Ökad vuxennärvaro vid skolgårdar och i centrum under helgkvällar',
      'Kommunens fritidsförvaltning tillsammans med Polisen',
      i % 2 ? 'Pågår' : 'Genomfört',
      'Trygghetsmätningen visar förbättring jämfört med föregående år – se bilaga',
      String(i * 7),
    ]);
    const { pages } = await readPdf(
      await renderPdf({
        language: 'sv-SE',
        title: 'Bred tabell',
        blocks: [{ kind: 'table', header, rows, numericColumns: [5] }],
      }),
    );
    expect(pages.length).toBeGreaterThan(1);
    const squeezed = pages.join('').replace(/\s/g, '');
    for (const cell of rows.flat()) expect(squeezed).toContain(cell.replace(/\s/g, ''));
    for (const page of pages.slice(1)) expect(page.startsWith(header.join(' '))).toBe(true);
  });

  it('renders a table of 2,000 rows, repeating the header on every page', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => [
      `Rad ${i + 1}`,
      'Trygghetsvandring – Skoghall centrum',
      String(i + 1),
    ]);
    const started = Date.now();
    const buffer = await renderPdf({
      language: 'sv-SE',
      title: 'Stor tabell',
      blocks: [{ kind: 'table', header: ['Rad', 'Aktivitet', 'Antal'], rows, numericColumns: [2] }],
    });
    expect(Date.now() - started).toBeLessThan(30_000);
    const { pages } = await readPdf(buffer);
    expect(pages.length).toBeGreaterThan(20);
    pages.forEach((page, i) => {
      expect(page).toContain(`Rad Aktivitet Antal`);
      expect(page.endsWith(`Sida ${i + 1} av ${pages.length}`)).toBe(true);
    });
    const numbers = pages.join(' ').match(/Rad \d+ Trygghetsvandring/g) ?? [];
    expect(numbers).toHaveLength(2000);
    expect(pages.at(-1)).toContain('Rad 2000 Trygghetsvandring – Skoghall centrum 2000');
  });
});
