import { printable, renderPdf } from './pdf-renderer';
import { sampleReport } from './test-report';

// Reading the PDF back with a real parser is in pdf-renderer.int-spec.ts (pdf.js is ES modules only).
describe('renderPdf', () => {
  it('writes a tagged PDF 1.7 with the document language, outline and title shown', async () => {
    const pdf = (await renderPdf(sampleReport)).toString('latin1');
    expect(pdf.startsWith('%PDF-1.7')).toBe(true);
    expect(pdf).toContain('/Lang (sv-SE)');
    expect(pdf).toMatch(/\/MarkInfo \d+ 0 R/);
    expect(pdf).toContain('/Marked true');
    expect(pdf).toMatch(/\/StructTreeRoot \d+ 0 R/);
    expect(pdf).toMatch(/\/Outlines \d+ 0 R/);
    expect(pdf).toContain('/DisplayDocTitle true');
    expect(pdf).toMatch(/\/FontFile2 \d+ 0 R/);
    expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
  });
});

describe('printable', () => {
  const latin = (codePoint: number) => codePoint < 0x2000 || codePoint === 0x2013;

  it('keeps what the font covers', () => {
    expect(printable('Åtgärd – öka', latin)).toBe('Åtgärd – öka');
  });

  it('composes decomposed letters before looking them up', () => {
    expect(printable('a\u030Angest', latin)).toBe('ångest');
  });

  it('decomposes compatibility characters the font lacks', () => {
    expect(printable('e\uFB01n \uFF11\uFF12', latin)).toBe('efin 12');
  });

  it('marks other missing characters with U+FFFD and drops invisible ones', () => {
    expect(printable('mål ≥ 80 → ok \u{1F642}\uFE0F', latin)).toBe(
      'mål \uFFFD 80 \uFFFD ok \uFFFD',
    );
  });

  it('turns tabs into spaces and keeps line breaks', () => {
    expect(printable('a\tb\nc', latin)).toBe('a b\nc');
  });
});
