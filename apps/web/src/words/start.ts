/** The start page's words: the worklist. */
export const sv = {
  'start.title': 'Start',
  'start.week': 'Vecka {week}',
  'start.findings': 'Brister som din myndighet ska åtgärda',
  'start.findingsNone': 'Inga öppna brister för din myndighet.',
  'start.findingsMore': 'Visar {shown} av {total}.',
  'start.followUps': 'Uppföljningar av samtal',
  'start.followUpsDue':
    '{count} uppföljningar i samtal du deltar i är förfallna eller förfaller inom 14 dagar.',
  'start.followUpsNone': 'Inga uppföljningar förfaller inom 14 dagar.',
  'start.followUpsOther': 'I andra samtal: {count}.',
  'start.commitmentsBehind': 'Åtaganden som ligger efter sin takt',
  'start.commitmentsBehindNone': 'Inga åtaganden ligger efter.',
  'start.est': 'EST-platser att rapportera denna vecka',
  'start.estNone': 'Inga EST-rapporter saknas denna vecka.',
  'start.unknownPlaces': 'Okända platser att registrera',
  'start.unknownPlacesNone': 'Inga okända platser.',
  'start.reportedOn': 'upptäckt {date}',
} as const;

export const en: Record<keyof typeof sv, string> = {
  'start.title': 'Start',
  'start.week': 'Week {week}',
  'start.findings': 'Findings your agency is to put right',
  'start.findingsNone': 'No open findings for your agency.',
  'start.findingsMore': 'Showing {shown} of {total}.',
  'start.followUps': 'Talk follow-ups',
  'start.followUpsDue':
    '{count} follow-ups in talks you take part in are overdue or due within 14 days.',
  'start.followUpsNone': 'No follow-ups due within 14 days.',
  'start.followUpsOther': 'In other talks: {count}.',
  'start.commitmentsBehind': 'Commitments behind their cadence',
  'start.commitmentsBehindNone': 'No commitment is behind.',
  'start.est': 'EST places to report this week',
  'start.estNone': 'No EST report is missing this week.',
  'start.unknownPlaces': 'Unknown places to register',
  'start.unknownPlacesNone': 'No unknown places.',
  'start.reportedOn': 'found {date}',
};
