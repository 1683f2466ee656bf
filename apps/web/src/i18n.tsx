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
