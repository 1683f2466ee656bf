import { readFileSync } from 'node:fs';
import { create as openFont, type Font, type FontCollection } from 'fontkit';
import PDFDocument from 'pdfkit';
import type { ReportBlock, ReportDocument } from './report-document';

type Pdf = PDFKit.PDFDocument;
type StructElement = PDFKit.PDFStructureElement;
type TableBlock = Extract<ReportBlock, { kind: 'table' }>;

const MARGIN = 50;
/** Room under the content for the page number. */
const BOTTOM_MARGIN = 65;
const INK = '#1a1a1a';
const MUTED = '#555555';
const RULE = '#9a9a9a';
const HEADER_FILL = '#e6e6e6';
const BODY_SIZE = 10.5;
const TABLE_SIZE = 9.5;
const CELL_PAD_X = 4;
const CELL_PAD_Y = 3;
const HEADING_SIZE = { 1: 16, 2: 13, 3: 11.5 } as const;

/**
 * A4, tagged PDF 1.7 with the document language, outline entries for headings and "Sida n av m"
 * footers. Text is set in DejaVu Sans, embedded (subset) so any viewer shows the same glyphs and
 * tagged-PDF checkers find no unembedded font; characters it lacks are replaced before layout.
 */
export function renderPdf(doc: ReportDocument): Promise<Buffer> {
  const fonts = loadFonts();
  return new Promise<Buffer>((resolve, reject) => {
    const pdf = new PDFDocument({
      size: 'A4',
      margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: BOTTOM_MARGIN },
      pdfVersion: '1.7',
      tagged: true,
      lang: doc.language,
      displayTitle: true,
      // Page numbers need the page count, known only at the end.
      bufferPages: true,
      info: {
        Title: doc.title,
        ...(doc.author ? { Author: doc.author } : {}),
        ...(doc.subject ? { Subject: doc.subject } : {}),
      },
    });
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);

    pdf.registerFont(REGULAR, fonts.regular);
    pdf.registerFont(BOLD, fonts.bold);
    const root = pdf.struct('Document');
    pdf.addStructure(root);
    const layout = new Layout(pdf, root, fonts.printable);
    layout.title(doc.title, doc.subtitle);
    for (const block of doc.blocks) layout.block(block);
    root.end();
    layout.pageNumbers(doc.language);
    pdf.end();
  });
}

const REGULAR = 'DejaVuSans';
const BOLD = 'DejaVuSans-Bold';

interface Fonts {
  readonly regular: Buffer;
  readonly bold: Buffer;
  readonly printable: (text: string) => string;
}

let loadedFonts: Fonts | undefined;

