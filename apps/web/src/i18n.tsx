import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';

/**
 * The app's words in Swedish (the default: the partnership works in Swedish) and English. Every
 * key exists in both; a missing English word is a type error, not a blank on screen.
 */
const sv = {
  'app.name': 'Samverkan',
  'app.tagline': 'Trygghetssamverkan Hammarö',
  'skip.toMain': 'Hoppa till innehållet',
  'nav.label': 'Huvudmeny',
  'nav.start': 'Start',
  'nav.promise': 'Medborgarlöfte',
  'nav.residents': 'För invånare',
  'lang.switch': 'English',
  'lang.switchLabel': 'Byt språk till',
  'session.signOut': 'Logga ut',
  'session.actingAs': 'Du arbetar som {role}, {agency}',
  'session.loading': 'Hämtar din inloggning …',
  'session.pending':
    'Du är inloggad men har ännu ingen roll. Din myndighets användaradministratör ger dig en roll; sedan laddar du om sidan.',
  'signIn.title': 'Logga in',
  'signIn.lead':
    'Samverkan är partnerskapets gemensamma arbetsyta för lägesbild, medborgarlöften och trygghetsvandringar. Logga in med din organisations inloggning.',
  'signIn.with': 'Logga in med {provider}',
  'signIn.none': 'Ingen inloggning är konfigurerad. Kontakta den som driftar tjänsten.',
  'signIn.residents': 'Är du invånare? Se vad partnerskapet lovat och gjort.',
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
  'promise.title': 'Medborgarlöfte',
  'promise.period': 'Gäller {from} – {to}',
  'promise.owner': 'Ansvarig: {agency}',
  'promise.activities': '{count} genomförda aktiviteter',
  'promise.lastActivity': 'senast {date}',
  'promise.noActivity': 'Inga aktiviteter registrerade ännu.',
  'promise.fulfilment': 'Uppfyllt {fulfilled} av {due} {period} ({cadence})',
  'promise.cadence.week': '{times} gång per vecka',
  'promise.cadence.month': '{times} gång per månad',
  'promise.cadence.quarter': '{times} gång per kvartal',
  'promise.cadence.year': '{times} gång per år',
  'promise.period.week': 'veckor',
  'promise.period.month': 'månader',
  'promise.period.quarter': 'kvartal',
  'promise.period.year': 'år',
  'promise.report': 'Uppföljningsrapport till kommunstyrelsen',
  'promise.reportPdf': 'Ladda ner som PDF',
  'promise.reportDocx': 'Ladda ner som Word',
  'promise.problemAreas': 'Problemområden',
  'promise.status.active': 'Pågår',
  'promise.status.no-activity': 'Ingen aktivitet än',
  'promise.status.behind': 'Ligger efter',
  'promise.status.on-track': 'Enligt plan',
  'promise.status.not-yet-due': 'Inte påbörjat',
  'promise.status.withdrawn': 'Återkallat',
  'promise.none': 'Partnerskapet har inget medborgarlöfte ännu.',
  'nav.situation': 'Lägesbild',
  'nav.report': 'Rapportera',
  'form.errorSummary': 'Det finns ett problem',
  'form.errorPrefix': 'Fel:',
  'report.title': 'Rapportera till lägesbilden',
  'report.lead':
    'Det du rapporterar blir en del av partnerskapets gemensamma lägesbild. Skriv om platser och mönster, inte om enskilda personer.',
  'report.place': 'Plats',
  'report.placeChoose': 'Välj plats',
  'report.problemArea': 'Problemområde',
  'report.periodFrom': 'Från och med',
  'report.periodTo': 'Till och med',
  'report.trend': 'Utveckling',
  'report.trend.rising': 'Ökande',
  'report.trend.stable': 'Oförändrad',
  'report.trend.falling': 'Minskande',
  'report.severity': 'Allvarlighetsgrad',
  'report.severity.low': 'Låg',
  'report.severity.medium': 'Medel',
  'report.severity.high': 'Hög',
  'report.description': 'Vad har ni sett?',
  'report.descriptionHint': 'Skriv inga namn eller personnummer. Högst 4000 tecken.',
  'report.source': 'Källa',
  'report.source.own-observation': 'Egen iakttagelse',
  'report.source.citizen-dialogue': 'Medborgardialog',
  'report.source.statistics': 'Statistik',
  'report.source.incident-reports': 'Anmälningar och händelserapporter',
  'report.sensitivity': 'Vem får läsa rapporten?',
  'report.sensitivity.open': 'Hela samverkan',
  'report.sensitivity.openHint': 'Alla myndigheter i partnerskapet ser rapporten.',
  'report.sensitivity.restricted': 'Begränsad',
  'report.sensitivity.restrictedHint': 'Bara din myndighet och de du väljer ser rapporten.',
  'report.sharedWith': 'Dela med',
  'report.submit': 'Skicka rapporten',
  'report.done': 'Rapporten är registrerad',
  'report.doneBody': 'Rapporten finns nu i lägesbilden för dem som får läsa den.',
  'report.another': 'Rapportera något mer',
  'report.confirmBody':
    'Texten innehåller något som liknar ett personnummer. Ta bort det, eller bekräfta att det inte är ett personnummer.',
  'report.confirmLabel': 'Jag bekräftar att texten inte innehåller något personnummer',
  'report.error.placeId': 'Välj en plats',
  'report.error.problemArea': 'Välj ett problemområde',
  'report.error.periodFrom': 'Ange när perioden börjar',
  'report.error.periodTo': 'Ange när perioden slutar',
  'report.error.periodOrder': 'Perioden kan inte sluta innan den börjar',
  'report.error.date': 'Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-11-01',
  'report.dateHint': 'ÅÅÅÅ-MM-DD',
  'report.error.trend': 'Välj hur läget utvecklas',
  'report.error.severity': 'Välj allvarlighetsgrad',
  'report.error.description': 'Beskriv vad ni har sett',
  'report.error.source': 'Välj en källa',
  'report.error.sensitivity': 'Välj vem som får läsa rapporten',
  'report.error.sharedWith': 'Välj minst en myndighet att dela med',
  'report.error.confirm':
    'Texten liknar ett personnummer: ta bort det eller bekräfta att det inte är ett',
  'report.error.identityNumber': 'Texten innehåller ett personnummer: ta bort det',
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
  'nav.admin': 'Administration',
  'admin.title': 'Användare och roller',
  'admin.pending': 'Väntar på en roll',
  'admin.pendingNone': 'Ingen väntar på en roll.',
  'admin.users': 'Din myndighets användare',
  'admin.revoke': 'Återkalla',
  'admin.revokeTitle': 'Återkalla rollen {role} för {name}',
  'admin.reason': 'Skäl',
  'admin.reasonHint': 'Skälet sparas i granskningsloggen. Skriv inga personnummer.',
  'admin.revokeConfirm': 'Återkalla rollen',
  'admin.cancel': 'Avbryt',
  'admin.grantLabel': 'Ge en roll',
  'admin.chooseRole': 'Välj roll',
  'admin.grant': 'Ge rollen',
  'admin.granted': 'Rollen {role} är given.',
  'admin.revoked': 'Rollen {role} är återkallad.',
  'admin.error.role': 'Välj en roll',
  'admin.error.reason': 'Skriv varför rollen återkallas',
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
  'error.title': 'Något gick fel',
  'error.retry': 'Försök igen',
  'error.forbidden': 'Din myndighet eller roll har inte behörighet till det här.',
  'error.unavailable': 'Tjänsten når inte sin databas just nu. Försök igen om en stund.',
  loading: 'Hämtar …',
  'count.fewerThan5': 'färre än 5',
  'notFound.title': 'Sidan finns inte',
  'notFound.body': 'Kontrollera adressen, eller gå till startsidan.',
  'footer.about': 'Samverkan – för lokal brottsförebyggande samverkan mellan polis och kommun.',
} as const;

