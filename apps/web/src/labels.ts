import {
  KIND_LABELS,
  OWNER_LABELS,
  type Language,
} from '../../../libs/reporting/src/follow-up-labels';

/** Names of the log's codes, shared with the board's report so both say the same. */
const pick = (labels: typeof KIND_LABELS, code: string, language: Language): string => {
  const label = labels[code];
  return label ? label[language === 'sv' ? 0 : 1] : code;
};

export const kindLabel = (code: string, language: Language) => pick(KIND_LABELS, code, language);
export const ownerLabel = (code: string, language: Language) => pick(OWNER_LABELS, code, language);
