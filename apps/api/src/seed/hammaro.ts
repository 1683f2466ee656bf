import {
  hammaroPartnershipSteps,
  hammaroUserSteps,
  hammaroPreventionTalkSteps,
  hammaroSafetyWalkSteps,
  hammaroSituationSteps,
} from './hammaro-partnership';
import { hammaroEstSteps, hammaroFindingSteps } from './hammaro-est';
import { hammaroPlacesSteps } from './hammaro-places';
import {
  hammaroCreditSteps,
  hammaroFollowUpReportSteps,
  hammaroPromiseSteps,
} from './hammaro-seed';
import type { SeedStep } from './seed-step';

/** All demo data of the Hammarö partnership, in the order it happened. */
export function hammaroSeed(): SeedStep[] {
  // Stable sort: steps of one day keep their order (a walk is planned before it is conducted).
  return [
    ...hammaroPartnershipSteps(),
    ...hammaroUserSteps(),
    ...hammaroPlacesSteps(),
    ...hammaroPromiseSteps(),
    ...hammaroSituationSteps(),
    ...hammaroPreventionTalkSteps(),
    ...hammaroSafetyWalkSteps(),
    ...hammaroEstSteps(),
    ...hammaroFindingSteps(),
    // Credits follow the work they credit on the same day (stable sort keeps this order).
    ...hammaroCreditSteps(),
    ...hammaroFollowUpReportSteps(),
  ].sort((a, b) => a.on.localeCompare(b.on));
}
