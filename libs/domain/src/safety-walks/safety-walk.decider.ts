import { mayReceiveFeed, type Resource } from '../access-policy/access-policy';
import type { Actor } from '../actor';
import type { AgencyCode } from '../agencies/agencies';
import { swedishDate, type LocalDate } from '../calendar';
import { unreachable, type Decider } from '../decider';
import { conflict, forbidden, notFound, rejected } from '../domain-error';
import {
  decideCredit,
  decideCreditWithdrawal,
  evolveCredits,
  type CreditsState,
} from '../citizen-promise/commitment-credits';
import { assertNoDirectIdentifier } from '../personal-data';
import type {
  AddressFinding,
  ConductSafetyWalk,
  PlanSafetyWalk,
  ReassignFinding,
  SafetyWalkCommand,
} from './safety-walks.commands';
import type { FindingKind, SafetyWalkEvent } from './safety-walks.events';

export interface FindingState {
  readonly findingId: string;
  readonly placeIds: readonly string[];
  readonly kind: FindingKind;
  readonly description: string;
  /** The current responsible party: the last reassignment's, or the one found on the walk. */
  readonly responsibleParty: AgencyCode;
  readonly addressed: boolean;
  readonly addressedOn?: LocalDate;
  /** What was done about it, once addressed. */
  readonly action?: string;
}

interface PlannedWalk {
  readonly walkId: string;
  readonly areaId: string | null;
  readonly route: readonly string[];
  readonly plannedOn: LocalDate;
  readonly invitedParties: readonly AgencyCode[];
  /** Empty until the walk is conducted. */
  readonly participants: readonly AgencyCode[];
  /** Empty until the walk is conducted; in the order found. */
  readonly findings: ReadonlyMap<string, FindingState>;
  /** The commitments of promises the walk is credited to. */
  readonly credits: CreditsState;
}

export type SafetyWalkState =
  | { readonly status: 'none' }
  | ({ readonly status: 'planned' } & PlannedWalk)
  | ({
      readonly status: 'conducted';
      readonly conductedOn: LocalDate;
      readonly residentsTakingPart: number;
    } & PlannedWalk);

type Existing = Exclude<SafetyWalkState, { status: 'none' }>;
type Conducted = Extract<SafetyWalkState, { status: 'conducted' }>;

/** Safety walks are organised by the police area and the municipality. */
function assertOrganiser(by: Actor, what: string): void {
  if (by.agency !== 'police' && by.agency !== 'municipality') {
    throw forbidden(
      'WALK.NOT_ORGANISER',
      `Only the police area and the municipality ${what}; ${by.agency} may not`,
    );
  }
}

/**
 * A finding goes only to a party that reads the walk (the partnership and the invited
 * parties): one outside it could neither see the finding on its worklist nor receive it.
 */
function assertReadsWalk(walk: Existing, party: AgencyCode): void {
  if (!mayReceiveFeed(party, walkResource(walk))) {
    throw rejected(
      'WALK.PARTY_NOT_INVITED',
      `${party} was not invited to the walk, so it cannot be given a finding of it; invite it, or report the finding outside the walk`,
    );
  }
}

/** The walk as the access policy sees it. */
export function walkResource(walk: Existing): Resource {
  return { kind: 'safety-walk', invitedParties: walk.invitedParties };
}

function existing(state: SafetyWalkState): Existing {
  if (state.status === 'none') throw notFound('WALK.NOT_FOUND', 'No such safety walk is planned');
  return state;
}

function assertNotInFuture(date: LocalDate, at: Date, what: string): void {
  const today = swedishDate(at);
  if (date > today) {
    throw rejected('WALK.DATE_IN_FUTURE', `${what} ${date} is after today (${today})`);
  }
}

/** A finding that can still change: found on the conducted walk and not addressed yet. */
function openFinding(
  state: SafetyWalkState,
  findingId: string,
): { walk: Conducted; finding: FindingState } {
  const walk = existing(state);
  const finding = walk.status === 'conducted' ? walk.findings.get(findingId) : undefined;
  if (walk.status !== 'conducted' || !finding) {
    throw notFound(
      'WALK.UNKNOWN_FINDING',
      walk.status === 'conducted'
        ? `The walk found nothing called '${findingId}'`
        : 'The walk has not been conducted, so it has no findings yet',
    );
  }
  if (finding.addressed) {
    throw conflict(
      'WALK.FINDING_ALREADY_ADDRESSED',
      `Finding '${findingId}' was addressed on ${finding.addressedOn ?? 'an earlier day'}`,
    );
  }
  return { walk, finding };
}

