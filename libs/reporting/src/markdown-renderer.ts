import type { ReportBlock, ReportDocument } from './report-document';

/** GitHub-flavoured Markdown: blocks separated by a blank line, tables as pipe tables. */
export function renderMarkdown(doc: ReportDocument): string {
  const parts = [`# ${inline(doc.title)}`];
  if (doc.subtitle) parts.push(paragraph(doc.subtitle));
  for (const block of doc.blocks) {
    const text = renderBlock(block);
    if (text !== '') parts.push(text);
  }
  return `${parts.join('\n\n')}\n`;
}

function renderBlock(block: ReportBlock): string {
  switch (block.kind) {
    case 'heading':
      return `${'#'.repeat(block.level + 1)} ${inline(block.text)}`;
    case 'paragraph':
      return paragraph(block.text);
    case 'list':
      return block.items.map((text) => `- ${item(text)}`).join('\n');
    case 'facts':
      return block.items
        .map(({ label, value }) => `- **${inline(label)}:** ${inline(value)}`)
        .join('\n');
    case 'table': {
      if (block.header.length === 0) return '';
      const numeric = new Set(block.numericColumns);
      const row = (cells: readonly string[]) =>
        `| ${block.header.map((_, i) => inline(cells[i] ?? '')).join(' | ')} |`;
      const rule = `| ${block.header.map((_, i) => (numeric.has(i) ? '---:' : '---')).join(' | ')} |`;
      const lines = [row(block.header), rule, ...block.rows.map(row)];
      if (block.caption) lines.unshift(`**${inline(block.caption)}**`, '');
      return lines.join('\n');
    }
  }
}

/** Paragraph text keeps its line breaks; leading whitespace would turn a line into code. */
function paragraph(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => escapeText(line.trim()))
    .filter((line) => line !== '')
    .join('\n');
}

/**
 * Headings and table cells hold inline content only: a line break would end them, but a
 * leading "1." or "#" is text there, so "## 1. Alkohol" stays as written.
 */
function inline(text: string): string {
  return escapeInline(text.replace(/\s+/g, ' ').trim());
}

/** A list item holds blocks: "- # x" would be a heading inside it, so its start is escaped. */
function item(text: string): string {
  return escapeText(text.replace(/\s+/g, ' ').trim());
}

/** Emphasis, code, links, raw HTML, strikethrough and table pipes, wherever they stand. */
function escapeInline(text: string): string {
  return text.replace(/[\\`*_[\]<|~]/g, '\\$&').replace(/&(?=#?\w+;)/g, '\\&');
}

function escapeText(text: string): string {
  return (
    escapeInline(text)
      // Headings, quotes, list markers and setext underlines only count at the start of a line.
      .replace(/^([#>+=-])/, '\\$1')
      .replace(/^(\d+)([.)])/, '$1\\$2')
  );
}
