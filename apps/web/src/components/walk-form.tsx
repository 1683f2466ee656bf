import type { ReactNode } from 'react';
import { AGENCIES } from '../../../../libs/domain/src/agencies/agencies';
import { ApiProblem } from '../api';
import { useIdempotentPost } from '../submission';
import { useI18n } from '../i18n';
import { Link } from '../router';
import { controlProps, DateField, LabelledField, TextAreaField, type FieldErrors } from './form';

/**
 * What the forms of safety walks, findings and prevention talks share: a one-line text field,
 * the API's problems turned into messages at the fields, the personal-data confirmation, one
 * Idempotency-Key per submission, and the confirmation shown after a write.
 */

export const ALL_AGENCIES: readonly string[] = AGENCIES;

export { swedishToday } from '../calendar';

export function TextField({
  id,
  label,
  hint,
  error,
  value,
  onChange,
  maxLength,
  inputMode,
  autoComplete = 'off',
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  value: string;
  onChange: (value: string) => void;
  maxLength: number;
  inputMode?: 'numeric' | 'text';
  autoComplete?: string;
}) {
  return (
    <LabelledField id={id} label={label} hint={hint} error={error}>
      <input
        {...controlProps(id, hint, error)}
        type="text"
        className={`input${inputMode === 'numeric' ? ' input--short' : ''}`}
        inputMode={inputMode}
        autoComplete={autoComplete}
        maxLength={maxLength}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </LabelledField>
  );
}

/** A field the API named (`body.findings[0].description`, `legalGround.basis`) as the form's id. */
export type FieldOf = (path: string) => string;

interface Outcome<T> {
  readonly result?: T;
  readonly errors: FieldErrors;
  readonly confirm?: readonly string[];
}

/**
 * One submission's state: the Idempotency-Key (the same for a double click or a retry, a new
 * one after a success), whether it is under way, and the personal-data confirmation asked for.
 * `send` answers the field errors, in the user's language where the app has words for them.
 */
export function useSubmission(prefix: 'walks' | 'findings' | 'talks') {
  const { t, has } = useI18n();
  const submission = useIdempotentPost();

  /** The words for a field error: ours for the field or the code, else the API's. */
  const word = (field: string, code: string, reason: string): string => {
    const candidates = [`${prefix}.problem.${code}`, `${prefix}.error.${field}`];
    const found = candidates.find((k) => has(k));
    return found ? t(found) : reason;
  };

  async function send<T>(
    path: string,
    body: unknown,
    fieldOf: FieldOf,
    codeField: Readonly<Record<string, string>> = {},
  ): Promise<Outcome<T>> {
    try {
      const sent = await submission.post<T>(path, body);
      return sent ? { result: sent.result, errors: {} } : { errors: {} };
    } catch (error) {
      if (!(error instanceof ApiProblem)) throw error;
      const fields = (spans: readonly { path: string }[]) =>
        spans.map((s) => fieldOf(s.path.replace(/^body\./, '')));
      if (error.code === 'PERSONAL_DATA.CONFIRM') {
        const paths = error.spans.map((s) => s.path);
        submission.askConfirmation(paths);
        const errors: Record<string, string> = {};
        for (const f of fields(error.spans)) errors[f] = t('walks.personalData.confirmError');
        return { errors, confirm: paths };
      }
      if (error.code === 'PERSONAL_DATA.DIRECT_IDENTIFIER') {
        const errors: Record<string, string> = {};
        for (const f of fields(error.spans)) errors[f] = t('walks.personalData.identityNumber');
        return { errors };
      }
      if (error.errors.length > 0) {
        const errors: Record<string, string> = {};
        for (const e of error.errors) {
          const field = fieldOf(e.path);
          errors[field] ??= word(field, error.code, e.reason);
        }
        return { errors };
      }
      const field = codeField[error.code] ?? 'form';
      return { errors: { [field]: word(field, error.code, error.detail || error.title) } };
    }
  }

  const { submitting, confirm, confirmed, setConfirmed, textChanged } = submission;
  return { send, submitting, confirm, confirmed, setConfirmed, textChanged };
}

type Submission = ReturnType<typeof useSubmission>;

/** Asked when the API found what may be a personal identity number (a wrong check digit). */
export function PersonalDataConfirm({
  submission: { confirm, confirmed, setConfirmed: onChange },
}: {
  submission: Pick<Submission, 'confirm' | 'confirmed' | 'setConfirmed'>;
}) {
  const { t } = useI18n();
  if (!confirm) return null;
  return (
    <div className="panel panel--warning">
      <p>{t('walks.personalData.confirmBody')}</p>
      <div className="choice">
        <input
          id="confirmPersonalData"
          type="checkbox"
          checked={confirmed}
          onChange={(e) => onChange(e.target.checked)}
        />
        <label htmlFor="confirmPersonalData">{t('walks.personalData.confirmLabel')}</label>
      </div>
    </div>
  );
}

/** What was recorded, said where a screen reader hears it, with the ways onward. */
export function Recorded({
  message,
  links,
}: {
  message: string;
  links: readonly { to: string; label: string }[];
}) {
  return (
    <div className="panel panel--success recorded" role="status">
      <p>{message}</p>
      {links.length > 0 && (
        <ul className="button-row">
          {links.map((l) => (
            <li key={l.to}>
              <Link to={l.to} className="button button--secondary">
                {l.label}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A submit button that says it is busy and ignores a second press while it is. */
export function SubmitButton({
  id,
  form,
  submitting,
  children,
}: {
  id: string;
  /** The form it submits, when it stands outside it. */
  form?: string;
  submitting: boolean;
  children: ReactNode;
}) {
  return (
    <button id={id} form={form} type="submit" className="button" aria-disabled={submitting}>
      {children}
    </button>
  );
}

/** A day typed ÅÅÅÅ-MM-DD, with the hint that says so. */
export function DayField(props: Omit<Parameters<typeof DateField>[0], 'hint'>) {
  const { t } = useI18n();
  return <DateField {...props} hint={t('walks.dateHint')} />;
}

/**
 * Free text that is checked for personal identity numbers: a change to it drops a
 * confirmation given for the text before.
 */
export function FreeTextField({
  submission,
  onChange,
  maxLength = 4000,
  ...props
}: Omit<Parameters<typeof TextAreaField>[0], 'maxLength'> & {
  submission: Pick<Submission, 'textChanged'>;
  maxLength?: number;
}) {
  return (
    <TextAreaField
      {...props}
      maxLength={maxLength}
      onChange={(v) => {
        onChange(v);
        submission.textChanged();
      }}
    />
  );
}