function plan(command: PlanSafetyWalk, state: SafetyWalkState): SafetyWalkEvent[] {
  if (state.status !== 'none') {
    throw conflict('WALK.ALREADY_PLANNED', `Safety walk '${command.walkId}' is planned already`);
  }
  assertOrganiser(command.by, 'plan a safety walk');
  if (command.route.length === 0) {
    throw rejected('WALK.EMPTY_ROUTE', 'A walk follows a route of registered places');
  }
  return [
    {
      type: 'SafetyWalkPlanned',
      data: {
        walkId: command.walkId,
        areaId: command.areaId,
        route: command.route,
        plannedOn: command.plannedOn,
        invitedParties: command.invitedParties,
      },
    },
  ];
}

function conduct(command: ConductSafetyWalk, state: SafetyWalkState): SafetyWalkEvent[] {
  const walk = existing(state);
  assertOrganiser(command.by, 'record a safety walk');
  if (walk.status === 'conducted') {
    throw conflict('WALK.ALREADY_CONDUCTED', `The walk was conducted on ${walk.conductedOn}`);
  }
  assertNotInFuture(command.conductedOn, command.at, 'The walk date');
  if (!command.participants.includes(command.by.agency)) {
    throw rejected(
      'WALK.ORGANISER_ABSENT',
      `${command.by.agency} records the walk, so it must be among the participants`,
    );
  }
  if (!Number.isSafeInteger(command.residentsTakingPart) || command.residentsTakingPart < 0) {
    throw rejected(
      'WALK.INVALID_COUNT',
      `Residents taking part must be a whole number of 0 or more, got ${command.residentsTakingPart}`,
    );
  }
  const seen = new Set<string>();
  for (const finding of command.findings) {
    if (seen.has(finding.findingId)) {
      throw rejected(
        'WALK.DUPLICATE_FINDING',
        `Finding '${finding.findingId}' is listed more than once`,
      );
    }
    seen.add(finding.findingId);
    if (finding.placeIds.length === 0) {
      throw rejected('WALK.FINDING_WITHOUT_PLACE', `Finding '${finding.findingId}' names no place`);
    }
    assertReadsWalk(walk, finding.responsibleParty);
    assertNoDirectIdentifier('finding description', finding.description);
  }
  return [
    {
      type: 'SafetyWalkConducted',
      data: {
        conductedOn: command.conductedOn,
        participants: command.participants,
        residentsTakingPart: command.residentsTakingPart,
        findings: command.findings.map((f) => ({
          findingId: f.findingId,
          placeIds: [...f.placeIds],
          kind: f.kind,
          description: f.description,
          responsibleParty: f.responsibleParty,
        })),
      },
    },
  ];
}

function reassign(command: ReassignFinding, state: SafetyWalkState): SafetyWalkEvent[] {
  existing(state);
  assertOrganiser(command.by, 'reassign a finding');
  const { finding } = openFinding(state, command.findingId);
  if (command.responsibleParty === finding.responsibleParty) {
    throw rejected(
      'WALK.SAME_PARTY',
      `Finding '${command.findingId}' is already with ${finding.responsibleParty}`,
    );
  }
  if (command.reason.trim() === '') {
    throw rejected('WALK.REASON_REQUIRED', 'Say why the finding moves to another party');
  }
  assertReadsWalk(existing(state), command.responsibleParty);
  assertNoDirectIdentifier('reason', command.reason);
  return [
    {
      type: 'FindingReassigned',
      data: {
        findingId: command.findingId,
        responsibleParty: command.responsibleParty,
        reason: command.reason,
      },
    },
  ];
}

