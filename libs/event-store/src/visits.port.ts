/**
 * Where each user last marked the workspace's changes as seen: a position in the log, per user,
 * so the start page can say what changed since. Kept in a table beside the log, not as events:
 * a visit is no fact of the partnership's work, and a row per user is overwritten, not piled up.
 */
export const VISITS = Symbol('VISITS');

export interface LastVisit {
  /** Every change up to and including this global position has been seen. */
  readonly seenThrough: number;
  readonly at: Date;
}

export interface Visits {
  lastVisit(agency: string, userId: string): Promise<LastVisit | undefined>;
  /** Seen through `position`; a visit never moves back (two tabs, a late request). */
  markSeen(agency: string, userId: string, position: number): Promise<LastVisit>;
}
