import type { Issued } from '../actor';
import type { AgencyCode } from '../agencies/agencies';
import type { IsoWeek } from '../calendar';
import type { EstCounts } from './est.events';

export interface AssignEstReporter extends Issued {
  readonly type: 'AssignEstReporter';
  readonly placeId: string;
  readonly agency: AgencyCode;
  /** Whether the place is in the places register, read by the handler (keeps this pure). */
  readonly placeRegistered: boolean;
}

export interface UnassignEstReporter extends Issued {
  readonly type: 'UnassignEstReporter';
  readonly placeId: string;
  readonly agency: AgencyCode;
  readonly reason: string;
}

export type EstReportersCommand = AssignEstReporter | UnassignEstReporter;

export interface ReportEstCounts extends Issued {
  readonly type: 'ReportEstCounts';
  readonly placeId: string;
  readonly week: IsoWeek;
  readonly counts: EstCounts;
  /** The agencies assigned to report for the place now, read by the handler. */
  readonly assignedAgencies: readonly AgencyCode[];
}

export interface CorrectEstCounts extends Issued {
  readonly type: 'CorrectEstCounts';
  readonly placeId: string;
  readonly week: IsoWeek;
  readonly counts: EstCounts;
  readonly reason: string;
}

export type EstCountsCommand = ReportEstCounts | CorrectEstCounts;
