import type { Actor } from '@samverkan/domain/actor';
import type { AgencyCode } from '@samverkan/domain/agencies/agencies';
import { addDays, type LocalDate } from '@samverkan/domain/calendar';
import { seedActors } from './seed-step';

/**
 * A few months (August to November 2024, up to the autumn follow-up) of activities under the
 * Hammarö commitments, at real places of the municipality. The figures are made up but
 * plausible; the dates fall on the weekdays such work is done.
 */
export interface SeedActivity {
  readonly activityId: string;
  readonly commitmentId: string;
  readonly by: Actor;
  readonly kind: string;
  readonly date: LocalDate;
  readonly placeIds: string[];
  readonly agenciesPresent: AgencyCode[];
  readonly outcome: string;
  readonly figures: Record<string, number>;
}

const FIRST_TUESDAY = '2024-08-06';
const WEEKS = 17;
/** Weeks the mobile office did not come (autumn break, staff shortage): fulfilment is not 100 %. */
const MISSED_WEEKS = new Set(['2024-09-17', '2024-10-29']);

function weekly(): SeedActivity[] {
  const out: SeedActivity[] = [];
  for (let w = 0; w < WEEKS; w++) {
    const date = addDays(FIRST_TUESDAY, 7 * w);
    if (MISSED_WEEKS.has(date)) continue;
    out.push({
      activityId: `local-office-${date}`,
      commitmentId: 'police-local-office',
      by: seedActors.municipalPoliceOfficer,
      kind: 'mobile-police-office',
      date,
      placeIds: ['skoghall-centrum'],
      agenciesPresent: ['police'],
      outcome:
        'Mobila poliskontoret på plats 15–18. Frågor om mopedtrafik, cykelstölder och oro för ungdomsgrupper vid centrum.',
      figures: { visitors: 9 + ((w * 7) % 15), hoursOfPresence: 3 },
    });
  }
  return out;
}

function trafficControls(): SeedActivity[] {
  const days = ['2024-08-22', '2024-09-19', '2024-10-17', '2024-11-14'];
  return days.map((date, i) => ({
    activityId: `traffic-control-${date}`,
    commitmentId: 'police-traffic-controls',
    by: seedActors.policeOfficer,
    kind: 'traffic-control',
    date,
    placeIds: ['bymiljovagen'],
    agenciesPresent: ['police'],
    outcome:
      i === 2
        ? 'Kontroll av alkohol, droger, mopeder och A-traktorer. En förare misstänkt för drograttfylleri, två mopeder trimmade.'
        : 'Kontroll av alkohol, droger, mopeder och A-traktorer. Inga rattfylleribrott; några rapporter för brister på fordon.',
    figures: {
      vehiclesChecked: 60 + i * 11,
      breathTests: 52 + i * 9,
      drugTests: 3 + i,
      mopedsChecked: 6 + i * 2,
      aTractorsChecked: 4 + (i % 2) * 3,
      reportsFiled: i === 2 ? 3 : 1,
    },
  }));
}

function footPatrols(): SeedActivity[] {
  const days = ['2024-08-16', '2024-08-30', '2024-09-27', '2024-10-25', '2024-11-22'];
  return days.map((date, i) => ({
    activityId: `foot-patrol-${date}`,
    commitmentId: 'police-foot-patrol',
    by: seedActors.policeOfficer,
    kind: 'foot-patrol',
    date,
    placeIds:
      i % 2 === 0 ? ['skoghall-centrum', 'lillangshamnen'] : ['mormoskolan', 'hammaro-arena'],
    agenciesPresent: i === 1 ? ['police', 'social-services'] : ['police'],
    outcome:
      'Uniformerad fotpatrull fredag kväll på platser med särskilt behov; samtal med ungdomar.',
    figures: { hoursOfPresence: 4, peopleReached: 15 + i * 4 },
  }));
}