export type MessageKey = keyof typeof sv;

const en: Record<MessageKey, string> = {
  'app.name': 'Samverkan',
  'app.tagline': 'Safety partnership Hammarö',
  'skip.toMain': 'Skip to main content',
  'nav.label': 'Main menu',
  'nav.start': 'Start',
  'nav.promise': 'Citizen promise',
  'nav.residents': 'For residents',
  'lang.switch': 'Svenska',
  'lang.switchLabel': 'Change the language to',
  'session.signOut': 'Sign out',
  'session.actingAs': 'You are working as {role}, {agency}',
  'session.loading': 'Checking your sign-in …',
  'session.pending':
    "You are signed in but hold no role yet. Your agency's user administrator grants you one; then reload this page.",
  'signIn.title': 'Sign in',
  'signIn.lead':
    "Samverkan is the partnership's shared workspace for the situation picture, citizen promises and safety walks. Sign in with your organisation's sign-in.",
  'signIn.with': 'Sign in with {provider}',
  'signIn.none': 'No sign-in is configured. Contact whoever runs the service.',
  'signIn.residents': 'A resident? See what the partnership promised and did.',
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
  'promise.title': 'Citizen promise',
  'promise.period': 'In force {from} – {to}',
  'promise.owner': 'Owner: {agency}',
  'promise.activities': '{count} activities done',
  'promise.lastActivity': 'latest {date}',
  'promise.noActivity': 'No activity recorded yet.',
  'promise.fulfilment': 'Met in {fulfilled} of {due} {period} ({cadence})',
  'promise.cadence.week': '{times} time(s) a week',
  'promise.cadence.month': '{times} time(s) a month',
  'promise.cadence.quarter': '{times} time(s) a quarter',
  'promise.cadence.year': '{times} time(s) a year',
  'promise.period.week': 'weeks',
  'promise.period.month': 'months',
  'promise.period.quarter': 'quarters',
  'promise.period.year': 'years',
  'promise.report': 'Follow-up report for the municipal board',
  'promise.reportPdf': 'Download as PDF',
  'promise.reportDocx': 'Download as Word',
  'promise.problemAreas': 'Problem areas',
  'promise.status.active': 'Under way',
  'promise.status.no-activity': 'No activity yet',
  'promise.status.behind': 'Behind',
  'promise.status.on-track': 'On track',
  'promise.status.not-yet-due': 'Not yet due',
  'promise.status.withdrawn': 'Withdrawn',
  'promise.none': 'The partnership has no citizen promise yet.',
  'nav.situation': 'Situation picture',
  'nav.report': 'Report',
  'form.errorSummary': 'There is a problem',
  'form.errorPrefix': 'Error:',
  'report.title': 'Report to the situation picture',
  'report.lead':
    "What you report becomes part of the partnership's shared situation picture. Write about places and patterns, not about individuals.",
  'report.place': 'Place',
  'report.placeChoose': 'Choose a place',
  'report.problemArea': 'Problem area',
  'report.periodFrom': 'From',
  'report.periodTo': 'To',
  'report.trend': 'Trend',
  'report.trend.rising': 'Rising',
  'report.trend.stable': 'Stable',
  'report.trend.falling': 'Falling',
  'report.severity': 'Severity',
  'report.severity.low': 'Low',
  'report.severity.medium': 'Medium',
  'report.severity.high': 'High',
  'report.description': 'What have you seen?',
  'report.descriptionHint': 'Write no names or personal identity numbers. At most 4000 characters.',
  'report.source': 'Source',
  'report.source.own-observation': 'Own observation',
  'report.source.citizen-dialogue': 'Citizen dialogue',
  'report.source.statistics': 'Statistics',
  'report.source.incident-reports': 'Incident reports',
  'report.sensitivity': 'Who may read the report?',
  'report.sensitivity.open': 'The whole partnership',
  'report.sensitivity.openHint': 'Every agency of the partnership sees the report.',
  'report.sensitivity.restricted': 'Restricted',
  'report.sensitivity.restrictedHint': 'Only your agency and those you choose see the report.',
  'report.sharedWith': 'Share with',
  'report.submit': 'Send the report',
  'report.done': 'The report is recorded',
  'report.doneBody': 'It is now in the situation picture for those who may read it.',
  'report.another': 'Report something else',
  'report.confirmBody':
    'The text holds something like a personal identity number. Remove it, or confirm that it is not one.',
  'report.confirmLabel': 'I confirm the text holds no personal identity number',
  'report.error.placeId': 'Choose a place',
  'report.error.problemArea': 'Choose a problem area',
  'report.error.periodFrom': 'Enter when the period starts',
  'report.error.periodTo': 'Enter when the period ends',
  'report.error.periodOrder': 'The period cannot end before it starts',
  'report.error.date': 'Write the date as YYYY-MM-DD, for example 2026-11-01',
  'report.dateHint': 'YYYY-MM-DD',
  'report.error.trend': 'Choose how the situation develops',
  'report.error.severity': 'Choose a severity',
  'report.error.description': 'Describe what you have seen',
  'report.error.source': 'Choose a source',
  'report.error.sensitivity': 'Choose who may read the report',
  'report.error.sharedWith': 'Choose at least one agency to share with',
  'report.error.confirm':
    'The text looks like a personal identity number: remove it or confirm it is not one',
  'report.error.identityNumber': 'The text holds a personal identity number: remove it',
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
  'nav.admin': 'Administration',
  'admin.title': 'Users and roles',
  'admin.pending': 'Waiting for a role',
  'admin.pendingNone': 'No one is waiting for a role.',
  'admin.users': "Your agency's users",
  'admin.revoke': 'Revoke',
  'admin.revokeTitle': 'Revoke the role {role} from {name}',
  'admin.reason': 'Reason',
  'admin.reasonHint': 'The reason is kept in the audit trail. Write no personal identity numbers.',
  'admin.revokeConfirm': 'Revoke the role',
  'admin.cancel': 'Cancel',
  'admin.grantLabel': 'Grant a role',
  'admin.chooseRole': 'Choose a role',
  'admin.grant': 'Grant the role',
  'admin.granted': 'The role {role} is granted.',
  'admin.revoked': 'The role {role} is revoked.',
  'admin.error.role': 'Choose a role',
  'admin.error.reason': 'Write why the role is revoked',
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
  'error.title': 'Something went wrong',
  'error.retry': 'Try again',
  'error.forbidden': 'Your agency or role may not see this.',
  'error.unavailable': 'The service cannot reach its database just now. Try again shortly.',
  loading: 'Loading …',
  'count.fewerThan5': 'fewer than 5',
  'notFound.title': 'Page not found',
  'notFound.body': 'Check the address, or go to the start page.',
  'footer.about':
    'Samverkan – for local crime-prevention partnerships between police and municipality.',
};