function address(command: AddressFinding, state: SafetyWalkState): SafetyWalkEvent[] {
  const { walk, finding } = openFinding(state, command.findingId);
  if (command.by.agency !== finding.responsibleParty) {
    throw forbidden(
      'WALK.NOT_RESPONSIBLE',
      `Finding '${command.findingId}' is ${finding.responsibleParty}'s to address; ${command.by.agency} may not`,
    );
  }
  if (command.addressedOn < walk.conductedOn) {
    throw rejected(
      'WALK.ADDRESSED_BEFORE_FOUND',
      `The finding was made on ${walk.conductedOn}; it cannot be addressed on ${command.addressedOn}`,
    );
  }
  assertNotInFuture(command.addressedOn, command.at, 'The date addressed');
  assertNoDirectIdentifier('action', command.action);
  return [
    {
      type: 'FindingAddressed',
      data: {
        findingId: command.findingId,
        addressedOn: command.addressedOn,
        action: command.action,
      },
    },
  ];
}

function decide(command: SafetyWalkCommand, state: SafetyWalkState): SafetyWalkEvent[] {
  switch (command.type) {
    case 'PlanSafetyWalk':
      return plan(command, state);
    case 'ConductSafetyWalk':
      return conduct(command, state);
    case 'ReassignFinding':
      return reassign(command, state);
    case 'AddressFinding':
      return address(command, state);
    case 'CreditWalk': {
      const walk = existing(state);
      assertOrganiser(command.by, 'credit a safety walk');
      if (walk.status !== 'conducted') {
        throw conflict('WALK.NOT_CONDUCTED', 'A walk is credited once it has been conducted');
      }
      return decideCredit(
        command,
        {
          kind: 'safety-walk',
          workId: walk.walkId,
          doneOn: walk.conductedOn,
          placeIds: walk.route,
        },
        walk.credits,
      );
    }
    case 'WithdrawWalkCredit': {
      const walk = existing(state);
      assertOrganiser(command.by, 'withdraw the credit of a safety walk');
      return decideCreditWithdrawal(command, walk.walkId, walk.credits);
    }
    default:
      return unreachable(command);
  }
}

function updateFinding(
  state: Conducted,
  findingId: string,
  change: (finding: FindingState) => FindingState,
): SafetyWalkState {
  const finding = state.findings.get(findingId);
  if (!finding) return state;
  return { ...state, findings: new Map(state.findings).set(findingId, change(finding)) };
}

function evolve(state: SafetyWalkState, event: SafetyWalkEvent): SafetyWalkState {
  if (event.type === 'SafetyWalkPlanned') {
    const d = event.data;
    return {
      status: 'planned',
      walkId: d.walkId,
      areaId: d.areaId,
      route: d.route,
      plannedOn: d.plannedOn,
      invitedParties: d.invitedParties,
      participants: [],
      findings: new Map(),
      credits: new Map(),
    };
  }
  // Events of a stream follow its SafetyWalkPlanned; one before it would be a corrupt log.
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'SafetyWalkConducted': {
      const d = event.data;
      return {
        ...state,
        status: 'conducted',
        conductedOn: d.conductedOn,
        residentsTakingPart: d.residentsTakingPart,
        participants: d.participants,
        findings: new Map(
          d.findings.map((f) => [
            f.findingId,
            {
              findingId: f.findingId,
              placeIds: f.placeIds,
              kind: f.kind,
              description: f.description,
              responsibleParty: f.responsibleParty,
              addressed: false,
            },
          ]),
        ),
      };
    }
    case 'FindingReassigned':
      if (state.status !== 'conducted') return state;
      return updateFinding(state, event.data.findingId, (f) => ({
        ...f,
        responsibleParty: event.data.responsibleParty,
      }));
    case 'FindingAddressed':
      if (state.status !== 'conducted') return state;
      return updateFinding(state, event.data.findingId, (f) => ({
        ...f,
        addressed: true,
        addressedOn: event.data.addressedOn,
        action: event.data.action,
      }));
    case 'CommitmentCredited':
    case 'CommitmentCreditWithdrawn':
      return { ...state, credits: evolveCredits(state.credits, event) };
    default:
      return unreachable(event);
  }
}

export const safetyWalkDecider: Decider<SafetyWalkCommand, SafetyWalkEvent, SafetyWalkState> = {
  decide,
  evolve,
  initialState: { status: 'none' },
};
