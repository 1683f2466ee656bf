import type { ReactNode } from 'react';
import { ApiProblem } from '../api';
import { useIdempotentPost } from '../submission';
import { useI18n, type MessageKey } from '../i18n';
import { PageTitle } from './layout';
import type { FieldErrors } from './form';

/**
 * What the record forms (EST counts, an activity, a credit) share: who may record at all, a
 * number field, one submission at a time with one Idempotency-Key, the API's problems mapped to
 * the fields, the personal-data confirmation, and the confirmation panel after.
 */

/**
 * Roles that read and never record, as the access policy has them (`assertMayIssue`): the
 * forms say so at once instead of failing on submit. The API decides all the same.
 */
const READ_ONLY_ROLES: readonly string[] = [
  'auditor',
  'data-protection-officer',
  'partnership-auditor',
  'operator',
  'user-administrator',
];

export const mayRecord = (role: string | null): boolean =>
  role !== null && !READ_ONLY_ROLES.includes(role);

/** A clear "not for you", with what to do instead, where a form would be. */
export function RecordRefusal({ title, reason }: { title: string; reason: string }) {
  const { t } = useI18n();
  return (
    <>
      <PageTitle>{title}</PageTitle>
      <div className="notice record-refusal" role="status">
        <h2>{t('record.refusedTitle')}</h2>
        <p>{reason}</p>
      </div>
    </>
  );
}

/** A whole number of 0 or more typed as digits, or undefined. */
export function wholeNumber(value: string): number | undefined {
  const trimmed = value.trim();
  if (!/^\d{1,5}$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

/** A count typed as digits, with its label, hint and error tied to it. */
export function NumberField({
  id,
  label,
  hint,
  error,
  value,
  onChange,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  value: string;
  onChange: (value: string) => void;
}) {
  const { t } = useI18n();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={`field field--inline record-count${error ? ' field--error' : ''}`}>
      <label className="label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          <span className="visually-hidden">{t('form.errorPrefix')} </span>
          {error}
        </p>
      )}
      <input
        id={id}
        name={id}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        maxLength={5}
        className="input input--count"
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}

/** How a form names the API's problems: by the request's field path, and by the problem's code. */
export interface ProblemMap {
  /** The form's field id for a path of the request body (`counts.vandalism`), if it has one. */
  readonly field: (path: string) => string | undefined;
  /** The field and the words for a domain refusal's code (`EST.WEEK_NOT_STARTED`). */
  readonly codes: Readonly<Record<string, readonly [field: string, word: MessageKey]>>;
}

type Send = <T>(
  path: string,
  body: unknown,
) => Promise<{ ok: true; result: T } | { ok: false; errors: FieldErrors }>;

/**
 * One submission at a time, with one Idempotency-Key until it is recorded (a double click or a
 * retry after a lost answer records once), and the API's problems as field errors. A possible
 * personal identity number is asked about at its field (`confirming`), and sent again with the
 * author's confirmation once they tick it.
 */
export function useSubmission(map: ProblemMap) {
  const { t, has } = useI18n();
  const submission = useIdempotentPost();

  const toErrors = (error: ApiProblem): FieldErrors => {
    if (
      error.code === 'PERSONAL_DATA.CONFIRM' ||
      error.code === 'PERSONAL_DATA.DIRECT_IDENTIFIER'
    ) {
      const byField: Record<string, string> = {};
      const confirm = error.code === 'PERSONAL_DATA.CONFIRM';
      for (const span of error.spans) {
        const field = map.field(span.path.replace(/^body\./, '')) ?? 'form';
        byField[field] = t(confirm ? 'record.error.confirm' : 'record.error.identityNumber');
      }
      if (confirm) submission.askConfirmation(error.spans.map((s) => s.path));
      return Object.keys(byField).length > 0 ? byField : { form: t('record.error.identityNumber') };
    }
    const coded = map.codes[error.code];
    if (coded) return { [coded[0]]: t(coded[1]) };
    if (error.errors.length > 0) {
      const byField: Record<string, string> = {};
      for (const e of error.errors) {
        const field = map.field(e.path) ?? 'form';
        const word = `record.error.${field}`;
        byField[field] ??= has(word) ? t(word) : e.reason;
      }
      return byField;
    }
    if (error.status === 403) return { form: `${t('record.error.forbidden')} ${error.detail}` };
    if (error.status === 0 || error.status === 503) return { form: t('error.unavailable') };
    return { form: error.detail || error.title };
  };

  const send: Send = async <T,>(path: string, body: unknown) => {
    try {
      const sent = await submission.post<T>(path, body);
      return sent ? { ok: true, result: sent.result } : { ok: false, errors: {} };
    } catch (error) {
      if (!(error instanceof ApiProblem)) throw error;
      return { ok: false, errors: toErrors(error) };
    }
  };

  return {
    send,
    submitting: submission.submitting,
    confirming: submission.confirm,
    confirmed: submission.confirmed,
    setConfirmed: submission.setConfirmed,
    textChanged: submission.textChanged,
    reset: submission.reset,
  };
}

/** The question a possible personal identity number asks its author, under the text. */
export function PersonalDataConfirmation({
  shown,
  confirmed,
  onChange,
}: {
  shown: boolean;
  confirmed: boolean;
  onChange: (confirmed: boolean) => void;
}) {
  const { t } = useI18n();
  if (!shown) return null;
  return (
    <div className="panel panel--warning">
      <p>{t('record.confirmBody')}</p>
      <div className="choice">
        <input
          id="confirmPersonalData"
          type="checkbox"
          checked={confirmed}
          onChange={(e) => onChange(e.target.checked)}
        />
        <label htmlFor="confirmPersonalData">{t('record.confirmLabel')}</label>
      </div>
    </div>
  );
}

/** After a recording: the GOV.UK panel with what was recorded, and where to go on. */
export function RecordedPanel({
  title,
  facts,
  children,
}: {
  title: string;
  facts: readonly (readonly [string, ReactNode])[];
  children: ReactNode;
}) {
  return (
    <>
      <PageTitle>{title}</PageTitle>
      <div className="panel panel--success record-panel">
        <dl className="record-facts">
          {facts.map(([term, value]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </div>
      <ul className="button-row">{children}</ul>
    </>
  );
}
