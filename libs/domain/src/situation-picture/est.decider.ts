import type { Actor } from '../actor';
import type { AgencyCode } from '../agencies/agencies';
import { isIsoWeek, isoWeekStart, swedishDate } from '../calendar';
import { unreachable, type Decider } from '../decider';
import { conflict, forbidden, notFound, rejected } from '../domain-error';
import { assertNoDirectIdentifier } from '../personal-data';
import type { EstCountsCommand, EstReportersCommand, ReportEstCounts } from './est.commands';
import {
  EST_CATEGORIES,
  EST_REPORTER_AGENCIES,
  type EstCounts,
  type EstCountsEvent,
  type EstReportersEvent,
} from './est.events';

/** Which agencies report for which place, by place id. */
export interface EstReportersState {
  readonly assignments: ReadonlyMap<string, readonly AgencyCode[]>;
}

/** The safety coordinator keeps the EST reporters, as the places register. */
function assertCoordinator(by: Actor): void {
  if (by.agency !== 'municipality' || by.role !== 'safety-coordinator') {
    throw forbidden(
      'EST.NOT_COORDINATOR',
      "Only the municipality's safety coordinator assigns EST reporters",
    );
  }
}

function decideReporters(
  command: EstReportersCommand,
  state: EstReportersState,
): EstReportersEvent[] {
  assertCoordinator(command.by);
  const assigned = state.assignments.get(command.placeId) ?? [];
  switch (command.type) {
    case 'AssignEstReporter':
      if (!command.placeRegistered) {
        throw rejected('EST.UNKNOWN_PLACE', `There is no place '${command.placeId}'`);
      }
      if (!EST_REPORTER_AGENCIES.includes(command.agency)) {
        throw rejected(
          'EST.NOT_A_REPORTER_AGENCY',
          `EST reporters are the municipality, police, housing companies and security guards; not ${command.agency}`,
        );
      }
      if (assigned.includes(command.agency)) {
        throw conflict('EST.ALREADY_ASSIGNED', `${command.agency} reports for this place already`);
      }
      return [
        { type: 'EstReporterAssigned', data: { placeId: command.placeId, agency: command.agency } },
      ];
    case 'UnassignEstReporter':
      if (!assigned.includes(command.agency)) {
        throw notFound('EST.NOT_ASSIGNED', `${command.agency} does not report for this place`);
      }
      if (command.reason.trim() === '') {
        throw rejected('EST.REASON_REQUIRED', 'Say why the agency stops reporting here');
      }
      assertNoDirectIdentifier('reason', command.reason);
      return [
        {
          type: 'EstReporterUnassigned',
          data: { placeId: command.placeId, agency: command.agency, reason: command.reason },
        },
      ];
    default:
      return unreachable(command);
  }
}

function evolveReporters(state: EstReportersState, event: EstReportersEvent): EstReportersState {
  const { placeId, agency } = event.data;
  const before = state.assignments.get(placeId) ?? [];
  switch (event.type) {
    case 'EstReporterAssigned':
      return { assignments: new Map(state.assignments).set(placeId, [...before, agency]) };
    case 'EstReporterUnassigned':
      return {
        assignments: new Map(state.assignments).set(
          placeId,
          before.filter((a) => a !== agency),
        ),
      };
    default:
      return unreachable(event);
  }
}

export const estReportersDecider: Decider<
  EstReportersCommand,
  EstReportersEvent,
  EstReportersState
> = {
  decide: decideReporters,
  evolve: evolveReporters,
  initialState: { assignments: new Map() },
};

/** One place's weekly counts, by week and reporting agency. */
export interface EstPlaceState {
  readonly counts: ReadonlyMap<string, EstCounts>;
}

export const countKey = (week: string, agency: AgencyCode): string => `${week}\u0000${agency}`;

function checkCounts(command: { week: string; counts: EstCounts; at: Date }): EstCounts {
  const start = isIsoWeek(command.week) ? isoWeekStart(command.week) : undefined;
  if (!start) {
    throw rejected('EST.INVALID_WEEK', `'${command.week}' is not an ISO week such as 2024-W40`);
  }
  if (start > swedishDate(command.at)) {
    throw rejected('EST.WEEK_NOT_STARTED', `Week ${command.week} has not started yet`);
  }
  const given = command.counts as Readonly<Record<string, unknown>>;
  const unknown = Object.keys(given).filter(
    (k) => !(EST_CATEGORIES as readonly string[]).includes(k),
  );
  const missing = EST_CATEGORIES.filter((c) => given[c] === undefined);
  if (unknown.length > 0 || missing.length > 0) {
    throw rejected(
      'EST.INCOMPLETE_CHECKLIST',
      `Count every category of the checklist (0 when nothing was seen)${missing.length ? `; missing: ${missing.join(', ')}` : ''}${unknown.length ? `; not on the checklist: ${unknown.join(', ')}` : ''}`,
    );
  }
  for (const category of EST_CATEGORIES) {
    const n = given[category];
    if (!Number.isSafeInteger(n) || (n as number) < 0) {
      throw rejected('EST.INVALID_COUNT', `${category} must be a whole number of 0 or more`);
    }
  }
  return Object.fromEntries(EST_CATEGORIES.map((c) => [c, given[c] as number])) as EstCounts;
}

function report(command: ReportEstCounts, state: EstPlaceState): EstCountsEvent[] {
  const agency = command.by.agency;
  if (!command.assignedAgencies.includes(agency)) {
    throw forbidden(
      'EST.NOT_ASSIGNED',
      `${agency} is not assigned to report EST counts for this place; the safety coordinator assigns reporters`,
    );
  }
  const counts = checkCounts(command);
  if (state.counts.has(countKey(command.week, agency))) {
    throw conflict(
      'EST.ALREADY_REPORTED',
      `${agency} reported week ${command.week} for this place already; correct it instead`,
    );
  }
  return [
    {
      type: 'EstCountsReported',
      data: { placeId: command.placeId, week: command.week, reportingAgency: agency, counts },
    },
  ];
}

function decideCounts(command: EstCountsCommand, state: EstPlaceState): EstCountsEvent[] {
  switch (command.type) {
    case 'ReportEstCounts':
      return report(command, state);
    case 'CorrectEstCounts': {
      const agency = command.by.agency;
      // An agency corrects only its own counts; others' are not its to know week by week.
      if (!state.counts.has(countKey(command.week, agency))) {
        throw notFound('EST.NOT_REPORTED', `${agency} has not reported week ${command.week} here`);
      }
      const counts = checkCounts(command);
      if (command.reason.trim() === '') {
        throw rejected('EST.REASON_REQUIRED', 'A reason is required: nothing is changed silently');
      }
      assertNoDirectIdentifier('reason', command.reason);
      return [
        {
          type: 'EstCountsCorrected',
          data: {
            placeId: command.placeId,
            week: command.week,
            reportingAgency: agency,
            counts,
            reason: command.reason,
          },
        },
      ];
    }
    default:
      return unreachable(command);
  }
}

function evolveCounts(state: EstPlaceState, event: EstCountsEvent): EstPlaceState {
  const { week, reportingAgency, counts } = event.data;
  return { counts: new Map(state.counts).set(countKey(week, reportingAgency), counts) };
}

export const estPlaceDecider: Decider<EstCountsCommand, EstCountsEvent, EstPlaceState> = {
  decide: decideCounts,
  evolve: evolveCounts,
  initialState: { counts: new Map() },
};
