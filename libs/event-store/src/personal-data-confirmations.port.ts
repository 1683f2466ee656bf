/**
 * Submissions whose author confirmed that text flagged as a possible personal identity number
 * is not one: who, when, which route and fields, and the correlation id that the events they
 * appended carry, so the confirmation can be found from the event and the event from it. The
 * flagged text itself is not kept.
 */
export const PERSONAL_DATA_CONFIRMATIONS = Symbol('PERSONAL_DATA_CONFIRMATIONS');

export interface PersonalDataConfirmation {
  readonly correlationId: string;
  /** `agency:userId` of the author (ids are pseudonymous). */
  readonly caller: string;
  readonly method: string;
  /** The route's template, never a path with ids in it. */
  readonly route: string;
  /** The fields confirmed, as paths into the request (`body.description`). */
  readonly paths: readonly string[];
}

export interface PersonalDataConfirmations {
  record(confirmation: PersonalDataConfirmation): Promise<void>;
  /** Newest first. */
  recent(limit: number): Promise<(PersonalDataConfirmation & { at: Date })[]>;
}
