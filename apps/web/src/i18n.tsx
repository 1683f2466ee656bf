import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import * as frameWords from './words/app';
import * as startWords from './words/start';
import * as promiseWords from './words/promise';
import * as reportWords from './words/report';
import * as situationWords from './words/situation';
import * as administrationWords from './words/administration';
import * as residentsWords from './words/residents';
import * as recordWords from './words/record';
import * as talksWords from './words/talks';
import * as walksWords from './words/walks';
import * as citizenDialogueWords from './words/citizen-dialogue';
import * as auditWords from './words/audit';
import * as placesWords from './words/places';

/**
 * The app's words in Swedish (the default: the partnership works in Swedish) and English, one file
 * per part of the app under words/. Every key exists in both languages; a missing English word is
 * a type error, not a blank on screen.
 */
const sv = {
  ...frameWords.sv,
  ...startWords.sv,
  ...promiseWords.sv,
  ...reportWords.sv,
  ...situationWords.sv,
  ...administrationWords.sv,
  ...residentsWords.sv,
  ...recordWords.sv,
  ...talksWords.sv,
  ...walksWords.sv,
  ...citizenDialogueWords.sv,
  ...auditWords.sv,
  ...placesWords.sv,
};

export type MessageKey = keyof typeof sv;

const en: Record<MessageKey, string> = {
  ...frameWords.en,
  ...startWords.en,
  ...promiseWords.en,
  ...reportWords.en,
  ...situationWords.en,
  ...administrationWords.en,
  ...residentsWords.en,
  ...recordWords.en,
  ...talksWords.en,
  ...walksWords.en,
  ...citizenDialogueWords.en,
  ...auditWords.en,
  ...placesWords.en,
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
