/**
 * Refused attempts to read restricted data (a prevention talk, a restricted report) by a
 * signed-in user who may not read it, for the data protection officer of the agency that
 * controls the data. Kept in a table with a retention period, not in the event log: an
 * attacker must not be able to write the log, and the caller answered 404 learns nothing.
 */
export const READ_REFUSALS = Symbol('READ_REFUSALS');

export interface ReadRefusal {
  readonly readerUserId: string;
  readonly readerAgency: string;
  readonly readerRole: string;
  /** What was asked for: the stream and the kind of resource. */
  readonly streamId: string;
  readonly resourceKind: string;
  /** The agency that controls the data (its reporter or organiser): whose DPO sees this. */
  readonly controllerAgency: string;
  readonly reason: string;
  readonly correlationId: string;
}

export interface ReadRefusals {
  record(refusal: ReadRefusal): Promise<void>;
  /** The newest first, of data the agency controls, at most `limit`. */
  ofController(agency: string, limit: number): Promise<(ReadRefusal & { at: Date })[]>;
}
