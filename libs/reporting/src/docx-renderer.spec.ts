import JSZip from 'jszip';
import { renderDocx } from './docx-renderer';
import type { ReportDocument } from './report-document';
import { sampleReport } from './test-report';

async function parts(buffer: Buffer): Promise<(name: string) => Promise<string>> {
  const zip = await JSZip.loadAsync(buffer);
  return async (name) => {
    const file = zip.file(name);
    if (!file) throw new Error(`${name} missing from the package`);
    return file.async('string');
  };
}

/** The paragraph (w:p) whose text contains the given text. */
function paragraphWith(xml: string, text: string): string {
  const paragraph = xml.split('<w:p>').find((p) => p.includes(`>${text}<`));
  if (!paragraph) throw new Error(`no paragraph with ${text}`);
  return paragraph;
}

describe('renderDocx', () => {
  let read: (name: string) => Promise<string>;
  let body: string;

  beforeAll(async () => {
    read = await parts(await renderDocx(sampleReport));
    body = await read('word/document.xml');
  });

  it('gives the title and headings Word’s own styles', () => {
    expect(paragraphWith(body, 'Uppföljning av medborgarlöfte – Hammarö 2025')).toContain(
      '<w:pStyle w:val="Title"/>',
    );
    expect(paragraphWith(body, 'Sammanfattning')).toContain('<w:pStyle w:val="Heading1"/>');
    expect(paragraphWith(body, 'Åtaganden')).toContain('<w:pStyle w:val="Heading2"/>');
    expect(paragraphWith(body, 'Aktiviteter per månad')).toContain('<w:pStyle w:val="Heading3"/>');
  });

  it('writes list items as bullet numbering', async () => {
    const item = paragraphWith(body, 'Fritidsgården håller öppet även under lov – även jul.');
    const numId = /<w:numPr><w:ilvl w:val="0"\/><w:numId w:val="(\d+)"\/><\/w:numPr>/.exec(item);
    expect(numId).not.toBeNull();
    const numbering = await read('word/numbering.xml');
    const abstractId = new RegExp(
      `<w:num w:numId="${numId?.[1]}"[^>]*><w:abstractNumId w:val="(\\d+)"/>`,
    ).exec(numbering)?.[1];
    expect(numbering).toMatch(
      new RegExp(
        `<w:abstractNum w:abstractNumId="${abstractId}"[^>]*>.*?<w:lvl w:ilvl="0"[^>]*>.*?<w:numFmt w:val="bullet"/>`,
      ),
    );
  });

  it('writes the table with a repeating header row and right-aligned numbers', () => {
    const rows = body.split('<w:tr>').slice(1);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toContain('<w:tblHeader/>');
    expect(rows[0]).toContain('>Månad<');
    expect(rows[2]).toContain('>Föräldravandring | kväll<');
    expect(rows[3]).toMatch(/<w:jc w:val="right"\/><\/w:pPr><w:r><w:t[^>]*>10</);
    expect(paragraphWith(body, 'Aktiviteter januari–juni')).toContain(
      '<w:pStyle w:val="Caption"/>',
    );
  });

  it('writes facts with bold labels', () => {
    expect(paragraphWith(body, 'Genomförda aktiviteter:')).toMatch(
      /<w:b\/>.*>Genomförda aktiviteter:<.*> 15</,
    );
  });

  it('sets the document language and core properties', async () => {
    expect(await read('word/styles.xml')).toMatch(
      /<w:docDefaults><w:rPrDefault><w:rPr>.*<w:lang w:val="sv-SE"\/>/,
    );
    const core = await read('docProps/core.xml');
    expect(core).toContain('<dc:title>Uppföljning av medborgarlöfte – Hammarö 2025</dc:title>');
    expect(core).toContain('<dc:creator>Hammarö kommun och Polisen</dc:creator>');
    expect(core).toContain('<dc:subject>Medborgarlöfte: trygghet i centrum</dc:subject>');
  });

  it('numbers pages in the document’s language', async () => {
    const footer = (await read('word/footer1.xml')).replace(/<[^>]+>/g, '');
    expect(footer).toMatch(/^Sida .*PAGE.* av .*NUMPAGES/);
    const english = await parts(await renderDocx({ ...sampleReport, language: 'en-GB' }));
    expect((await english('word/footer1.xml')).replace(/<[^>]+>/g, '')).toMatch(
      /^Page .*PAGE.* of .*NUMPAGES/,
    );
    expect(await english('word/styles.xml')).toContain('<w:lang w:val="en-GB"/>');
  });

  it('drops characters XML cannot carry instead of writing a file Word refuses', async () => {
    const doc: ReportDocument = {
      language: 'sv-SE',
      title: 'Kontroll\u0007tecken',
      blocks: [{ kind: 'paragraph', text: 'rad ett\nrad två\u0000' }],
    };
    const xml = await (await parts(await renderDocx(doc)))('word/document.xml');
    expect(xml).toContain('>Kontrolltecken<');
    expect(xml).toMatch(/>rad ett<\/w:t><\/w:r><w:r><w:br\/><w:t[^>]*>rad två</);
  });

  it('renders a table of 2,000 rows', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => [
      `Rad ${i + 1}`,
      'Trygghetsvandring – Skoghall centrum',
      String(i),
    ]);
    const started = Date.now();
    const buffer = await renderDocx({
      language: 'sv-SE',
      title: 'Stor tabell',
      blocks: [{ kind: 'table', header: ['Rad', 'Aktivitet', 'Antal'], rows }],
    });
    expect(Date.now() - started).toBeLessThan(20_000);
    const xml = await (await parts(buffer))('word/document.xml');
    expect(xml.split('<w:tr>')).toHaveLength(2002);
    expect(xml).toContain('>Rad 2000<');
  });
});
