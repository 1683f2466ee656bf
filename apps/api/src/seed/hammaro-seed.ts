import { HandleCitizenPromiseCommand } from '../citizen-promise/citizen-promise.command-handler';
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
