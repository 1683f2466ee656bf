import type { AgencyCode } from '@samverkan/domain/agencies/agencies';
import { addDays, addWeeks, isoWeekStart, type IsoWeek } from '@samverkan/domain/calendar';
import type { EstCounts } from '@samverkan/domain/situation-picture/est.events';
import { HandleFindingCommand } from '../safety-walks/safety-walks.command-handler';
import {
  HandleEstCountsCommand,
  HandleEstReportersCommand,
} from '../situation-picture/est.command-handler';
import { seedActors, type SeedStep } from './seed-step';

/** Who reports EST counts for which place (the coordinator's assignments). */
const REPORTERS: readonly { placeId: string; agency: AgencyCode; by: SeedStep['by'] }[] = [
  { placeId: 'skoghall-centrum', agency: 'police', by: seedActors.municipalPoliceOfficer },
  { placeId: 'lillangshamnen', agency: 'municipal-security', by: seedActors.securityGuard },
  { placeId: 'hammarlundens-skola', agency: 'municipal-security', by: seedActors.securityGuard },
  { placeId: 'innergard-skoghall-centrum', agency: 'housing-company', by: seedActors.housing },
];

const FIRST_WEEK: IsoWeek = '2024-W33';
const WEEKS = 15; // 2024-W33 (12 August) to 2024-W47 (18–24 November)

/**
 * Made-up but plausible weekly counts: vandalism at Hammarlundens skola rises through the
 * autumn (as the school's report says), gatherings at the guest harbour fall after the season,
 * the rest stays low.
 */
function counts(placeId: string, w: number): EstCounts {
  const zero: EstCounts = {
    vandalism: 0,
    'gathering-places': 0,
    'unsafe-places': 0,
    'threats-to-staff': 0,
    rumours: 0,
    littering: 0,
    fires: 0,
  };
  switch (placeId) {
    case 'hammarlundens-skola':
      return {
        ...zero,
        vandalism: 1 + Math.floor(w / 3),
        littering: w % 2,
        'gathering-places': w > 8 ? 2 : 1,
      };
    case 'lillangshamnen':
      return {
        ...zero,
        'gathering-places': Math.max(0, 6 - Math.floor(w / 2)),
        littering: w < 5 ? 3 : 1,
      };
    case 'skoghall-centrum':
      return {
        ...zero,
        'gathering-places': 2 + (w % 3),
        rumours: w % 4 === 0 ? 1 : 0,
        'unsafe-places': 1,
      };
    default:
      return {
        ...zero,
        vandalism: w % 5 === 0 ? 1 : 0,
        littering: 1,
        'unsafe-places': w < 6 ? 1 : 0,
      };
  }
}

export function hammaroEstSteps(): SeedStep[] {
  const assignments = REPORTERS.map(({ placeId, agency }): SeedStep => ({
    key: `est-reporter-${placeId}-${agency}`,
    by: seedActors.safetyCoordinator,
    on: '2024-08-01',
    message: (m) =>
      new HandleEstReportersCommand(
        { type: 'AssignEstReporter', by: m.actor, at: m.at, placeId, agency },
        m,
      ),
  }));
  const weekly: SeedStep[] = [];
  for (let w = 0; w < WEEKS; w++) {
    const week = addWeeks(FIRST_WEEK, w);
    // Reported on the Monday after the week.
    const on = addDays(isoWeekStart(week)!, 7);
    for (const { placeId, by } of REPORTERS) {
      weekly.push({
        key: `est-counts-${placeId}-${week}`,
        by,
        on,
        message: (m) =>
          new HandleEstCountsCommand(
            placeId,
            {
              type: 'ReportEstCounts',
              by: m.actor,
              at: m.at,
              placeId,
              week,
              counts: counts(placeId, w),
            },
            m,
          ),
      });
    }
  }
  return [...assignments, ...weekly];
}

/** A finding the housing company reported outside a walk, and how it was put right. */
export function hammaroFindingSteps(): SeedStep[] {
  const findingId = 'entrance-lighting-2024-10';
  return [
    {
      key: 'finding-reported-entrance-lighting',
      by: seedActors.housing,
      on: '2024-10-21',
      message: (m) =>
        new HandleFindingCommand(
          findingId,
          {
            type: 'ReportFinding',
            by: m.actor,
            at: m.at,
            findingId,
            placeIds: ['innergard-skoghall-centrum'],
            kind: 'poor-lighting',
            description:
              'Belysningen vid två entréer släcks tidigt; boende upplever gården som otrygg.',
            responsibleParty: 'housing-company',
            reportedOn: '2024-10-21',
          },
          m,
        ),
    },
    {
      key: 'finding-addressed-entrance-lighting',
      by: seedActors.housing,
      on: '2024-11-04',
      message: (m) =>
        new HandleFindingCommand(
          findingId,
          {
            type: 'AddressFinding',
            by: m.actor,
            at: m.at,
            findingId,
            addressedOn: '2024-11-04',
            action: 'Tidur justerade; belysningen tänds nu i skymningen.',
          },
          m,
        ),
    },
  ];
}
