import type { Actor } from '../actor';
import { addDays, type LocalDate, type Period } from '../calendar';
import { forbidden } from '../domain-error';
import type { ReportSituation } from '../situation-picture/situation-picture.commands';
import type { Severity, Trend } from '../situation-picture/situation-picture.events';
import type { UnsafeCategory } from './unsafe-categories';

export { isUnsafeCategory, UNSAFE_CATEGORIES, type UnsafeCategory } from './unsafe-categories';

/** One resident's submission as it waits for the coordinator: all that is stored of it. */
export interface UnsafePlaceSubmission {
  readonly placeId: string;
  readonly category: UnsafeCategory;
  /** The day it came in (Swedish time): a day is enough, an hour would say more of the sender. */
  readonly receivedOn: LocalDate;
}

/** The waiting submissions of one place and category, as the coordinator sees them. */
export interface SubmissionGroup {
  readonly placeId: string;
  readonly category: UnsafeCategory;
  readonly count: number;
  readonly firstReceivedOn: LocalDate;
  readonly lastReceivedOn: LocalDate;
}

/**
 * The municipality's safety coordinator handles the residents' submissions: they keep the
 * places register and bring what residents say into the situation picture.
 */
export function assertMayHandleCitizenDialogue(by: Actor): void {
  if (by.agency !== 'municipality' || by.role !== 'safety-coordinator') {
    throw forbidden(
      'CITIZEN_DIALOGUE.NOT_COORDINATOR',
      "Only the municipality's safety coordinator handles residents' submissions",
    );
  }
}

/** The day before which submissions are past retention: older ones are deleted. */
export function submissionsKeptFrom(today: LocalDate, retentionDays: number): LocalDate {
  return addDays(today, -retentionDays);
}

/** What the coordinator adds to a group of submissions to make it a report. */
export interface ReportCompletion {
  readonly reportId: string;
  readonly problemArea: string;
  readonly period: Period;
  readonly trend: Trend;
  readonly severity: Severity;
  readonly description: string;
}

/**
 * What an accepted group becomes: a situation report of the coordinator's agency about the
 * place, with source `citizen-dialogue`, open to the partnership (residents' reports name no
 * one, so nothing calls for restriction). The situation report's decider checks the rest.
 */
export function acceptedReport(
  group: Pick<SubmissionGroup, 'placeId'>,
  completion: ReportCompletion,
): Omit<ReportSituation, 'by' | 'at'> {
  return {
    type: 'ReportSituation',
    reportId: completion.reportId,
    placeIds: [group.placeId],
    problemArea: completion.problemArea,
    period: { from: completion.period.from, to: completion.period.to },
    trend: completion.trend,
    severity: completion.severity,
    description: completion.description,
    source: 'citizen-dialogue',
    sensitivity: 'open',
    sharedWith: [],
  };
}
