import {
  AlignmentType,
  Document,
  Footer,
  HeadingLevel,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  convertMillimetersToTwip,
  type IBaseParagraphStyleOptions,
} from 'docx';
import type { ReportBlock, ReportDocument } from './report-document';

const HEADING = {
  1: HeadingLevel.HEADING_1,
  2: HeadingLevel.HEADING_2,
  3: HeadingLevel.HEADING_3,
} as const;

/**
 * Word's own heading, list and table-header machinery, so the navigation pane, a table of contents
 * and screen readers see the structure; the document language is set on the default run style.
 */
export async function renderDocx(doc: ReportDocument): Promise<Buffer> {
  const document = new Document({
    title: xmlSafe(doc.title),
    ...(doc.author ? { creator: xmlSafe(doc.author), lastModifiedBy: xmlSafe(doc.author) } : {}),
    ...(doc.subject ? { subject: xmlSafe(doc.subject) } : {}),
    styles: {
      default: {
        document: { run: { language: { value: doc.language } } },
        // Kept with what follows (as Word's own headings are) and given outline levels, so that
        // other word processors' navigators see them too.
        heading1: heading(0, 32, { before: 360, after: 120 }),
        heading2: heading(1, 26, { before: 240, after: 80 }),
        heading3: heading(2, 23, { before: 200, after: 60 }),
        caption: {
          run: { bold: true, size: 20 },
          paragraph: { keepNext: true, spacing: { before: 120, after: 80 } },
        },
      },
      paragraphStyles: [
        {
          id: 'Subtitle',
          name: 'Subtitle',
          basedOn: 'Normal',
          next: 'Normal',
          quickFormat: true,
          run: { color: '595959', size: 24 },
          paragraph: { spacing: { after: 240 } },
        },
      ],
    },
    sections: [
      {
        properties: {
          page: {
            // A4 in twips (convertMillimetersToTwip rounds it down to 11905 × 16837).
            size: { width: 11906, height: 16838 },
            margin: {
              top: convertMillimetersToTwip(20),
              bottom: convertMillimetersToTwip(20),
              left: convertMillimetersToTwip(20),
              right: convertMillimetersToTwip(20),
            },
          },
        },
        footers: { default: pageNumberFooter(doc.language) },
        children: [
          new Paragraph({
            heading: HeadingLevel.TITLE,
            children: [new TextRun(xmlSafe(doc.title))],
          }),
          ...(doc.subtitle
            ? [new Paragraph({ style: 'Subtitle', children: lines(doc.subtitle) })]
            : []),
          ...doc.blocks.flatMap(renderBlock),
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}

function renderBlock(block: ReportBlock): (Paragraph | Table)[] {
  switch (block.kind) {
    case 'heading':
      return [
        new Paragraph({
          heading: HEADING[block.level],
          children: [new TextRun(xmlSafe(block.text))],
        }),
      ];
    case 'paragraph':
      return [new Paragraph({ children: lines(block.text) })];
    case 'list':
      return block.items.map(
        (item) => new Paragraph({ bullet: { level: 0 }, children: [new TextRun(xmlSafe(item))] }),
      );
    case 'facts':
      return block.items.map(
        ({ label, value }) =>
          new Paragraph({
            children: [
              new TextRun({ text: `${xmlSafe(label)}:`, bold: true }),
              new TextRun(` ${xmlSafe(value)}`),
            ],
          }),
      );
    case 'table':
      // Word cannot open a table without cells.
      if (block.header.length === 0) return [];
      return [
        ...(block.caption
          ? [new Paragraph({ style: 'Caption', children: [new TextRun(xmlSafe(block.caption))] })]
          : []),
        table(block),
      ];
  }
}

function table(block: Extract<ReportBlock, { kind: 'table' }>): Table {
  const numeric = new Set(block.numericColumns);
  const row = (cells: readonly string[], header: boolean) =>
    new TableRow({
      // Repeated at the top of every page the table runs onto.
      ...(header ? { tableHeader: true, cantSplit: true } : {}),
      children: block.header.map(
        (_, i) =>
          new TableCell({
            ...(header ? { shading: { type: ShadingType.CLEAR, fill: 'E6E6E6' } } : {}),
            children: [
              new Paragraph({
                alignment: numeric.has(i) ? AlignmentType.RIGHT : AlignmentType.LEFT,
                children: [
                  new TextRun({ text: xmlSafe(cells[i] ?? ''), ...(header ? { bold: true } : {}) }),
                ],
              }),
            ],
          }),
      ),
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [row(block.header, true), ...block.rows.map((cells) => row(cells, false))],
  });
}

function heading(
  outlineLevel: number,
  size: number,
  spacing: { before: number; after: number },
): IBaseParagraphStyleOptions {
  return {
    run: { bold: true, size, color: '1F3864' },
    paragraph: { keepNext: true, keepLines: true, outlineLevel, spacing },
  };
}

function pageNumberFooter(language: string): Footer {
  const [page, of] = language.toLowerCase().startsWith('sv') ? ['Sida', 'av'] : ['Page', 'of'];
  return new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [
          new TextRun({
            children: [`${page} `, PageNumber.CURRENT, ` ${of} `, PageNumber.TOTAL_PAGES],
            size: 18,
          }),
        ],
      }),
    ],
  });
}

/** Line breaks in the text become Word line breaks, not spaces. */
function lines(text: string): TextRun[] {
  return xmlSafe(text)
    .split(/\r?\n/)
    .map((line, i) => new TextRun({ text: line, ...(i > 0 ? { break: 1 } : {}) }));
}

/** Characters XML 1.0 forbids (controls, lone surrogates) would make Word refuse the whole file. */
function xmlSafe(text: string): string {
  return text.replace(/[^\P{Cc}\t\n\r]|\p{Cs}|[\uFFFE\uFFFF]/gu, '');
}