export type Language = 'sv' | 'en';
const messages: Record<Language, Record<MessageKey, string>> = { sv, en };

const AGENCIES: Record<Language, Record<string, string>> = {
  sv: {
    police: 'Polisen',
    municipality: 'Kommunen',
    'social-services': 'Socialtjänsten',
    school: 'Skolan',
    leisure: 'Fritid',
    'municipal-security': 'Kommunens väktare',
    'rescue-service': 'Räddningstjänsten',
    'housing-company': 'Bostadsbolaget',
    joint: 'Gemensamt',
  },
  en: {
    police: 'Police',
    municipality: 'Municipality',
    'social-services': 'Social services',
    school: 'School',
    leisure: 'Leisure services',
    'municipal-security': "Municipality's security guards",
    'rescue-service': 'Rescue service',
    'housing-company': 'Housing company',
    joint: 'Joint',
  },
};

const ROLES: Record<Language, Record<string, string>> = {
  sv: {
    officer: 'polis',
    'municipal-police-officer': 'kommunpolis',
    'area-chief': 'lokalpolisområdeschef',
    analyst: 'analytiker',
    'board-chair': 'kommunstyrelsens ordförande',
    'chief-executive': 'kommundirektör',
    'safety-coordinator': 'trygghetssamordnare',
    'partnership-auditor': 'granskare',
    operator: 'driftansvarig',
    'social-worker': 'socialsekreterare',
    'field-worker': 'fältassistent',
    'unit-manager': 'enhetschef',
    principal: 'rektor',
    'student-health': 'elevhälsa',
    teacher: 'lärare',
    'youth-worker': 'fritidsledare',
    'leisure-manager': 'fritidschef',
    'security-guard': 'väktare',
    'rescue-officer': 'räddningstjänst',
    'property-manager': 'fastighetsförvaltare',
    'user-administrator': 'användaradministratör',
    'data-protection-officer': 'dataskyddsombud',
    'agency-system': 'verksamhetssystem',
  },
  en: {
    officer: 'police officer',
    'municipal-police-officer': 'municipal police officer',
    'area-chief': 'area chief',
    analyst: 'analyst',
    'board-chair': 'chair of the municipal board',
    'chief-executive': 'chief executive',
    'safety-coordinator': 'safety coordinator',
    'partnership-auditor': 'partnership auditor',
    operator: 'operator',
    'social-worker': 'social worker',
    'field-worker': 'field worker',
    'unit-manager': 'unit manager',
    principal: 'principal',
    'student-health': 'student health',
    teacher: 'teacher',
    'youth-worker': 'youth worker',
    'leisure-manager': 'leisure manager',
    'security-guard': 'security guard',
    'rescue-officer': 'rescue officer',
    'property-manager': 'property manager',
    'user-administrator': 'user administrator',
    'data-protection-officer': 'data protection officer',
    'agency-system': 'agency system',
  },
};

