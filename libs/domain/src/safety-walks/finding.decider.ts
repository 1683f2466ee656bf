import { mayRead, type Resource } from '../access-policy/access-policy';
import type { Actor } from '../actor';
import { PARTNER_AGENCIES, type AgencyCode } from '../agencies/agencies';
import { isLocalDate, swedishDate, type LocalDate } from '../calendar';
import { unreachable, type Decider } from '../decider';
import { conflict, forbidden, notFound, rejected } from '../domain-error';
import { assertNoDirectIdentifier } from '../personal-data';
import type { FindingCommand, ReportFinding } from './safety-walks.commands';
import type { FindingEvent, FindingKind } from './safety-walks.events';

/** A finding reported outside a walk, as it stands. */
export type ReportedFindingState =
  | { readonly status: 'none' }
  | {
      readonly status: 'open' | 'addressed';
      readonly findingId: string;
      readonly placeIds: readonly string[];
      readonly kind: FindingKind;
      readonly description: string;
      readonly reportedOn: LocalDate;
      readonly reportingAgency: AgencyCode;
      readonly responsibleParty: AgencyCode;
      /** Every party it was given to, the current one last: those that handed it on still know. */
      readonly responsibleParties: readonly AgencyCode[];
      readonly addressedOn: LocalDate | null;
      readonly action: string | null;
    };

/** Besides the partnership, housing companies report what they see on their estates. */
export const FINDING_REPORTERS: readonly AgencyCode[] = [...PARTNER_AGENCIES, 'housing-company'];

/** The finding as the access policy sees it. */
export function findingResource(finding: {
  readonly reportingAgency: AgencyCode;
  readonly responsibleParties: readonly AgencyCode[];
}): Resource {
  return {
    kind: 'finding',
    reportingAgency: finding.reportingAgency,
    responsibleParties: finding.responsibleParties,
  };
}

function existing(state: ReportedFindingState, by: Actor) {
  // One answer for "none" and "not yours": a stranger cannot tell the finding exists.
  if (state.status === 'none' || !mayRead(by, findingResource(state)).allowed) {
    throw notFound('FINDING.NOT_FOUND', 'There is no such finding');
  }
  return state;
}

function assertDay(date: LocalDate, at: Date, what: string): void {
  if (!isLocalDate(date)) throw rejected('FINDING.INVALID_DATE', `${what} must be YYYY-MM-DD`);
  const today = swedishDate(at);
  if (date > today) {
    throw rejected('FINDING.DATE_IN_FUTURE', `${what} ${date} is after today (${today})`);
  }
}

function report(command: ReportFinding, state: ReportedFindingState): FindingEvent[] {
  if (!FINDING_REPORTERS.includes(command.by.agency)) {
    throw forbidden(
      'FINDING.NOT_A_REPORTER',
      `Partners and housing companies report findings; ${command.by.agency} does not`,
    );
  }
  if (state.status !== 'none') {
    // Only someone who may know of the finding hears that it exists.
    if (!mayRead(command.by, findingResource(state)).allowed) {
      throw conflict('FINDING.ID_TAKEN', 'This id is taken; leave it out and the server makes one');
    }
    throw conflict('FINDING.ALREADY_REPORTED', `Finding '${command.findingId}' exists already`);
  }
  if (command.placeIds.length === 0) {
    throw rejected('FINDING.NO_PLACE', 'Name the place or places of the finding');
  }
  assertDay(command.reportedOn, command.at, 'The day it was found');
  if (command.description.trim() === '') {
    throw rejected('FINDING.NO_DESCRIPTION', 'Describe what makes the place feel unsafe');
  }
  assertNoDirectIdentifier('description', command.description);
  return [
    {
      type: 'FindingReported',
      data: {
        findingId: command.findingId,
        placeIds: [...command.placeIds],
        kind: command.kind,
        description: command.description,
        responsibleParty: command.responsibleParty,
        reportedOn: command.reportedOn,
        reportingAgency: command.by.agency,
      },
    },
  ];
}

function decide(command: FindingCommand, state: ReportedFindingState): FindingEvent[] {
  switch (command.type) {
    case 'ReportFinding':
      return report(command, state);
    case 'ReassignFinding': {
      const finding = existing(state, command.by);
      // The organisers of the partnership's safety work, or the party it was given to.
      const { agency } = command.by;
      if (agency !== 'police' && agency !== 'municipality' && agency !== finding.responsibleParty) {
        throw forbidden(
          'FINDING.MAY_NOT_REASSIGN',
          'The police area, the municipality or the responsible party reassign a finding',
        );
      }
      if (finding.status === 'addressed') {
        throw conflict('FINDING.ALREADY_ADDRESSED', `It was addressed on ${finding.addressedOn}`);
      }
      if (command.responsibleParty === finding.responsibleParty) {
        throw rejected('FINDING.SAME_PARTY', `It is with ${finding.responsibleParty} already`);
      }
      if (command.reason.trim() === '') {
        throw rejected('FINDING.REASON_REQUIRED', 'Say why the finding moves to another party');
      }
      assertNoDirectIdentifier('reason', command.reason);
      return [
        {
          type: 'FindingReassigned',
          data: {
            findingId: finding.findingId,
            responsibleParty: command.responsibleParty,
            reason: command.reason,
          },
        },
      ];
    }
    case 'AddressFinding': {
      const finding = existing(state, command.by);
      if (command.by.agency !== finding.responsibleParty) {
        throw forbidden(
          'FINDING.NOT_RESPONSIBLE',
          `The finding is ${finding.responsibleParty}'s to address; ${command.by.agency} may not`,
        );
      }
      if (finding.status === 'addressed') {
        throw conflict('FINDING.ALREADY_ADDRESSED', `It was addressed on ${finding.addressedOn}`);
      }
      assertDay(command.addressedOn, command.at, 'The date addressed');
      if (command.addressedOn < finding.reportedOn) {
        throw rejected(
          'FINDING.ADDRESSED_BEFORE_FOUND',
          `It was found on ${finding.reportedOn}; it cannot be addressed on ${command.addressedOn}`,
        );
      }
      assertNoDirectIdentifier('action', command.action);
      return [
        {
          type: 'FindingAddressed',
          data: {
            findingId: finding.findingId,
            addressedOn: command.addressedOn,
            action: command.action,
          },
        },
      ];
    }
    default:
      return unreachable(command);
  }
}

function evolve(state: ReportedFindingState, event: FindingEvent): ReportedFindingState {
  switch (event.type) {
    case 'FindingReported': {
      const d = event.data;
      return {
        status: 'open',
        findingId: d.findingId,
        placeIds: d.placeIds,
        kind: d.kind,
        description: d.description,
        reportedOn: d.reportedOn,
        reportingAgency: d.reportingAgency,
        responsibleParty: d.responsibleParty,
        responsibleParties: [d.responsibleParty],
        addressedOn: null,
        action: null,
      };
    }
    case 'FindingReassigned':
      return state.status === 'none'
        ? state
        : {
            ...state,
            responsibleParty: event.data.responsibleParty,
            responsibleParties: [
              ...state.responsibleParties.filter((p) => p !== event.data.responsibleParty),
              event.data.responsibleParty,
            ],
          };
    case 'FindingAddressed':
      return state.status === 'none'
        ? state
        : {
            ...state,
            status: 'addressed',
            addressedOn: event.data.addressedOn,
            action: event.data.action,
          };
    default:
      return unreachable(event);
  }
}

export const findingDecider: Decider<FindingCommand, FindingEvent, ReportedFindingState> = {
  decide,
  evolve,
  initialState: { status: 'none' },
};
