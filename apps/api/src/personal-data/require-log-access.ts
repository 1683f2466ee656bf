import type { LogAccess } from '@samverkan/event-store/log-access.port';

/** The log's keys and stored events, or a clear refusal where the store keeps none. */
export function requireLogAccess(access: LogAccess | null): LogAccess {
  if (!access) {
    throw new Error(
      'Erasure, redaction and gallring need the encryption of personal fields (a SQL store)',
    );
  }
  return access;
}
