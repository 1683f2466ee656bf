import { useState } from 'react';
import { ChoiceField, SelectField, TextAreaField, type FieldErrors } from './form';
import { PlaceField, type RegisteredPlace } from './walk-place';
import { useI18n } from '../i18n';

export const FINDING_KINDS = [
  'poor-lighting',
  'overgrown-vegetation',
  'vandalism',
  'littering',
  'unsafe-crossing',
  'other',
] as const;

export interface FindingDraft {
  placeId: string;
  kind: string;
  description: string;
  responsibleParty: string;
}

export const EMPTY_FINDING: FindingDraft = {
  placeId: '',
  kind: '',
  description: '',
  responsibleParty: '',
};

/** What is missing from a finding, in the words of each field (ids prefixed by `prefix`). */
export function findingMissing(
  draft: FindingDraft,
  prefix: string,
  t: (
    key:
      | 'walks.error.placeId'
      | 'walks.error.kind'
      | 'walks.error.description'
      | 'walks.error.responsibleParty',
  ) => string,
): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!draft.placeId) errors[`${prefix}placeId`] = t('walks.error.placeId');
  if (!draft.kind) errors[`${prefix}kind`] = t('walks.error.kind');
  if (!draft.description.trim()) errors[`${prefix}description`] = t('walks.error.description');
  if (!draft.responsibleParty)
    errors[`${prefix}responsibleParty`] = t('walks.error.responsibleParty');
  return errors;
}

/** The ids of a finding's fields, in the order shown. */
export const findingFields = (prefix: string) =>
  ['placeId', 'kind', 'description', 'responsibleParty'].map((f) => `${prefix}${f}`);

/**
 * The fields of one finding: the place (chosen, or the one nearest the phone), what kind of
 * problem, what makes it feel unsafe, and who is to put it right.
 */
export function FindingFields({
  prefix,
  draft,
  onChange,
  errors,
  places,
  parties,
  onTextChange,
}: {
  prefix: string;
  draft: FindingDraft;
  onChange: (draft: FindingDraft) => void;
  errors: FieldErrors;
  places: readonly RegisteredPlace[];
  parties: readonly string[];
  onTextChange?: () => void;
}) {
  const { t, agency } = useI18n();
  const set = <K extends keyof FindingDraft>(field: K, value: FindingDraft[K]) =>
    onChange({ ...draft, [field]: value });
  return (
    <>
      <PlaceField
        id={`${prefix}placeId`}
        label={t('findings.place')}
        hint={t('findings.placeHint')}
        error={errors[`${prefix}placeId`]}
        value={draft.placeId}
        onChange={(v) => set('placeId', v)}
        places={places}
      />
      <ChoiceField
        id={`${prefix}kind`}
        type="radio"
        legend={t('findings.kind')}
        error={errors[`${prefix}kind`]}
        value={[draft.kind]}
        onChange={([v]) => set('kind', v ?? '')}
        options={FINDING_KINDS.map((k) => ({ value: k, label: t(`findings.kind.${k}`) }))}
      />
      <TextAreaField
        id={`${prefix}description`}
        label={t('findings.description')}
        hint={t('findings.descriptionHint')}
        error={errors[`${prefix}description`]}
        value={draft.description}
        onChange={(v) => {
          set('description', v);
          onTextChange?.();
        }}
        maxLength={4000}
      />
      <SelectField
        id={`${prefix}responsibleParty`}
        label={t('findings.responsible')}
        hint={t('findings.responsibleHint')}
        error={errors[`${prefix}responsibleParty`]}
        value={draft.responsibleParty}
        onChange={(v) => set('responsibleParty', v)}
        placeholder={t('findings.responsibleChoose')}
        options={parties.map((a) => ({ value: a, label: agency(a) }))}
      />
    </>
  );
}

/** A finding's kind, place names and description, as a list shows it. */
export function useFindingWords(places: readonly RegisteredPlace[]) {
  const { t, has } = useI18n();
  const names = new Map(places.map((p) => [p.placeId, p.name]));
  return {
    kind: (kind: string) => {
      const key = `findings.kind.${kind}`;
      return has(key) ? t(key) : kind;
    },
    places: (ids: readonly string[], unresolved?: string) =>
      unresolved ?? ids.map((id) => names.get(id) ?? id).join(', '),
  };
}

/** A draft kept while the walk goes on, so a reload on the phone loses nothing. */
export function useStoredDrafts(storageKey: string) {
  const [drafts, setDrafts] = useState<(FindingDraft & { findingId: string })[]>(() => {
    try {
      const stored = sessionStorage.getItem(storageKey);
      return stored ? (JSON.parse(stored) as (FindingDraft & { findingId: string })[]) : [];
    } catch {
      return [];
    }
  });
  const store = (next: (FindingDraft & { findingId: string })[]) => {
    setDrafts(next);
    try {
      if (next.length === 0) sessionStorage.removeItem(storageKey);
      else sessionStorage.setItem(storageKey, JSON.stringify(next));
    } catch {
      // Storage may be off: the list is kept in the page only.
    }
  };
  return [drafts, store] as const;
}