function guardRounds(): SeedActivity[] {
  const out: SeedActivity[] = [];
  const places = ['lillangshamnen', 'sorvikshamnen', 'mormoskolan', 'hammarlundens-skola'];
  for (let i = 0; i < 8; i++) {
    const date = addDays('2024-08-10', 14 * i);
    out.push({
      activityId: `guard-round-${date}`,
      commitmentId: 'municipality-security-guards',
      by: seedActors.securityGuard,
      kind: 'security-guard-round',
      date,
      placeIds: [places[i % places.length]!],
      agenciesPresent: ['municipal-security'],
      outcome:
        i === 3
          ? 'Riktad rond. Klotter på skolans gavel dokumenterat och anmält; fastighetsförvaltningen informerad.'
          : 'Riktad rond mot båthamnar och skolor. Inga skadegörelser upptäckta vid ronden.',
      figures: { rounds: 3, incidentsReported: i === 3 ? 1 : 0 },
    });
  }
  return out;
}

function municipalAndJoint(): SeedActivity[] {
  return [
    {
      activityId: 'information-campaign-2024-09-10',
      commitmentId: 'joint-information-campaigns',
      by: seedActors.principal,
      kind: 'information-campaign',
      date: '2024-09-10',
      placeIds: ['hammarlundens-skola'],
      agenciesPresent: ['school', 'police', 'social-services'],
      outcome: 'Föräldramöte årskurs 7–9 om alkohol, narkotika och tecken att vara uppmärksam på.',
      figures: { peopleReached: 85 },
    },
    {
      activityId: 'information-campaign-2024-10-08',
      commitmentId: 'joint-information-campaigns',
      by: seedActors.municipalPoliceOfficer,
      kind: 'information-campaign',
      date: '2024-10-08',
      placeIds: ['mormoskolan'],
      agenciesPresent: ['police', 'school'],
      outcome: 'Lektion för årskurs 8 om narkotika och konsekvenser av brott.',
      figures: { peopleReached: 140 },
    },
    {
      activityId: 'andts-2024-11-05',
      commitmentId: 'municipality-andts',
      by: seedActors.safetyCoordinator,
      kind: 'andts-information',
      date: '2024-11-05',
      placeIds: ['hammaro-arena'],
      agenciesPresent: ['municipality', 'leisure'],
      outcome:
        'Informationsbord om ANDTS i samband med match; material till föräldrar och föreningsledare.',
      figures: { peopleReached: 60 },
    },
    ...['2024-09-06', '2024-10-04', '2024-11-01'].map((date, i): SeedActivity => ({
      activityId: `youth-drug-prevention-${date}`,
      commitmentId: 'municipality-youth-drug-prevention',
      by: seedActors.youthWorker,
      kind: 'youth-drug-prevention',
      date,
      placeIds: ['skoghall'],
      agenciesPresent: i === 1 ? ['leisure', 'social-services'] : ['leisure'],
      outcome: 'Kvällsverksamhet med drogförebyggande tema för högstadieelever.',
      figures: { peopleReached: 24 + i * 5 },
    })),
    {
      activityId: 'early-intervention-2024-09-24',
      commitmentId: 'municipality-early-interventions',
      by: seedActors.socialWorker,
      kind: 'parent-support',
      date: '2024-09-24',
      placeIds: ['hammaro-utbildningscenter'],
      agenciesPresent: ['social-services', 'school'],
      outcome: 'Första träffen i föräldrastödsgrupp för föräldrar till tonåringar.',
      figures: { peopleReached: 12 },
    },
    ...['2024-08-28', '2024-09-25', '2024-10-23', '2024-11-20'].map((date): SeedActivity => ({
      activityId: `sspf-meeting-${date}`,
      commitmentId: 'joint-social-services-cooperation',
      by: seedActors.fieldWorker,
      kind: 'sspf-meeting',
      date,
      placeIds: ['kommunhuset'],
      agenciesPresent: ['social-services', 'police', 'school', 'leisure'],
      outcome: 'SSPF-möte: gemensam genomgång av läget bland unga och planering av insatser.',
      figures: { meetingsHeld: 1 },
    })),
  ];
}

export function hammaroActivities(): SeedActivity[] {
  return [
    ...weekly(),
    ...trafficControls(),
    ...footPatrols(),
    ...guardRounds(),
    ...municipalAndJoint(),
  ].sort((a, b) => a.date.localeCompare(b.date) || a.activityId.localeCompare(b.activityId));
}
