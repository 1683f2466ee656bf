import { integerSetting } from '@samverkan/shared/configuration/read-setting';

/**
 * Citizen dialogue's settings from the environment:
 * - `SAMVERKAN_CITIZEN_DIALOGUE_RETENTION_DAYS`: how long a submission waits for the safety
 *   coordinator before gallring deletes it, 30 days by default (a month between partnership
 *   meetings; what is not accepted by then is not part of anyone's picture).
 * - `SAMVERKAN_CITIZEN_DIALOGUE_RATE_LIMIT`: submissions per client address and hour, 5 by
 *   default: a resident reports a few places, not hundreds.
 */
export interface CitizenDialogueConfig {
  readonly retentionDays: number;
  readonly perAddressPerHour: number;
}

export function citizenDialogueConfig(env: NodeJS.ProcessEnv = process.env): CitizenDialogueConfig {
  return {
    retentionDays: integerSetting(env, 'SAMVERKAN_CITIZEN_DIALOGUE_RETENTION_DAYS'),
    perAddressPerHour: integerSetting(env, 'SAMVERKAN_CITIZEN_DIALOGUE_RATE_LIMIT'),
  };
}
