/**
 * The words of the follow-up report in Swedish (the default: the board's language) and English.
 * Figures, kinds and codes are data in the log; here they get the names a reader expects.
 */
export type Language = 'sv' | 'en';

type Labels = Readonly<Record<string, readonly [sv: string, en: string]>>;

export const FIGURE_LABELS: Labels = {
  vehiclesChecked: ['Kontrollerade fordon', 'Vehicles checked'],
  breathTests: ['Utandningsprov', 'Breath tests'],
  drugTests: ['Drogtester', 'Drug tests'],
  mopedsChecked: ['Kontrollerade mopeder', 'Mopeds checked'],
  aTractorsChecked: ['Kontrollerade A-traktorer', 'A-tractors checked'],
  reportsFiled: ['Upprättade anmälningar', 'Reports filed'],
  visitors: ['Besökare', 'Visitors'],
  hoursOfPresence: ['Timmar på plats', 'Hours of presence'],
  peopleReached: ['Nådda personer', 'People reached'],
  rounds: ['Ronder', 'Rounds'],
  incidentsReported: ['Rapporterade händelser', 'Incidents reported'],
  meetingsHeld: ['Hållna möten', 'Meetings held'],
  seizures: ['Beslag', 'Seizures'],
};

export const KIND_LABELS: Labels = {
  'mobile-police-office': ['Mobilt poliskontor', 'Mobile police office'],
  'traffic-control': ['Trafikkontroll', 'Traffic control'],
  'foot-patrol': ['Fotpatrullering', 'Foot patrol'],
  'security-guard-round': ['Väktarrond', 'Security guard round'],
  'information-campaign': ['Informationskampanj', 'Information campaign'],
  'andts-information': ['ANDTS-information', 'ANDTS information'],
  'youth-drug-prevention': ['Drogförebyggande insats för unga', 'Drug prevention for young people'],
  'parent-support': ['Föräldrastöd', 'Parent support'],
  'sspf-meeting': ['SSPF-möte', 'SSPF meeting'],
  'safety-walk': ['Trygghetsvandring', 'Safety walk'],
  'situation-picture-confirmation': ['Bekräftad lägesbild', 'Confirmed situation picture'],
  activity: ['Aktivitet', 'Activity'],
  'prevention-talk': ['Förebyggande samtal', 'Prevention talk'],
};

export const OWNER_LABELS: Labels = {
  police: ['Polisen', 'The police'],
  municipality: ['Kommunen', 'The municipality'],
  joint: ['Polisen och kommunen gemensamt', 'The police and the municipality together'],
};

export const AGENCY_LABELS: Labels = {
  police: ['Polisen', 'Police'],
  municipality: ['Kommunen', 'Municipality'],
  'social-services': ['Socialtjänsten', 'Social services'],
  school: ['Skolan', 'School'],
  leisure: ['Fritidsverksamheten', 'Leisure services'],
  'municipal-security': ['Kommunens väktare', "The municipality's security guards"],
  'rescue-service': ['Räddningstjänsten', 'Rescue service'],
  'housing-company': ['Bostadsbolaget', 'Housing company'],
};

export const EST_LABELS: Labels = {
  vandalism: ['Skadegörelse', 'Vandalism'],
  'gathering-places': ['Samlingsplatser', 'Gathering places'],
  'unsafe-places': ['Otrygga platser', 'Unsafe places'],
  'threats-to-staff': ['Hot mot personal', 'Threats to staff'],
  rumours: ['Rykten', 'Rumours'],
  littering: ['Nedskräpning', 'Littering'],
  fires: ['Bränder', 'Fires'],
};

export const CHANGE_LABELS: Labels = {
  rising: ['Ökande', 'Rising'],
  stable: ['Oförändrad', 'Stable'],
  falling: ['Minskande', 'Falling'],
};

export const FINDING_LABELS: Labels = {
  'poor-lighting': ['Bristande belysning', 'Poor lighting'],
  'overgrown-vegetation': ['Igenvuxen växtlighet', 'Overgrown vegetation'],
  vandalism: ['Skadegörelse', 'Vandalism'],
  littering: ['Nedskräpning', 'Littering'],
  'unsafe-crossing': ['Otrygg passage', 'Unsafe crossing'],
  other: ['Övrigt', 'Other'],
};

export const RECIPIENT_LABELS: Labels = {
  'municipal-board': ['Kommunstyrelsen', 'The municipal board'],
  'police-area-management': ['Lokalpolisområdets ledning', 'The police area management'],
};

export const CADENCE_LABELS: Labels = {
  week: ['vecka', 'week'],
  month: ['månad', 'month'],
  quarter: ['kvartal', 'quarter'],
  year: ['år', 'year'],
};

export const CADENCE_PLURALS: Labels = {
  week: ['veckor', 'weeks'],
  month: ['månader', 'months'],
  quarter: ['kvartal', 'quarters'],
  year: ['år', 'years'],
};

/** A label from a table; a code the table lacks is written out from its own words. */
export function label(table: Labels, code: string, lang: Language): string {
  const known = table[code];
  if (known) return known[lang === 'sv' ? 0 : 1];
  const words = code
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/-/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
