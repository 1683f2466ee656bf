/** A language-resolved document: every text is final (Swedish or English), renderers only lay it out. */
export interface ReportDocument {
  /** BCP 47 language of the text, e.g. 'sv-SE' or 'en-GB': set as the PDF's /Lang and the Word document's language. */
  readonly language: string;
  readonly title: string;
  /** Shown under the title, e.g. the period and the log position the report was built from. */
  readonly subtitle?: string;
  /** Document properties (PDF info, docx core properties). */
  readonly author?: string;
  readonly subject?: string;
  readonly blocks: readonly ReportBlock[];
}

export type ReportBlock =
  | { readonly kind: 'heading'; readonly level: 1 | 2 | 3; readonly text: string }
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  /** A table with a header row; every row has as many cells as the header. */
  | {
      readonly kind: 'table';
      readonly caption?: string;
      readonly header: readonly string[];
      readonly rows: readonly (readonly string[])[];
      /** Columns whose cells are numbers: right-aligned. */
      readonly numericColumns?: readonly number[];
    }
  /** Label–value pairs, e.g. "Genomförda aktiviteter: 15". */
  | {
      readonly kind: 'facts';
      readonly items: readonly { readonly label: string; readonly value: string }[];
    };
