import { useEffect, useRef, type ReactNode } from 'react';
import { useI18n } from '../i18n';

/**
 * Form parts after the GOV.UK Design System's patterns: an error summary at the top that takes
 * focus and links to each field, the message again at the field, labels and hints tied to their
 * inputs, and radios and checkboxes grouped in fieldsets with a legend.
 */

export type FieldErrors = Readonly<Record<string, string>>;

export function ErrorSummary({
  errors,
  order,
  labels,
}: {
  errors: FieldErrors;
  /** Field ids in the order the form shows them. */
  order: readonly string[];
  labels?: ReadonlyMap<string, string>;
}) {
  const { t } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const keys = [
    ...order.filter((k) => errors[k]),
    ...Object.keys(errors).filter((k) => !order.includes(k)),
  ];
  const shown = keys.join('|');
  useEffect(() => {
    if (shown) box.current?.focus();
  }, [shown]);
  if (keys.length === 0) return null;
  return (
    <div
      className="error-summary"
      role="alert"
      tabIndex={-1}
      ref={box}
      aria-labelledby="error-summary-title"
    >
      <h2 id="error-summary-title">{t('form.errorSummary')}</h2>
      <ul>
        {keys.map((k) =>
          order.includes(k) ? (
            <li key={k}>
              <a
                href={`#${k}`}
                onClick={(event) => {
                  event.preventDefault();
                  document.getElementById(k)?.focus();
                }}
              >
                {labels?.get(k) ? `${labels.get(k)}: ` : ''}
                {errors[k]}
              </a>
            </li>
          ) : (
            <li key={k}>{errors[k]}</li>
          ),
        )}
      </ul>
    </div>
  );
}

function FieldError({ id, error }: { id: string; error?: string }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <p className="field-error" id={`${id}-error`}>
      <span className="visually-hidden">{t('form.errorPrefix')} </span>
      {error}
    </p>
  );
}

const describedBy = (id: string, hint?: ReactNode, error?: string) =>
  [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

/** What ties an input to its field: its id and name, and its hint and error read out with it. */
export const controlProps = (id: string, hint: ReactNode, error: string | undefined) => ({
  id,
  name: id,
  'aria-invalid': error ? true : undefined,
  'aria-describedby': describedBy(id, hint, error),
});

/** A field with one input: its label, hint and error above it, in that order. */
export function LabelledField({
  id,
  label,
  hint,
  error,
  inline,
  children,
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  inline?: boolean;
  children: ReactNode;
}) {
  return (
    <div className={`field${inline ? ' field--inline' : ''}${error ? ' field--error' : ''}`}>
      <label className="label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <FieldError id={id} error={error} />
      {children}
    </div>
  );
}

export function SelectField({
  id,
  label,
  hint,
  error,
  value,
  onChange,
  options,
  placeholder,
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly { value: string; label: string }[];
  placeholder: string;
}) {
  return (
    <LabelledField id={id} label={label} hint={hint} error={error}>
      <select
        {...controlProps(id, hint, error)}
        className="select"
        value={value}
        onChange={(e) => onChange(e.target.value)}
      >
        <option value="">{placeholder}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </LabelledField>
  );
}

export function TextAreaField({
  id,
  label,
  hint,
  error,
  value,
  onChange,
  maxLength,
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  value: string;
  onChange: (value: string) => void;
  maxLength: number;
}) {
  return (
    <LabelledField id={id} label={label} hint={hint} error={error}>
      <textarea
        {...controlProps(id, hint, error)}
        className="textarea"
        rows={5}
        maxLength={maxLength}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </LabelledField>
  );
}

/**
 * A date typed as Swedes write it, ÅÅÅÅ-MM-DD, in a text input: the same on every browser and
 * keyboard (a native date picker orders its parts by the browser's language, and its parts
 * are each a tab stop).
 */
export function DateField({
  id,
  label,
  hint,
  error,
  value,
  onChange,
}: {
  id: string;
  label: string;
  hint: string;
  error?: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <LabelledField id={id} label={label} hint={hint} error={error} inline>
      <input
        {...controlProps(id, hint, error)}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        spellCheck={false}
        maxLength={10}
        className="input input--date"
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </LabelledField>
  );
}

/** Whether a typed date is a real day written ÅÅÅÅ-MM-DD. */
export function isDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const at = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === value;
}

/** Radios (one of) or checkboxes (any of) in a fieldset; the first input carries the id. */
export function ChoiceField({
  id,
  legend,
  hint,
  error,
  type,
  value,
  onChange,
  options,
  inline,
}: {
  id: string;
  legend: string;
  hint?: ReactNode;
  error?: string;
  type: 'radio' | 'checkbox';
  value: readonly string[];
  onChange: (value: string[]) => void;
  options: readonly { value: string; label: string; hint?: string }[];
  inline?: boolean;
}) {
  return (
    <div className={`field${error ? ' field--error' : ''}`}>
      <fieldset className="fieldset" aria-describedby={describedBy(id, hint, error)}>
        <legend className="legend">{legend}</legend>
        {hint && (
          <p className="hint" id={`${id}-hint`}>
            {hint}
          </p>
        )}
        <FieldError id={id} error={error} />
        <div className={`choices${inline ? ' choices--inline' : ''}`}>
          {options.map((o, i) => {
            const inputId = i === 0 ? id : `${id}-${o.value}`;
            const checked = value.includes(o.value);
            return (
              <div className="choice" key={o.value}>
                <input
                  id={inputId}
                  name={id}
                  type={type}
                  value={o.value}
                  checked={checked}
                  onChange={() =>
                    onChange(
                      type === 'radio'
                        ? [o.value]
                        : checked
                          ? value.filter((v) => v !== o.value)
                          : [...value, o.value],
                    )
                  }
                />
                <label htmlFor={inputId}>
                  {o.label}
                  {o.hint && <span className="hint choice__hint">{o.hint}</span>}
                </label>
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}
