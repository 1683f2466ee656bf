/**
 * Failed sign-ins and refused requests, for the operator: kept in a table with a retention
 * period, not in the immutable event log (an attacker must not be able to write the log).
 */
export const SECURITY_LOG = Symbol('SECURITY_LOG');

export type SecurityLogKind = 'authentication-failed' | 'refused' | 'rate-limited';

export interface SecurityLogEntry {
  readonly kind: SecurityLogKind;
  readonly status: number;
  readonly code: string;
  readonly method: string;
  /** The route's template (`/prevention-talks/:talkId`), never a path with ids in it. */
  readonly route: string;
  /** `agency:userId` of a known caller (ids are pseudonymous); null before anyone is known. */
  readonly caller: string | null;
  /** A keyed digest of the client address that changes daily, never the address itself. */
  readonly address: string | null;
}

export interface SecurityLog {
  record(entry: SecurityLogEntry): Promise<void>;
  /** The newest entries first, at most `limit`. */
  recent(limit: number, kind?: SecurityLogKind): Promise<(SecurityLogEntry & { at: Date })[]>;
}
