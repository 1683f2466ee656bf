import type { Actor } from '../actor';
import type { AgencyCode } from '../agencies/agencies';
import type { Decider, DomainEvent } from '../decider';
import { conflict, forbidden, rejected } from '../domain-error';

/**
 * Erasure of personal data (GDPR art. 17, or data that should never have been written): the
 * log's events stay as they were; the keys their personal fields were encrypted with are
 * destroyed, and this decision is recorded. Two scopes:
 * - a data subject (a young person's pseudonymous reference): everything about them, in every
 *   talk bound to them. Social services created the reference and answer for it, so their data
 *   protection officer decides;
 * - records: events whose free text names a person, selected by the data protection officer of
 *   the agency that wrote them (each agency controls what it appends).
 * What remains reads "[raderad]"; counts and dates stay, so the follow-up's figures do not move.
 */

export type ErasureScope = 'data-subject' | 'records';

export interface ErasePersonalData {
  readonly type: 'ErasePersonalData';
  readonly erasureId: string;
  readonly scope: ErasureScope;
  /** Records: the events selected. */
  readonly eventIds: readonly string[];
  /**
   * Records: the agency that appended each selected event (the handler reads them from the log);
   * an event that does not exist is absent.
   */
  readonly controllers: Readonly<Record<string, AgencyCode>>;
  readonly reason: string;
  readonly by: Actor;
  readonly at: Date;
}

export type PersonalDataErased = DomainEvent<
  'PersonalDataErased',
  {
    readonly erasureId: string;
    readonly scope: ErasureScope;
    /** Records: the events whose free text was erased. A data subject is never named. */
    readonly eventIds: readonly string[];
    readonly reason: string;
  }
>;

export type ErasureState = { readonly status: 'none' } | { readonly status: 'done' };

export const MAX_ERASED_RECORDS = 500;

/** Social services made the young person's reference; their DPO answers for erasing it. */
export const SUBJECT_CONTROLLER: AgencyCode = 'social-services';

export const erasureStream = (erasureId: string): string => `personal-data-erasure-${erasureId}`;

function decide(command: ErasePersonalData, state: ErasureState): readonly PersonalDataErased[] {
  const { by } = command;
  if (by.role !== 'data-protection-officer') {
    throw forbidden(
      'ERASURE.NOT_DATA_PROTECTION_OFFICER',
      'Only a data protection officer erases personal data',
    );
  }
  if (command.scope === 'data-subject' && by.agency !== SUBJECT_CONTROLLER) {
    throw forbidden(
      'ERASURE.NOT_SUBJECT_CONTROLLER',
      "A data subject's reference is social services': their data protection officer erases it",
    );
  }
  if (state.status === 'done') {
    throw conflict('ERASURE.EXISTS', `Erasure '${command.erasureId}' was made already`);
  }
  if (command.reason.trim() === '') {
    throw rejected('ERASURE.REASON_REQUIRED', 'An erasure states its reason');
  }
  if (command.scope === 'records') {
    const ids = command.eventIds;
    if (ids.length === 0 || ids.length > MAX_ERASED_RECORDS) {
      throw rejected(
        'ERASURE.RECORDS_REQUIRED',
        `Select from 1 to ${MAX_ERASED_RECORDS} records to erase`,
      );
    }
    // Not one answer per id: "does not exist" and "not yours" read alike, so a DPO learns
    // nothing of another agency's records.
    const notTheirs = ids.filter((id) => command.controllers[id] !== by.agency);
    if (notTheirs.length > 0) {
      throw rejected(
        'ERASURE.NOT_CONTROLLER',
        `These records are not your agency's to erase, or do not exist: ${notTheirs.join(', ')}`,
      );
    }
  }
  return [
    {
      type: 'PersonalDataErased',
      data: {
        erasureId: command.erasureId,
        scope: command.scope,
        eventIds: command.scope === 'records' ? [...new Set(command.eventIds)] : [],
        reason: command.reason,
      },
    },
  ];
}

export const erasureDecider: Decider<ErasePersonalData, PersonalDataErased, ErasureState> = {
  decide,
  evolve: () => ({ status: 'done' }),
  initialState: { status: 'none' },
};