export interface I18n {
  readonly language: Language;
  readonly setLanguage: (language: Language) => void;
  readonly t: (key: MessageKey, vars?: Readonly<Record<string, string | number>>) => string;
  /** Whether a key made at run time (`report.error.${field}`) is one of the app's words. */
  readonly has: (key: string) => key is MessageKey;
  readonly agency: (code: string) => string;
  readonly role: (code: string) => string;
  /** A date (YYYY-MM-DD) as people write it: 22 augusti 2024. */
  readonly date: (isoDate: string) => string;
  /** A count as the API shows it: a number, or a small one blurred ('fewer than 5'). */
  readonly count: (shown: number | string) => string;
}

const I18nContext = createContext<I18n | undefined>(undefined);
const STORAGE_KEY = 'samverkan.language';

function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'sv' || saved === 'en') return saved;
  } catch {
    // Storage may be off (private mode): Swedish, the partnership's language.
  }
  return 'sv';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not kept across visits, then.
    }
  }, []);
  const value = useMemo<I18n>(() => {
    const dates = new Intl.DateTimeFormat(language === 'sv' ? 'sv-SE' : 'en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
    return {
      language,
      setLanguage,
      t: (key, vars) =>
        messages[language][key].replace(/\{(\w+)\}/g, (_, name: string) =>
          vars && name in vars ? String(vars[name]) : `{${name}}`,
        ),
      has: (key): key is MessageKey => key in messages[language],
      agency: (code) => AGENCIES[language][code] ?? code,
      role: (code) => ROLES[language][code] ?? code,
      count: (shown) =>
        typeof shown === 'number'
          ? String(shown)
          : shown === 'fewer than 5'
            ? messages[language]['count.fewerThan5']
            : shown,
      date: (isoDate) => {
        const at = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
        return Number.isNaN(at.getTime()) ? isoDate : dates.format(at);
      },
    };
  }, [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
