import { useState, type ComponentProps, type FormEvent, type ReactNode } from 'react';
import { api, ApiProblem } from '../api';
import {
  controlProps,
  DateField,
  ErrorSummary,
  LabelledField,
  TextAreaField,
  type FieldErrors,
} from './form';
import { useI18n } from '../i18n';
import { Link } from '../router';
import { Failed } from './status';

/**
 * Parts the administration and audit pages share: a one-line text field after form.tsx's
 * pattern, a clear refusal where a role may not see a page, and a table that scrolls sideways
 * on a phone without the page doing so.
 */

type TextFieldProps = Omit<ComponentProps<typeof LabelledField>, 'children' | 'inline'> & {
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly maxLength: number;
  readonly inputMode?: 'text' | 'decimal' | 'numeric';
  /** For a short value, such as a coordinate. */
  readonly narrow?: boolean;
};

export function TextField({
  value,
  onChange,
  maxLength,
  inputMode,
  narrow,
  ...field
}: TextFieldProps) {
  return (
    <LabelledField {...field}>
      <input
        {...controlProps(field.id, field.hint, field.error)}
        type="text"
        className={`input input--text${narrow ? ' input--narrow' : ''}`}
        inputMode={inputMode}
        autoComplete="off"
        spellCheck={false}
        maxLength={maxLength}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </LabelledField>
  );
}

/** From and to dates of a filter, typed ÅÅÅÅ-MM-DD, side by side. */
export function DateRange({
  from,
  to,
  errors,
  onChange,
}: {
  from: string;
  to: string;
  errors: FieldErrors;
  onChange: (field: 'from' | 'to', value: string) => void;
}) {
  const { t } = useI18n();
  return (
    <div className="field-row">
      {(['from', 'to'] as const).map((field) => (
        <DateField
          key={field}
          id={field}
          label={t(`audit.${field}`)}
          hint={t('audit.dateHint')}
          error={errors[field]}
          value={field === 'from' ? from : to}
          onChange={(v) => onChange(field, v)}
        />
      ))}
    </div>
  );
}

/**
 * A change that needs its reason (a revocation, a removal): the reason asked for in a panel,
 * checked here and by the API, with its error summary. `send` answers with the API's problem,
 * or nothing when it is done.
 */
export function ReasonPanel({
  id,
  title,
  label,
  hint,
  missing,
  confirm,
  cancel,
  send,
  onCancel,
}: {
  id: string;
  title: string;
  label: string;
  hint: string;
  /** What the error says when no reason is written. */
  missing: string;
  confirm: string;
  cancel: string;
  send: (reason: string) => Promise<string | undefined>;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (reason.trim() === '') return setErrors({ [id]: missing });
    const problem = await send(reason.trim());
    if (problem) setErrors({ [id]: problem });
  }
  return (
    <form className="panel panel--warning" noValidate onSubmit={(e) => void submit(e)}>
      <h3>{title}</h3>
      <ErrorSummary errors={errors} order={[id]} labels={new Map([[id, label]])} />
      <TextAreaField
        id={id}
        label={label}
        hint={hint}
        error={errors[id]}
        value={reason}
        onChange={setReason}
        maxLength={2000}
      />
      <ul className="button-row">
        <li>
          <button type="submit" className="button">
            {confirm}
          </button>
        </li>
        <li>
          <button type="button" className="button button--secondary" onClick={onCancel}>
            {cancel}
          </button>
        </li>
      </ul>
    </form>
  );
}

/** A change sent once per panel (one Idempotency-Key): the API's problem in words, or none. */
export async function sendOnce(
  path: string,
  key: string,
  body: unknown,
): Promise<string | undefined> {
  try {
    await api(path, { method: 'POST', idempotencyKey: key, body });
    return undefined;
  } catch (error) {
    if (!(error instanceof ApiProblem)) throw error;
    return error.detail || error.title;
  }
}

/**
 * What a role without access meets: a plain refusal that says who may use the page, never an
 * empty list that would pretend there is nothing.
 */
export function Refused({ who }: { who: string }) {
  const { t } = useI18n();
  return (
    <div className="notice notice--error refusal" role="alert">
      <h2>{t('audit.refused.title')}</h2>
      <p>{t('audit.refused.body', { who })}</p>
      <p>
        <Link to="/">{t('audit.refused.start')}</Link>
      </p>
    </div>
  );
}

/** A failed read: a refusal when the API said 403, else the usual failure with a retry. */
export function RefusedOrFailed({
  problem,
  retry,
  who,
}: {
  problem: ApiProblem;
  retry: () => void;
  who: string;
}) {
  return problem.status === 403 ? (
    <Refused who={who} />
  ) : (
    <Failed problem={problem} retry={retry} />
  );
}

/** A table in a region that scrolls sideways on a narrow screen, reachable by keyboard. */
export function TableRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    // A scrolling region takes focus so that a keyboard user can scroll it (WCAG 2.1.1).
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      <table className="data-table">{children}</table>
    </div>
  );
}

/** The municipality's safety coordinator: who keeps the places register and the EST reporters. */
export const isCoordinator = (agency: string | undefined, role: string | null | undefined) =>
  agency === 'municipality' && role === 'safety-coordinator';

/**
 * The kinds of place, as the domain's code list (libs/domain places.events.ts; the browser
 * bundles none of the server): the API refuses any other.
 */
export const PLACE_KINDS = [
  'area',
  'school',
  'harbour',
  'road',
  'path',
  'square',
  'sports-ground',
  'bathing-place',
  'building',
  'courtyard',
  'park',
  'other',
] as const;

/** The agencies that report EST counts, as the domain's list (est.events.ts). */
export const EST_REPORTER_AGENCIES = [
  'municipality',
  'police',
  'housing-company',
  'municipal-security',
] as const;

/** A place of the register, as GET /api/places answers. */
export interface Place {
  readonly placeId: string;
  readonly name: string;
  readonly kind: (typeof PLACE_KINDS)[number];
  readonly areaId: string | null;
  readonly position: {
    readonly latitude: number;
    readonly longitude: number;
    readonly precision: 'approximate' | 'surveyed';
  };
  readonly version: number;
}

/** A form's button: not pressed twice while its request is under way. */
export function SubmitButton({
  id,
  busy,
  children,
}: {
  id: string;
  busy: boolean;
  children: ReactNode;
}) {
  return (
    <button id={id} type="submit" className="button" disabled={busy} aria-disabled={busy}>
      {children}
    </button>
  );
}

/** A time from the API (ISO 8601) as Swedish users read it: 2026-12-02 10:32. */
export function timeOf(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return new Intl.DateTimeFormat('sv-SE', {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone: 'Europe/Stockholm',
  }).format(at);
}
