import type { ReportDocument } from './report-document';

/** Test data for the renderers' specs: Swedish letters, an en dash, every block kind. */
export const sampleReport: ReportDocument = {
  language: 'sv-SE',
  title: 'Uppföljning av medborgarlöfte – Hammarö 2025',
  subtitle: 'Period 2025-01-01 – 2025-06-30, byggd från loggposition 1 234',
  author: 'Hammarö kommun och Polisen',
  subject: 'Medborgarlöfte: trygghet i centrum',
  blocks: [
    { kind: 'heading', level: 1, text: 'Sammanfattning' },
    {
      kind: 'paragraph',
      text: 'Under perioden har parterna genomfört trygghetsvandringar, ökad närvaro på skolgårdar och samtal med föräldrar. Målet för året är nått till två tredjedelar.',
    },
    {
      kind: 'facts',
      items: [
        { label: 'Genomförda aktiviteter', value: '15' },
        { label: 'Åtaganden i fas', value: '4 av 6' },
      ],
    },
    { kind: 'heading', level: 2, text: 'Åtaganden' },
    {
      kind: 'list',
      items: [
        'Polisen patrullerar vid Skoghallsskolan fredagskvällar.',
        'Kommunen förbättrar belysningen längs gång- och cykelvägen.',
        'Fritidsgården håller öppet även under lov – även jul.',
      ],
    },
    { kind: 'heading', level: 3, text: 'Aktiviteter per månad' },
    {
      kind: 'table',
      caption: 'Aktiviteter januari–juni',
      header: ['Månad', 'Aktivitet', 'Antal'],
      rows: [
        ['Januari', 'Trygghetsvandring i Skoghall', '2'],
        ['Februari', 'Föräldravandring | kväll', '3'],
        ['Mars', 'Närvaro på skolgård', '10'],
      ],
      numericColumns: [2],
    },
  ],
};