function loadFonts(): Fonts {
  if (!loadedFonts) {
    // TrueType files: fontkit re-inflates a WOFF's glyph table for every glyph (about a second
    // per font and document) and cannot subset composite glyphs from WOFF2.
    const read = (file: string) => readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`));
    const regular = read('DejaVuSans.ttf');
    const bold = read('DejaVuSans-Bold.ttf');
    const faces = [singleFont(openFont(regular)), singleFont(openFont(bold))];
    const covered = (codePoint: number) => faces.every((f) => f.hasGlyphForCodePoint(codePoint));
    loadedFonts = { regular, bold, printable: (text) => printable(text, covered) };
  }
  return loadedFonts;
}

function singleFont(font: Font | FontCollection): Font {
  if ('fonts' in font) throw new Error('Expected a single font, got a collection');
  return font;
}

const INVISIBLE = /^[\p{Cc}\p{Default_Ignorable_Code_Point}]$/u;

/**
 * What the fonts cannot draw would show as empty boxes: compatibility forms are decomposed
 * (ﬁ → fi, full-width digits), other invisible characters (controls, joiners, variation
 * selectors) dropped, and anything else becomes U+FFFD so a reader sees that something is missing.
 */
export function printable(text: string, covered: (codePoint: number) => boolean): string {
  let out = '';
  for (const char of text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').normalize('NFC')) {
    const codePoint = char.codePointAt(0) ?? 0;
    // pdfkit breaks lines at soft hyphens and draws a hyphen there.
    if (char === '\n' || char === '\u00AD') out += char;
    else if (INVISIBLE.test(char)) continue;
    else if (covered(codePoint)) out += char;
    else {
      const compatible = char.normalize('NFKC');
      const drawable =
        compatible !== char && [...compatible].every((c) => covered(c.codePointAt(0) ?? 0));
      out += drawable ? compatible : '\uFFFD';
    }
  }
  return out;
}

class Layout {
  /** Outline parents by depth: [0] is the document's outline root. */
  private readonly outlinePath: PDFKit.PDFOutline[];
  private readonly left: number;
  private readonly width: number;

  constructor(
    private readonly pdf: Pdf,
    private readonly root: StructElement,
    private readonly printable: (text: string) => string,
  ) {
    this.outlinePath = [pdf.outline];
    this.left = pdf.page.margins.left;
    this.width = pdf.page.width - pdf.page.margins.left - pdf.page.margins.right;
  }

  title(title: string, subtitle: string | undefined): void {
    this.tag(this.root, 'H1', () =>
      this.style(BOLD, 22).text(this.printable(title), this.left, this.pdf.y, {
        width: this.width,
      }),
    );
    if (subtitle) {
      this.pdf.y += 4;
      this.tag(this.root, 'P', () =>
        this.style(REGULAR, BODY_SIZE + 0.5, MUTED).text(
          this.printable(subtitle),
          this.left,
          this.pdf.y,
          { width: this.width },
        ),
      );
    }
    this.pdf.y += 14;
  }

  block(block: ReportBlock): void {
    switch (block.kind) {
      case 'heading':
        return this.heading(block.level, block.text);
      case 'paragraph':
        this.tag(this.root, 'P', () => this.paragraph(block.text));
        return this.gap(8);
      case 'list':
        return this.list(block.items);
      case 'facts':
        return this.facts(block.items);
      case 'table':
        return this.table(block);
    }
  }

  private heading(level: 1 | 2 | 3, raw: string): void {
    const text = this.printable(raw);
    const size = HEADING_SIZE[level];
    this.style(BOLD, size);
    const atTop = this.pdf.y <= this.pdf.page.margins.top;
    const before = atTop ? 0 : level === 1 ? 14 : 10;
    // Keep a heading with the first lines of what follows it.
    const needed =
      before +
      this.pdf.heightOfString(text, { width: this.width }) +
      3 * this.lineHeight(REGULAR, BODY_SIZE);
    if (!atTop && this.pdf.y + needed > this.pdf.page.maxY()) this.pdf.addPage();
    else this.pdf.y += before;

    const depth = Math.min(level - 1, this.outlinePath.length - 1);
    const parent = this.outlinePath[depth] ?? this.pdf.outline;
    // The viewer draws bookmarks in its own font: no need for the replacements made for ours.
    this.outlinePath.splice(depth + 1, Infinity, parent.addItem(raw));

    this.tag(this.root, `H${level + 1}`, () =>
      this.style(BOLD, size).text(text, this.left, this.pdf.y, { width: this.width }),
    );
    this.gap(5);
  }

  private paragraph(text: string): void {
    this.style(REGULAR, BODY_SIZE).text(this.printable(text), this.left, this.pdf.y, {
      width: this.width,
      lineGap: 1.5,
    });
  }

  private list(items: readonly string[]): void {
    if (items.length === 0) return;
    const list = this.pdf.struct('L');
    this.root.add(list);
    this.style(REGULAR, BODY_SIZE).list(
      items.map((item) => this.printable(item)),
      this.left + 6,
      this.pdf.y,
      {
        width: this.width - 6,
        bulletRadius: 2,
        textIndent: 12,
        lineGap: 1.5,
        paragraphGap: 3,
        structParent: list,
      },
    );
    list.end();
    this.gap(8);
  }

  private facts(items: readonly { readonly label: string; readonly value: string }[]): void {
    for (const { label, value } of items) {
      this.tag(this.root, 'P', () => {
        this.style(BOLD, BODY_SIZE).text(`${this.printable(label)}: `, this.left, this.pdf.y, {
          width: this.width,
          continued: true,
        });
        this.style(REGULAR, BODY_SIZE).text(this.printable(value), { lineGap: 1.5 });
      });
      this.gap(2);
    }
    this.gap(6);
  }

  private table(block: TableBlock): void {
    if (block.header.length === 0) return;
    const header = block.header.map((cell) => this.printable(cell));
    const rows = block.rows.map((row) => header.map((_, i) => this.printable(row[i] ?? '')));
    const numeric = new Set(block.numericColumns);
    const widths = this.columnWidths(header, rows);
    const table = this.pdf.struct('Table');
    this.root.add(table);

    const page = this.pdf.page;
    const headerHeight = this.rowHeight(header, widths, BOLD, page.maxY() - page.margins.top);
    // A row taller than a page under the header is cut off (with an ellipsis) rather than split.
    const rowLimit = page.maxY() - page.margins.top - headerHeight;
    const caption = block.caption ? this.printable(block.caption) : undefined;
    const captionHeight = caption
      ? this.style(BOLD, BODY_SIZE).heightOfString(caption, { width: this.width }) + 4
      : 0;
    const firstRowHeight = rows[0] ? this.rowHeight(rows[0], widths, REGULAR, rowLimit) : 0;
    const fits = this.pdf.y + captionHeight + headerHeight + firstRowHeight <= page.maxY();
    if (!fits && this.pdf.y > page.margins.top) {
      this.pdf.addPage();
    }
    if (caption) {
      this.tag(table, 'Caption', () =>
        this.style(BOLD, BODY_SIZE).text(caption, this.left, this.pdf.y, { width: this.width }),
      );
      this.gap(4);
    }

    const drawHeader = (repeated: boolean) => {
      this.artifact(() =>
        this.pdf
          .fillColor(HEADER_FILL)
          .rect(this.left, this.pdf.y, this.width, headerHeight)
          .fill()
          .fillColor(INK),
      );
      if (repeated) {
        // A header repeated on a later page is layout, not content: screen readers skip it.
        this.artifact(() => this.drawRow(header, widths, numeric, BOLD, headerHeight));
      } else {
        const tr = this.pdf.struct('TR');
        table.add(tr);
        this.drawRow(header, widths, numeric, BOLD, headerHeight, tr, 'TH');
        tr.end();
      }
      this.pdf.y += headerHeight;
      this.rule(0.8);
    };

    drawHeader(false);
    for (const row of rows) {
      const height = this.rowHeight(row, widths, REGULAR, rowLimit);
      if (this.pdf.y + height > this.pdf.page.maxY()) {
        this.pdf.addPage();
        drawHeader(true);
      }
      const tr = this.pdf.struct('TR');
      table.add(tr);
      this.drawRow(row, widths, numeric, REGULAR, height, tr, 'TD');
      tr.end();
      this.pdf.y += height;
      this.rule(0.3);
    }
    table.end();
    this.gap(10);
  }

  /**
   * Auto layout as browsers do it: each column gets at least its longest word, then the rest of
   * the page width in proportion to how much more its longest cell would need on one line.
   */
  private columnWidths(header: readonly string[], rows: readonly (readonly string[])[]): number[] {
    const pad = 2 * CELL_PAD_X;
    const mins = header.map(() => 0);
    const maxes = header.map(() => 0);
    const measure = (font: string, cells: readonly string[]) => {
      this.style(font, TABLE_SIZE);
      cells.forEach((text, i) => {
        for (const word of text.split(/\s+/)) {
          mins[i] = Math.max(mins[i] ?? 0, this.pdf.widthOfString(word) + pad);
        }
        maxes[i] = Math.max(maxes[i] ?? 0, this.pdf.widthOfString(text) + pad);
      });
    };
    measure(BOLD, header);
    for (const row of rows) measure(REGULAR, row);
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    const [minTotal, maxTotal] = [sum(mins), sum(maxes)];
    if (maxTotal <= this.width) return maxes.map((max) => (max / maxTotal) * this.width);
    // Words wider than their share are broken by pdfkit's line wrapper.
    if (minTotal >= this.width) return mins.map((min) => (min / minTotal) * this.width);
    const spare = this.width - minTotal;
    const wanted = maxTotal - minTotal;
    return mins.map((min, i) => min + (((maxes[i] ?? min) - min) / wanted) * spare);
  }

  private rowHeight(
    cells: readonly string[],
    widths: readonly number[],
    font: string,
    limit: number,
  ): number {
    this.style(font, TABLE_SIZE);
    const text = Math.max(
      ...cells.map((cell, i) =>
        this.pdf.heightOfString(cell || ' ', { width: (widths[i] ?? 0) - 2 * CELL_PAD_X }),
      ),
    );
    return Math.min(text + 2 * CELL_PAD_Y, limit);
  }

  private drawRow(
    cells: readonly string[],
    widths: readonly number[],
    numeric: ReadonlySet<number>,
    font: string,
    height: number,
    tr?: StructElement,
    cellType?: 'TH' | 'TD',
  ): void {
    const top = this.pdf.y;
    let x = this.left;
    cells.forEach((cell, i) => {
      const width = widths[i] ?? 0;
      const cellX = x;
      const draw = () =>
        this.style(font, TABLE_SIZE).text(cell, cellX + CELL_PAD_X, top + CELL_PAD_Y, {
          width: width - 2 * CELL_PAD_X,
          height: height - 2 * CELL_PAD_Y,
          ellipsis: true,
          align: numeric.has(i) ? 'right' : 'left',
        });
      if (tr && cellType) {
        const options = cellType === 'TH' ? COLUMN_HEADER : {};
        tr.add(this.pdf.struct(cellType, options, draw));
      } else {
        draw();
      }
      x += width;
    });
    this.pdf.y = top;
  }

  pageNumbers(language: string): void {
    const { start, count } = this.pdf.bufferedPageRange();
    const label = language.toLowerCase().startsWith('sv')
      ? (n: number) => `Sida ${n} av ${count}`
      : (n: number) => `Page ${n} of ${count}`;
    for (let i = start; i < start + count; i++) {
      const page = this.pdf.switchToPage(i);
      // Text below the bottom margin would otherwise make pdfkit start a new page.
      const bottom = page.margins.bottom;
      page.margins.bottom = 0;
      this.artifact(
        () =>
          this.style(REGULAR, 8.5, MUTED).text(
            label(i - start + 1),
            this.left,
            page.height - MARGIN + 10,
            { width: this.width, align: 'center', lineBreak: false },
          ),
        'Pagination',
      );
      page.margins.bottom = bottom;
    }
  }

  private tag(parent: StructElement, type: string, draw: () => void): void {
    parent.add(this.pdf.struct(type, {}, draw));
  }

  private artifact(draw: () => void, type: 'Pagination' | 'Layout' = 'Layout'): void {
    this.pdf.markContent('Artifact', { type });
    draw();
    this.pdf.endMarkedContent();
  }

  private rule(lineWidth: number): void {
    const y = this.pdf.y;
    this.artifact(() =>
      this.pdf
        .save()
        .lineWidth(lineWidth)
        .moveTo(this.left, y)
        .lineTo(this.left + this.width, y)
        .stroke(RULE)
        .restore(),
    );
  }

  private gap(points: number): void {
    this.pdf.y += points;
  }

  /**
   * Sets the colour too, every time: pdfkit repaints text that flows onto a new page in the last
   * fill colour it was given, and save/restore does not reset that.
   */
  private style(name: string, size: number, color = INK): Pdf {
    return this.pdf.font(name).fontSize(size).fillColor(color);
  }

  private lineHeight(name: string, size: number): number {
    return this.style(name, size).currentLineHeight(true);
  }
}

/** pdfkit writes /Scope from this option; its type definitions lag behind. */
const COLUMN_HEADER = { scope: 'Column' } as PDFKit.Mixins.StructureElementOptions;
