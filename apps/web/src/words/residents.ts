/** The residents' page's words: what was promised and what was done. */
export const sv = {
  'residents.title': 'Vi lovade – vi gjorde',
  'residents.lead':
    'Polisen och Hammarö kommun har gett ett medborgarlöfte: vad vi tillsammans ska göra för att det ska bli tryggare där du bor. Här ser du vad vi lovade och vad vi har gjort hittills.',
  'residents.promised': 'Vi lovade',
  'residents.did': 'Vi gjorde',
  'residents.doneTimes': '{count} gånger mellan {from} och {to}.',
  'residents.doneOnce': 'En gång, {date}.',
  'residents.notYet': 'Inget registrerat ännu.',
  'residents.kinds': 'Bland annat: {kinds}.',
  'residents.places': 'På: {places}.',
  'residents.confidence':
    'Dessutom arbete som av hänsyn till de inblandade inte redovisas i detalj: {count} tillfällen.',
  'residents.fulfilment': 'Målet var {cadence}; det nåddes {fulfilled} av {due} {period}.',
  'residents.by': 'Ansvarig: {owner}',
  'residents.about':
    'Sidan visar bara antal, datum och platser. Inga uppgifter om enskilda personer visas här.',
  'residents.none': 'Det finns inget medborgarlöfte som gäller just nu.',
} as const;

export const en: Record<keyof typeof sv, string> = {
  'residents.title': 'We promised – we did',
  'residents.lead':
    'The police and Hammarö municipality have made a citizen promise: what we will do together to make where you live safer. Here is what we promised and what we have done so far.',
  'residents.promised': 'We promised',
  'residents.did': 'We did',
  'residents.doneTimes': '{count} times between {from} and {to}.',
  'residents.doneOnce': 'Once, on {date}.',
  'residents.notYet': 'Nothing recorded yet.',
  'residents.kinds': 'Among other things: {kinds}.',
  'residents.places': 'At: {places}.',
  'residents.confidence':
    'Also work not shown in detail, out of regard for the people involved: {count} occasions.',
  'residents.fulfilment': 'The aim was {cadence}; it was met in {fulfilled} of {due} {period}.',
  'residents.by': 'Responsible: {owner}',
  'residents.about':
    'This page shows only counts, dates and places. Nothing about any individual is shown here.',
  'residents.none': 'No citizen promise is in force just now.',
};
