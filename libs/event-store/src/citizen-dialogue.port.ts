/**
 * Residents' submissions of places where they feel unsafe ("Här känner jag mig otrygg"), while
 * they wait for the safety coordinator: a table with a retention period, not the event log. A
 * submission becomes an event only when the coordinator accepts it into the situation picture;
 * until then it is deleted as easily as it came (rejected, or past its period).
 */
export const CITIZEN_DIALOGUE_SUBMISSIONS = Symbol('CITIZEN_DIALOGUE_SUBMISSIONS');

/** All that is stored of one submission: nothing about the sender, the day and not the time. */
export interface NewSubmission {
  readonly placeId: string;
  readonly category: string;
  /** YYYY-MM-DD, Swedish time. */
  readonly receivedOn: string;
}

/** The waiting submissions of one place and category. */
export interface WaitingGroup {
  readonly placeId: string;
  readonly category: string;
  readonly count: number;
  readonly firstReceivedOn: string;
  readonly lastReceivedOn: string;
}

/** Where a page of groups starts: after this group, in the order newest first. */
export type GroupCursor = readonly [lastReceivedOn: string, placeId: string, category: string];

/** A group taken out of the waiting list by one acceptance, until it is removed or released. */
export interface Claim extends WaitingGroup {
  readonly claimId: string;
}

export interface CitizenDialogueSubmissions {
  add(submission: NewSubmission): Promise<void>;
  /** Waiting groups, the most recently received first (then by place and category). */
  waiting(limit: number, after: GroupCursor | null): Promise<WaitingGroup[]>;
  /** One waiting group, or undefined when none of that place and category waits. */
  group(placeId: string, category: string): Promise<WaitingGroup | undefined>;
  /**
   * Takes every waiting submission of the place and category for one acceptance, so that two
   * coordinators cannot accept them twice; undefined when none waits.
   */
  claim(placeId: string, category: string): Promise<Claim | undefined>;
  /** The acceptance failed: the claimed submissions wait again. */
  release(claimId: string): Promise<void>;
  /** The acceptance is recorded: the claimed submissions are deleted. */
  remove(claimId: string): Promise<number>;
  /** Deletes the waiting submissions of the place and category (rejected): how many. */
  reject(placeId: string, category: string): Promise<number>;
  /** Deletes every submission received before the day (retention): how many. */
  deleteReceivedBefore(day: string): Promise<number>;
}
