import { mayRead, type Resource } from '../access-policy/access-policy';
import type { Actor } from '../actor';
import { PARTNER_AGENCIES, type AgencyCode } from '../agencies/agencies';
import { isLocalDate, isValidPeriod, swedishDate } from '../calendar';
import { unreachable, type Decider } from '../decider';
import { conflict, forbidden, notFound, rejected } from '../domain-error';
import { assertNoDirectIdentifier } from '../personal-data';
import type {
  CorrectSituationReport,
  ReportSituation,
  RetractSituationReport,
  SituationReportCommand,
} from './situation-picture.commands';
import type { SituationReportDetails, SituationReportEvent } from './situation-picture.events';

/**
 * What reads need of one report: who reported it and who may read it (the access policy takes
 * `reportingAgency`, `sensitivity` and `sharedWith`), and its current fields.
 */
export type SituationReportState =
  | { readonly status: 'none' }
  | ({
      readonly status: 'reported' | 'retracted';
      readonly reportId: string;
      readonly reportingAgency: AgencyCode;
    } & SituationReportDetails);

type Existing = Exclude<SituationReportState, { status: 'none' }>;

function checkDetails(details: SituationReportDetails, by: Actor, at: Date): void {
  const { period } = details;
  // Dates compare as text only in the fixed format, so a malformed one is no period at all.
  if (!isLocalDate(period.from) || !isLocalDate(period.to) || !isValidPeriod(period)) {
    throw rejected(
      'SITUATION.INVALID_PERIOD',
      `The period must be real dates and start before it ends (${period.from} to ${period.to})`,
    );
  }
  const today = swedishDate(at);
  if (period.to > today) {
    throw rejected(
      'SITUATION.PERIOD_IN_FUTURE',
      `A report is about what has happened; the period ends ${period.to}, after today ${today}`,
    );
  }
  if (details.sensitivity === 'open' && details.sharedWith.length > 0) {
    throw rejected(
      'SITUATION.SHARED_WITH_ON_OPEN_REPORT',
      'An open report is shared with the whole partnership; name agencies only on a restricted one',
    );
  }
  if (details.sharedWith.includes(by.agency)) {
    throw rejected(
      'SITUATION.INVALID_SHARED_WITH',
      `${by.agency} reads its own report; list only the other agencies it is shared with`,
    );
  }
  if (new Set(details.sharedWith).size !== details.sharedWith.length) {
    throw rejected('SITUATION.INVALID_SHARED_WITH', 'Each agency may be named once');
  }
  if (details.placeIds.length === 0) {
    throw rejected('SITUATION.NO_PLACE', 'Name the place or area the observation is about');
  }
  assertNoDirectIdentifier('description', details.description);
}

/** Copies the fields a report event carries, so nothing else of a command slips into the log. */
function reportDetails(command: SituationReportDetails): SituationReportDetails {
  return {
    placeIds: [...command.placeIds],
    problemArea: command.problemArea,
    period: command.period,
    trend: command.trend,
    severity: command.severity,
    description: command.description,
    source: command.source,
    sensitivity: command.sensitivity,
    sharedWith: command.sharedWith,
  };
}

function assertReason(reason: string): void {
  if (reason.trim() === '') {
    throw rejected(
      'SITUATION.REASON_REQUIRED',
      'A reason is required: nothing is changed silently',
    );
  }
  assertNoDirectIdentifier('reason', reason);
}

/** A report that its reporter may still change: it exists and has not been retracted. */
function changeable(state: SituationReportState, by: Actor): Existing {
  // One answer for "none" and "not yours to read": a restricted report stays unknown to others.
  if (state.status === 'none' || !mayRead(by, reportResource(state)).allowed) {
    throw notFound('SITUATION.NOT_FOUND', 'There is no such situation report');
  }
  if (by.agency !== state.reportingAgency) {
    throw forbidden(
      'SITUATION.NOT_REPORTER',
      `Only ${state.reportingAgency}, which reported it, may change this report; ${by.agency} may not`,
    );
  }
  if (state.status === 'retracted') {
    throw conflict('SITUATION.RETRACTED', `Report '${state.reportId}' was retracted`);
  }
  return state;
}

/** The report as the access policy sees it. */
function reportResource(report: Existing): Resource {
  return {
    kind: 'situation-report',
    reportingAgency: report.reportingAgency,
    sensitivity: report.sensitivity,
    sharedWith: report.sharedWith,
  };
}

function report(command: ReportSituation, state: SituationReportState): SituationReportEvent[] {
  // Who may report at all comes first: an outsider learns nothing of which ids are taken.
  if (!PARTNER_AGENCIES.includes(command.by.agency)) {
    throw forbidden(
      'SITUATION.NOT_A_PARTNER',
      `Only the partnership's agencies report to the situation picture; ${command.by.agency} does not`,
    );
  }
  if (state.status !== 'none' && !mayRead(command.by, reportResource(state)).allowed) {
    throw conflict('SITUATION.ID_TAKEN', 'This id is taken; choose another');
  }
  if (state.status !== 'none') {
    throw conflict('SITUATION.ALREADY_REPORTED', `Report '${command.reportId}' exists already`);
  }
  checkDetails(command, command.by, command.at);
  return [
    {
      type: 'SituationReported',
      data: {
        reportId: command.reportId,
        reportingAgency: command.by.agency,
        ...reportDetails(command),
      },
    },
  ];
}

function correct(
  command: CorrectSituationReport,
  state: SituationReportState,
): SituationReportEvent[] {
  changeable(state, command.by);
  assertReason(command.reason);
  checkDetails(command, command.by, command.at);
  return [
    {
      type: 'SituationReportCorrected',
      data: {
        reason: command.reason,
        ...(command.redactsEarlierText === true ? { redactsEarlierText: true as const } : {}),
        ...reportDetails(command),
      },
    },
  ];
}

function retract(
  command: RetractSituationReport,
  state: SituationReportState,
): SituationReportEvent[] {
  changeable(state, command.by);
  assertReason(command.reason);
  return [{ type: 'SituationReportRetracted', data: { reason: command.reason } }];
}

function decide(
  command: SituationReportCommand,
  state: SituationReportState,
): SituationReportEvent[] {
  switch (command.type) {
    case 'ReportSituation':
      return report(command, state);
    case 'CorrectSituationReport':
      return correct(command, state);
    case 'RetractSituationReport':
      return retract(command, state);
    default:
      return unreachable(command);
  }
}

function evolve(state: SituationReportState, event: SituationReportEvent): SituationReportState {
  switch (event.type) {
    case 'SituationReported': {
      const { reportId, reportingAgency, ...details } = event.data;
      return { status: 'reported', reportId, reportingAgency, ...reportDetails(details) };
    }
    case 'SituationReportCorrected': {
      // Events of a stream follow its SituationReported; one before it would be a corrupt log.
      if (state.status === 'none') return state;
      return {
        status: state.status,
        reportId: state.reportId,
        reportingAgency: state.reportingAgency,
        ...reportDetails(event.data),
      };
    }
    case 'SituationReportRetracted':
      if (state.status === 'none') return state;
      return { ...state, status: 'retracted' };
    default:
      return unreachable(event);
  }
}

export const situationReportDecider: Decider<
  SituationReportCommand,
  SituationReportEvent,
  SituationReportState
> = { decide, evolve, initialState: { status: 'none' } };
