import { isLocalDate, isValidPeriod, swedishDate, type LocalDate, type Period } from '../calendar';
import { unreachable, type Decider } from '../decider';
import type { Actor } from '../actor';
import {
  decideCredit,
  decideCreditWithdrawal,
  evolveCredits,
  type CreditsState,
} from '../citizen-promise/commitment-credits';
import { conflict, forbidden, notFound, rejected } from '../domain-error';
import { assertNoDirectIdentifier } from '../personal-data';
import type {
  ConfirmSituationPicture,
  SituationPictureCommand,
} from './situation-picture.commands';
import type { SituationPictureEvent } from './situation-picture.events';

export interface ConfirmedPicture {
  readonly confirmationId: string;
  readonly meetingOn: LocalDate;
  readonly period: Period;
  readonly reportIds: readonly string[];
}

/** The pictures a partnership has confirmed, by confirmation id, in the order confirmed. */
export interface SituationPictureState {
  readonly confirmations: ReadonlyMap<string, ConfirmedPicture>;
  /** Confirmed pictures credited to commitments of promises (lägesbild commitments). */
  readonly credits: CreditsState;
}

/** The partnership meeting confirms: the police area and the municipality are its parties. */
function assertParty(by: Actor, what: string): void {
  if (by.agency !== 'police' && by.agency !== 'municipality') {
    throw forbidden(
      'SITUATION.NOT_A_PARTY',
      `Only the police area and the municipality ${what}; ${by.agency} may not`,
    );
  }
}

const samePeriod = (a: Period, b: Period): boolean => a.from === b.from && a.to === b.to;

function confirm(
  command: ConfirmSituationPicture,
  state: SituationPictureState,
): SituationPictureEvent[] {
  if (state.confirmations.has(command.confirmationId)) {
    throw conflict(
      'SITUATION.ALREADY_CONFIRMED',
      `Confirmation '${command.confirmationId}' is recorded already`,
    );
  }
  assertParty(command.by, 'confirm the situation picture');
  const today = swedishDate(command.at);
  if (command.meetingOn > today) {
    throw rejected(
      'SITUATION.MEETING_IN_FUTURE',
      `The meeting on ${command.meetingOn} has not been held yet (today is ${today})`,
    );
  }
  const { period } = command;
  if (
    !isLocalDate(period.from) ||
    !isLocalDate(period.to) ||
    !isValidPeriod(period) ||
    period.to > command.meetingOn
  ) {
    throw rejected(
      'SITUATION.INVALID_PERIOD',
      `The period must start before it ends and end by the meeting on ${command.meetingOn} (${period.from} to ${period.to})`,
    );
  }
  const earlier = [...state.confirmations.values()].find((c) => samePeriod(c.period, period));
  if (earlier) {
    throw conflict(
      'SITUATION.PERIOD_ALREADY_CONFIRMED',
      `The picture for ${period.from} to ${period.to} was confirmed at the meeting on ${earlier.meetingOn}`,
    );
  }
  // A report named twice is one report: the picture rests on a set of reports.
  const reportIds = [...new Set(command.reportIds)];
  if (reportIds.length === 0) {
    throw rejected('SITUATION.NO_REPORTS', 'A situation picture rests on at least one report');
  }
  const status = new Map(command.reports.map((r) => [r.reportId, r.status]));
  const missing = reportIds.filter((id) => status.get(id) !== 'reported');
  if (missing.length > 0) {
    throw rejected(
      'SITUATION.UNKNOWN_OR_RETRACTED_REPORT',
      `These reports do not exist or were retracted: ${missing.join(', ')}`,
    );
  }
  assertNoDirectIdentifier('summary', command.summary);
  return [
    {
      type: 'SituationPictureConfirmed',
      data: {
        confirmationId: command.confirmationId,
        meetingOn: command.meetingOn,
        period,
        reportIds,
        summary: command.summary,
      },
    },
  ];
}

function decide(
  command: SituationPictureCommand,
  state: SituationPictureState,
): SituationPictureEvent[] {
  switch (command.type) {
    case 'ConfirmSituationPicture':
      return confirm(command, state);
    case 'CreditConfirmation':
    case 'WithdrawConfirmationCredit': {
      assertParty(command.by, 'credit a confirmed situation picture');
      const confirmed = state.confirmations.get(command.confirmationId);
      if (!confirmed) {
        throw notFound(
          'SITUATION.UNKNOWN_CONFIRMATION',
          `No picture was confirmed as '${command.confirmationId}'`,
        );
      }
      return command.type === 'CreditConfirmation'
        ? decideCredit(
            command,
            {
              kind: 'situation-picture-confirmation',
              workId: confirmed.confirmationId,
              doneOn: confirmed.meetingOn,
              placeIds: [],
            },
            state.credits,
          )
        : decideCreditWithdrawal(command, confirmed.confirmationId, state.credits);
    }
    default:
      return unreachable(command);
  }
}

function evolve(state: SituationPictureState, event: SituationPictureEvent): SituationPictureState {
  switch (event.type) {
    case 'SituationPictureConfirmed': {
      const { confirmationId, meetingOn, period, reportIds } = event.data;
      return {
        ...state,
        confirmations: new Map(state.confirmations).set(confirmationId, {
          confirmationId,
          meetingOn,
          period,
          reportIds,
        }),
      };
    }
    case 'CommitmentCredited':
    case 'CommitmentCreditWithdrawn':
      return { ...state, credits: evolveCredits(state.credits, event) };
    default:
      return unreachable(event);
  }
}

export const situationPictureDecider: Decider<
  SituationPictureCommand,
  SituationPictureEvent,
  SituationPictureState
> = { decide, evolve, initialState: { confirmations: new Map(), credits: new Map() } };
