import { renderMarkdown } from './markdown-renderer';
import type { ReportBlock, ReportDocument } from './report-document';
import { sampleReport } from './test-report';

const only = (...blocks: ReportBlock[]): ReportDocument => ({
  language: 'sv-SE',
  title: 'Rapport',
  blocks,
});

describe('renderMarkdown', () => {
  it('lays out every block kind, separated by blank lines', () => {
    expect(renderMarkdown(sampleReport)).toBe(
      [
        '# Uppföljning av medborgarlöfte – Hammarö 2025',
        '',
        'Period 2025-01-01 – 2025-06-30, byggd från loggposition 1 234',
        '',
        '## Sammanfattning',
        '',
        'Under perioden har parterna genomfört trygghetsvandringar, ökad närvaro på skolgårdar och samtal med föräldrar. Målet för året är nått till två tredjedelar.',
        '',
        '- **Genomförda aktiviteter:** 15',
        '- **Åtaganden i fas:** 4 av 6',
        '',
        '### Åtaganden',
        '',
        '- Polisen patrullerar vid Skoghallsskolan fredagskvällar.',
        '- Kommunen förbättrar belysningen längs gång- och cykelvägen.',
        '- Fritidsgården håller öppet även under lov – även jul.',
        '',
        '#### Aktiviteter per månad',
        '',
        '**Aktiviteter januari–juni**',
        '',
        '| Månad | Aktivitet | Antal |',
        '| --- | --- | ---: |',
        '| Januari | Trygghetsvandring i Skoghall | 2 |',
        '| Februari | Föräldravandring \\| kväll | 3 |',
        '| Mars | Närvaro på skolgård | 10 |',
        '',
      ].join('\n'),
    );
  });

  it('escapes what Markdown would read as markup', () => {
    const md = renderMarkdown(
      only(
        { kind: 'paragraph', text: '# inte en rubrik, *inte fet*, _inte kursiv_, [ingen](länk)' },
        { kind: 'paragraph', text: '1. ingen lista\n- inte heller\n> inget citat\n===' },
        { kind: 'paragraph', text: '<b>html</b> `kod` ~~struken~~ a\\b &amp; P&G' },
        { kind: 'list', items: ['# rubrik i lista', '+ plus'] },
      ),
    );
    expect(md).toContain(
      '\\# inte en rubrik, \\*inte fet\\*, \\_inte kursiv\\_, \\[ingen\\](länk)',
    );
    expect(md).toContain('1\\. ingen lista\n\\- inte heller\n\\> inget citat\n\\===');
    expect(md).toContain('\\<b>html\\</b> \\`kod\\` \\~\\~struken\\~\\~ a\\\\b \\&amp; P&G');
    expect(md).toContain('- \\# rubrik i lista\n- \\+ plus');
  });

  it('keeps table rows on one line and pads short rows to the header', () => {
    const md = renderMarkdown(
      only({
        kind: 'table',
        header: ['A', 'B'],
        rows: [['rad\nett', 'x | y'], ['bara en']],
        numericColumns: [1],
      }),
    );
    expect(md).toContain('| A | B |\n| --- | ---: |\n| rad ett | x \\| y |\n| bara en |  |\n');
  });

  it('indents nothing: leading spaces would make a code block', () => {
    expect(renderMarkdown(only({ kind: 'paragraph', text: '    indragen' }))).toBe(
      '# Rapport\n\nindragen\n',
    );
  });

  it('leaves out empty lists and fact lists', () => {
    expect(renderMarkdown(only({ kind: 'list', items: [] }, { kind: 'facts', items: [] }))).toBe(
      '# Rapport\n',
    );
  });
});
