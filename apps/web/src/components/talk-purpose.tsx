import { useState, type FormEvent } from 'react';
import { isTalkRole, TALK_ROLES } from '../../../../libs/domain/src/agencies/agencies';
import { useI18n } from '../i18n';
import { useRoute } from '../router';
import { useSession } from '../session';

/** Every agency and role that can sit in a talk, as `agency/role`. */
export const TALK_SEATS: readonly string[] = Object.entries(TALK_ROLES).flatMap(([agency, roles]) =>
  (roles ?? []).map((role) => `${agency}/${role}`),
);

/** The signed-in user's agency and role, and whether that role takes part in talks at all. */
export function useTalkSeat(): { agency: string; role: string; takesPart: boolean } {
  const { state } = useSession();
  const agency = state.status === 'signed-in' ? state.session.agency : '';
  const role = state.status === 'signed-in' ? (state.session.activeRole ?? '') : '';
  return { agency, role, takesPart: isTalkRole(agency as never, role) };
}

/**
 * Why the user reads the talks (purpose limitation): asked before anything is read, kept in the
 * address (`?syfte=`) so that the links onward carry it, and logged by the API with each read.
 */
export function useReadPurpose(): { purpose: string; withPurpose: (path: string) => string } {
  const { search } = useRoute();
  const purpose = (search.get('syfte') ?? '').trim();
  return {
    purpose: purpose.length >= 3 ? purpose : '',
    withPurpose: (path) =>
      purpose.length >= 3 ? `${path}?syfte=${encodeURIComponent(purpose)}` : path,
  };
}

export function PurposeForm() {
  const { t } = useI18n();
  const { path, navigate } = useRoute();
  const [purpose, setPurpose] = useState('');
  const [error, setError] = useState('');
  function submit(event: FormEvent) {
    event.preventDefault();
    if (purpose.trim().length < 3) {
      setError(t('talks.error.readPurpose'));
      document.getElementById('readPurpose')?.focus();
      return;
    }
    navigate(`${path}?syfte=${encodeURIComponent(purpose.trim())}`, { replace: true });
  }
  return (
    <form className="inline-form talk-purpose" noValidate onSubmit={submit}>
      <label className="label" htmlFor="readPurpose">
        {t('talks.readPurpose')}
      </label>
      <p className="hint" id="readPurpose-hint">
        {t('talks.readPurposeHint')}
      </p>
      {error && (
        <p className="field-error" id="readPurpose-error">
          <span className="visually-hidden">{t('form.errorPrefix')} </span>
          {error}
        </p>
      )}
      <div className="inline-form__row">
        <input
          id="readPurpose"
          name="readPurpose"
          className="input"
          maxLength={200}
          autoComplete="off"
          aria-invalid={error ? true : undefined}
          aria-describedby={`readPurpose-hint${error ? ' readPurpose-error' : ''}`}
          value={purpose}
          onChange={(e) => setPurpose(e.target.value)}
        />
        <button type="submit" className="button">
          {t('talks.readPurposeSubmit')}
        </button>
      </div>
    </form>
  );
}

/** A seat as people say it: "Polisen, kommunpolis". */
export function useSeatName() {
  const { agency, role } = useI18n();
  return (seat: { agency: string; role: string } | string) => {
    const [a, r] = typeof seat === 'string' ? seat.split('/') : [seat.agency, seat.role];
    return `${agency(a ?? '')}, ${role(r ?? '')}`;
  };
}
