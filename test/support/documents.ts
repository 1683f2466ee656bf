import JSZip from 'jszip';
import type request from 'supertest';

/**
 * pdf.js is ES modules only: a real `import()` loads it (TypeScript's node16 module setting and
 * swc's ignoreDynamic keep it one; Jest runs with --experimental-vm-modules to serve it).
 */
const importPdfJs = () => import('pdfjs-dist/legacy/build/pdf.mjs');

/** Every page's text of a PDF, read by a real PDF parser, runs of white space as one space. */
export async function pdfText(buffer: Buffer): Promise<string> {
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
      pages.push(
        content.items
          .map((item) => ('str' in item ? `${item.str}${item.hasEOL ? ' ' : ''}` : ''))
          .join(''),
      );
    }
    return pages.join(' ').replace(/\s+/g, ' ');
  } finally {
    await pdf.destroy();
  }
}

/** The parts of a Word document (.docx is a zip of XML parts) that hold its text and styles. */
export async function docxParts(
  buffer: Buffer,
): Promise<{ document: string; styles: string; text: string }> {
  const zip = await JSZip.loadAsync(buffer);
  const document = await zip.file('word/document.xml')!.async('string');
  const styles = await zip.file('word/styles.xml')!.async('string');
  // The text as a reader sees it: each paragraph's runs joined.
  const text = document
    .split('</w:p>')
    .map((p) => [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''))
    .join(' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/\s+/g, ' ');
  return { document, styles, text };
}

type Parser = Parameters<request.Test['parse']>[0];

/** Supertest's parser that keeps a binary body (a PDF, a Word file) as a Buffer. */
export const binary = ((
  res: NodeJS.ReadableStream,
  done: (error: Error | null, body: Buffer) => void,
): void => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
  res.on('error', (error: Error) => done(error, Buffer.alloc(0)));
}) as unknown as Parser;
