import { HandleCitizenPromiseCommand } from '../citizen-promise/citizen-promise.command-handler';
import { CreditWorkMessage, type WorkRef } from '../citizen-promise/credits.command-handler';
import type { CommandMeta } from '../commands/command-meta';
import { hammaroActivities } from './hammaro-activities';
import { HAMMARO_PROMISE_ID, hammaroPromise } from './hammaro-promise';
import { seedActors, type SeedStep } from './seed-step';

const promise = (
  key: string,
  by: SeedStep['by'],
  on: string,
  command: (meta: CommandMeta) => HandleCitizenPromiseCommand['command'],
): SeedStep => ({
  key,
  by,
  on,
  message: (meta) => new HandleCitizenPromiseCommand(HAMMARO_PROMISE_ID, command(meta), meta),
});

/**
 * The Hammarö promise through the same commands an agency sends: drafted, signed by its three
 * signatories, the autumn-2024 follow-up to the municipal board scheduled, then activities.
 * The document gives no signing dates; the seed signs in December 2022, before the period.
 */
export function hammaroPromiseSteps(): SeedStep[] {
  const signatures: [string, SeedStep['by']][] = [
    ['lpo-karlstad-chief', seedActors.policeChief],
    ['board-chair', seedActors.boardChair],
    ['chief-executive', seedActors.chiefExecutive],
  ];
  return [
    promise('promise-drafted', seedActors.safetyCoordinator, '2022-12-01', (m) => ({
      type: 'DraftPromise',
      by: m.actor,
      at: m.at,
      ...hammaroPromise,
    })),
    ...signatures.map(([signatoryId, by]) =>
      promise(`promise-signed-${signatoryId}`, by, '2022-12-15', (m) => ({
        type: 'SignPromise',
        by: m.actor,
        at: m.at,
        signatoryId,
        signedOn: '2022-12-15',
      })),
    ),
    promise('follow-up-scheduled', seedActors.safetyCoordinator, '2023-01-16', (m) => ({
      type: 'ScheduleFollowUp',
      by: m.actor,
      at: m.at,
      followUpId: 'autumn-2024',
      recipient: 'municipal-board',
      due: { from: '2024-09-01', to: '2024-11-30' },
    })),
    ...hammaroActivities().map(({ by, ...activity }) =>
      promise(`activity-${activity.activityId}`, by, activity.date, (m) => ({
        type: 'RecordActivity',
        by: m.actor,
        at: m.at,
        ...activity,
      })),
    ),
  ];
}

/** Work done elsewhere credited to the commitments it fulfils, as the partnership would. */
export function hammaroCreditSteps(): SeedStep[] {
  const credit = (
    key: string,
    by: SeedStep['by'],
    on: string,
    commitmentId: string,
    work: WorkRef,
  ): SeedStep => ({
    key: `credit-${key}`,
    by,
    on,
    message: (m) => new CreditWorkMessage(HAMMARO_PROMISE_ID, commitmentId, work, null, m),
  });
  const walk: WorkRef = { kind: 'safety-walk', workId: 'trygghetsvandring-2024' };
  const confirmation: WorkRef = {
    kind: 'situation-picture-confirmation',
    workId: 'meeting-2024-10-15',
  };
  return [
    // The walk with the police, the rescue service and Hammaröbostäder fulfils both walk
    // commitments: the joint one with housing companies and the municipality's own.
    credit('walk-joint', seedActors.safetyCoordinator, '2024-09-24', 'joint-safety-walks', walk),
    credit(
      'walk-municipality',
      seedActors.safetyCoordinator,
      '2024-09-24',
      'municipality-safety-walks',
      walk,
    ),
    // The picture confirmed at the meeting is the shared lägesbild both commitments speak of.
    credit(
      'picture-sharing',
      seedActors.safetyCoordinator,
      '2024-10-15',
      'joint-situation-sharing',
      confirmation,
    ),
    // The SSPF talk of 3 October was one of the joint prevention talks the promise speaks of;
    // the credit stays in the talk's stream, read only by its participants.
    credit('talk-joint', seedActors.socialWorker, '2024-10-03', 'joint-prevention-talks', {
      kind: 'prevention-talk',
      workId: 'sspf-2024-001',
    }),
    credit(
      'picture-monitoring',
      seedActors.safetyCoordinator,
      '2024-10-15',
      'municipality-situation-monitoring',
      confirmation,
    ),
  ];
}

/** The autumn-2024 follow-up to the municipal board, reported with its summary and proposals. */
export function hammaroFollowUpReportSteps(): SeedStep[] {
  return [
    promise('follow-up-reported-autumn-2024', seedActors.safetyCoordinator, '2024-11-26', (m) => ({
      type: 'ReportFollowUp',
      by: m.actor,
      at: m.at,
      followUpId: 'autumn-2024',
      reportedOn: '2024-11-26',
      summary:
        'Det mobila poliskontoret har funnits i Skoghall centrum de flesta veckor, trafikkontroller och fotpatruller har genomförts enligt plan och SSPF-arbetet har kommit igång. Lägesbilden visar fler iakttagelser av narkotika bland unga kring centrum och ökad skadegörelse vid Hammarlundens skola, medan samlingarna vid gästhamnen minskade efter säsongen. Trygghetsvandringens fynd är till största delen åtgärdade.',
      proposals:
        'Fortsätta det mobila poliskontoret varje vecka även under lov. Fler fotpatruller och väktarronder fredag och lördag kväll vid Hammarlundens skola. Utöka samarbetet med föreningslivet kring drogförebyggande kvällsverksamhet. Åtgärda klottret vid Lillängshamnen före båtsäsongen 2025.',
    })),
  ];
}
