import { useRef, useState } from 'react';
import { api } from './api';

/**
 * What every form's submission shares, whatever words its errors take: one POST at a time, one
 * Idempotency-Key until the API has recorded it (a double click, or a retry after an answer lost
 * on the way, records once), and the personal-data confirmation the API asked for
 * (`PERSONAL_DATA.CONFIRM`), sent again only once the author has ticked it.
 */
export function useIdempotentPost() {
  const key = useRef(crypto.randomUUID());
  const busy = useRef(false);
  const [submitting, setSubmitting] = useState(false);
  const [confirm, setConfirm] = useState<readonly string[] | undefined>();
  const [confirmed, setConfirmed] = useState(false);

  /** The text changed, or a new form: a confirmation given for the old text does not cover it. */
  const textChanged = () => {
    setConfirm(undefined);
    setConfirmed(false);
  };

  /**
   * Posts `body`, answering its result, or `undefined` while another post of the form is under
   * way; an ApiProblem is thrown for the caller to word. A success starts a new submission.
   */
  async function post<T>(path: string, body: unknown): Promise<{ result: T } | undefined> {
    if (busy.current) return undefined;
    busy.current = true;
    setSubmitting(true);
    try {
      const result = await api<T>(path, {
        method: 'POST',
        idempotencyKey: key.current,
        confirmPersonalData: confirm && confirmed ? confirm : undefined,
        body,
      });
      key.current = crypto.randomUUID();
      textChanged();
      return { result };
    } finally {
      busy.current = false;
      setSubmitting(false);
    }
  }

  /** The API asked the author to confirm what it found at these paths. */
  const askConfirmation = (paths: readonly string[]) => {
    setConfirm(paths);
    setConfirmed(false);
  };

  /** A new form: a new submission, nothing confirmed. */
  const reset = () => {
    key.current = crypto.randomUUID();
    textChanged();
  };

  return {
    post,
    submitting,
    confirm,
    confirmed,
    setConfirmed,
    askConfirmation,
    textChanged,
    reset,
  };
}
