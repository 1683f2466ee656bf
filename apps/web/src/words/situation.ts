/** The situation picture's words. */
export const sv = {
  'situation.title': 'Lägesbild',
  'situation.lead': 'Rapporter till den gemensamma lägesbilden, senaste först.',
  'situation.none': 'Inga rapporter ännu.',
  'situation.restricted': 'Begränsad',
  'situation.reportedBy': '{agency} rapporterade',
  'situation.period': '{from} – {to}',
  'situation.purpose': 'Syfte för att visa begränsade rapporter',
  'situation.purposeHint':
    'Begränsade rapporter som din myndighet får läsa visas när du anger varför, till exempel "SSPF-möte 12 november". Varje läsning loggas med syftet.',
  'situation.showRestricted': 'Visa begränsade',
  'situation.updated': 'Lägesbilden har uppdaterats.',
  'situation.purposeGiven': 'Visar även begränsade rapporter. Syfte: {purpose}',
} as const;

export const en: Record<keyof typeof sv, string> = {
  'situation.title': 'Situation picture',
  'situation.lead': 'Reports to the shared situation picture, newest first.',
  'situation.none': 'No reports yet.',
  'situation.restricted': 'Restricted',
  'situation.reportedBy': 'Reported by {agency}',
  'situation.period': '{from} – {to}',
  'situation.purpose': 'Purpose for showing restricted reports',
  'situation.purposeHint':
    'Restricted reports your agency may read are shown when you say why, for example "SSPF meeting 12 November". Each read is logged with the purpose.',
  'situation.showRestricted': 'Show restricted',
  'situation.updated': 'The situation picture has been updated.',
  'situation.purposeGiven': 'Also showing restricted reports. Purpose: {purpose}',
};
