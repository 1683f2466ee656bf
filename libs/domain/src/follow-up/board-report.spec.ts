import type { AgencyCode } from '../agencies/agencies';
import type { CitizenPromiseEvent, CreditedWork } from '../citizen-promise/citizen-promise.events';
import { foldPromiseDocument } from '../citizen-promise/citizen-promise.view';
import type { CreditEntry } from '../citizen-promise/commitment-credit-ledger';
import { stateAfter } from '../decider';
import type { PlacesEvent } from '../places/places.events';
import { placesRegisterDecider } from '../places/places-register.decider';
import { findingDecider, type ReportedFindingState } from '../safety-walks/finding.decider';
import { safetyWalkDecider, type SafetyWalkState } from '../safety-walks/safety-walk.decider';
import type { FindingCommand, SafetyWalkCommand } from '../safety-walks/safety-walks.commands';
import type { FindingEvent, SafetyWalkEvent } from '../safety-walks/safety-walks.events';
import type { EstCountRecord } from '../situation-picture/est-summary';
import { EST_CATEGORIES, type EstCounts } from '../situation-picture/est.events';
import type { SituationReportDetails } from '../situation-picture/situation-picture.events';
import {
  foldSituationPicture,
  type SituationPictureRecord,
} from '../situation-picture/situation-picture.view';
import { boardReport, type BoardReportInputs } from './board-report';

// The autumn 2024 follow-up to the municipal board, over September.
const range = { from: '2024-09-02', to: '2024-09-29' };

const promiseEvents: CitizenPromiseEvent[] = [
  {
    type: 'PromiseDrafted',
    data: {
      promiseId: 'hammaro',
      title: 'Medborgarlöfte Hammarö 2023–2025',
      municipality: 'Hammarö kommun',
      policeArea: 'LPO Karlstad',
      period: { from: '2023-01-01', to: '2025-12-31' },
      origin: 'Medborgardialoger',
      problemAreas: [{ rank: 1, code: 'alcohol-drug-crime', name: 'Alkohol och droger' }],
      focus: 'Narkotika',
      commitments: [
        {
          commitmentId: 'talks',
          owner: 'joint',
          description: 'Förebyggande samtal',
          problemAreaRanks: [1],
        },
      ],
      signatories: [],
      draftedOn: '2023-01-01',
    },
  },
  {
    type: 'FollowUpScheduled',
    data: {
      followUpId: 'autumn-2024',
      recipient: 'municipal-board',
      due: { from: '2024-09-01', to: '2024-11-30' },
    },
  },
  {
    type: 'FollowUpReported',
    data: {
      followUpId: 'autumn-2024',
      reportedOn: '2024-10-15',
      summary: 'Poliskontoret hölls 41 av 52 veckor',
      proposals: 'Fler trygghetsvandringar i hamnarna',
    },
  },
];
const doc = foldPromiseDocument(promiseEvents)!;

const talk = (workId: string): CreditEntry => {
  const work: CreditedWork = {
    kind: 'prevention-talk',
    workId,
    doneOn: '2024-09-11',
    placeIds: ['fritidsgarden-secret-place'],
  };
  return {
    streamId: `prevention-talk-${workId}`,
    promiseId: 'hammaro',
    commitmentId: 'talks',
    work,
    standing: true,
    withdrawalReason: null,
  };
};

const placeEvent = (
  placeId: string,
  kind: 'area' | 'harbour',
  areaId: string | null,
): PlacesEvent => ({
  type: 'PlaceRegistered',
  data: {
    placeId,
    name: placeId,
    kind,
    areaId,
    position: { latitude: 59.33, longitude: 13.5, precision: 'approximate' },
  },
});
const places = stateAfter(placesRegisterDecider, [
  placeEvent('skoghall-centrum', 'area', null),
  placeEvent('lillangshamnen', 'harbour', 'skoghall-centrum'),
  placeEvent('sorvikshamnen', 'harbour', null),
]);

const details: SituationReportDetails = {
  placeIds: ['lillangshamnen'],
  problemArea: 'vandalism-burglary',
  period: { from: '2024-09-01', to: '2024-09-15' },
  trend: 'rising',
  severity: 'medium',
  description: 'Skadegörelse på båtar',
  source: 'incident-reports',
  sensitivity: 'open',
  sharedWith: [],
};
const report = (
  reportId: string,
  over: Partial<SituationReportDetails> = {},
): SituationPictureRecord => ({
  streamId: `situation-report-${reportId}`,
  recordedAt: new Date('2024-09-20T10:00:00Z'),
  event: {
    type: 'SituationReported',
    data: { reportId, reportingAgency: 'police', ...details, ...over },
  },
});
const restrictedText = 'Uppgift om en namngiven ungdoms nätverk';
const situation = foldSituationPicture([
  report('r-1'),
  report('r-2', { placeIds: ['skoghall-centrum'] }),
  report('r-3', { trend: 'stable' }),
  ...['r-4', 'r-5', 'r-6', 'r-7', 'r-8'].map((id) => report(id, { trend: 'falling' })),
  report('r-9', {
    sensitivity: 'restricted',
    sharedWith: ['social-services'],
    description: restrictedText,
  }),
  report('r-10', {
    sensitivity: 'restricted',
    sharedWith: ['school'],
    description: restrictedText,
  }),
  // Outside the period; retracted: neither counts.
  report('r-11', { period: { from: '2024-08-01', to: '2024-08-31' } }),
  report('r-12'),
  {
    streamId: 'situation-report-r-12',
    recordedAt: new Date('2024-09-21T10:00:00Z'),
    event: { type: 'SituationReportRetracted', data: { reason: 'Dubblett' } },
  },
  report('r-13', { placeIds: ['sorvikshamnen'], problemArea: 'traffic-crime' }),
  {
    streamId: 'situation-picture-hammaro',
    recordedAt: new Date('2024-09-25T10:00:00Z'),
    event: {
      type: 'SituationPictureConfirmed',
      data: {
        confirmationId: 'c-sep',
        meetingOn: '2024-09-25',
        period: { from: '2024-09-01', to: '2024-09-15' },
        reportIds: ['r-1'],
        summary: 'Skadegörelsen i hamnarna ökar',
      },
    },
  },
  {
    streamId: 'situation-picture-hammaro',
    recordedAt: new Date('2024-10-25T10:00:00Z'),
    event: {
      type: 'SituationPictureConfirmed',
      data: {
        confirmationId: 'c-oct',
        meetingOn: '2024-10-25',
        period: { from: '2024-09-16', to: '2024-10-15' },
        reportIds: ['r-3'],
        summary: 'Oktober',
      },
    },
  },
]);

const zero = Object.fromEntries(EST_CATEGORIES.map((c) => [c, 0])) as Record<string, number>;
const est = (placeId: string, week: string, counts: Partial<EstCounts>): EstCountRecord => ({
  placeId,
  week,
  reportingAgency: 'municipal-security',
  counts: { ...zero, ...counts } as EstCounts,
});

const walk = (
  walkId: string,
  conductedOn: string | null,
  findings: readonly { id: string; party: AgencyCode }[],
  after: SafetyWalkEvent[] = [],
) =>
  stateAfter<SafetyWalkCommand, SafetyWalkEvent, SafetyWalkState>(safetyWalkDecider, [
    {
      type: 'SafetyWalkPlanned',
      data: {
        walkId,
        areaId: 'skoghall-centrum',
        route: ['skoghall-centrum', 'lillangshamnen'],
        plannedOn: '2024-08-01',
        invitedParties: ['housing-company'],
      },
    },
    ...(conductedOn
      ? [
          {
            type: 'SafetyWalkConducted',
            data: {
              conductedOn,
              participants: ['police', 'municipality'],
              residentsTakingPart: 14,
              findings: findings.map((f) => ({
                findingId: f.id,
                placeIds: ['lillangshamnen'],
                kind: 'poor-lighting',
                description: `Belysning ${f.id}`,
                responsibleParty: f.party,
              })),
            },
          } as SafetyWalkEvent,
        ]
      : []),
    ...after,
  ]);
const walks = [
  walk(
    'w-sep',
    '2024-09-10',
    [
      { id: 'wf-1', party: 'municipality' },
      { id: 'wf-2', party: 'housing-company' },
    ],
    [
      {
        type: 'FindingAddressed',
        data: { findingId: 'wf-1', addressedOn: '2024-10-02', action: 'Lampor bytta' },
      },
    ],
  ),
  walk('w-may', '2024-05-20', [{ id: 'wf-old', party: 'municipality' }]),
  walk('w-planned', null, []),
];

const reported = (findingId: string, reportedOn: string, after: FindingEvent[] = []) =>
  stateAfter<FindingCommand, FindingEvent, ReportedFindingState>(findingDecider, [
    {
      type: 'FindingReported',
      data: {
        findingId,
        placeIds: ['sorvikshamnen'],
        kind: 'vandalism',
        description: `Klotter ${findingId}`,
        responsibleParty: 'housing-company',
        reportedOn,
        reportingAgency: 'housing-company',
      },
    },
    ...after,
  ]);
const findings = [
  reported('of-2', '2024-09-20', [
    {
      type: 'FindingAddressed',
      data: { findingId: 'of-2', addressedOn: '2024-09-22', action: 'Sanerat' },
    },
  ]),
  reported('of-1', '2024-09-05'),
  reported('of-old', '2024-08-30'),
];

const inputs: BoardReportInputs = {
  doc,
  credits: [talk('talk-a91'), talk('talk-b27'), talk('talk-c55')],
  range,
  position: 4242,
  places,
  situation,
  est: [
    est('lillangshamnen', '2024-W37', { vandalism: 3, littering: 6 }),
    est('sorvikshamnen', '2024-W38', { fires: 1 }),
  ],
  walks,
  findings,
};
const board = boardReport(inputs);
const text = JSON.stringify(board);

describe('board report: the follow-up for the municipal board, from the log', () => {
  it('rule: it names the promise, the period reported and the log position it was built from', () => {
    expect(board).toMatchObject({
      promiseId: 'hammaro',
      title: 'Medborgarlöfte Hammarö 2023–2025',
      municipality: 'Hammarö kommun',
      policeArea: 'LPO Karlstad',
      promisePeriod: { from: '2023-01-01', to: '2025-12-31' },
      focus: 'Narkotika',
      range,
      position: 4242,
    });
  });

  it('rule: prevention talks are a blurred count only: no id, day or place of a talk', () => {
    expect(board.commitments.problemAreas[0]?.commitments[0]).toMatchObject({
      commitmentId: 'talks',
      restrictedWork: 'fewer than 5',
      creditedWork: 0,
      work: [],
    });
    for (const secret of [
      'talk-a91',
      'talk-b27',
      'talk-c55',
      'fritidsgarden-secret-place',
      '2024-09-11',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('rule: restricted reports are a blurred count only, never what they say or with whom they are shared', () => {
    const harbour = board.situationPicture.reports.find(
      (r) => r.areaId === 'skoghall-centrum' && r.problemArea === 'vandalism-burglary',
    );
    expect(harbour?.restricted).toBe('fewer than 5');
    expect(text).not.toContain(restrictedText);
    expect(text).not.toContain('social-services');
  });

  it('rule: open reports of the period count per area of the register and problem area, by trend, blurred below 5; retracted ones not', () => {
    expect(board.situationPicture.reports).toEqual([
      {
        // r-1 and r-2 rising (a harbour of the area, and the area itself), r-3 stable, r-4..r-8 falling.
        areaId: 'skoghall-centrum',
        problemArea: 'vandalism-burglary',
        rising: 'fewer than 5',
        stable: 'fewer than 5',
        falling: 5,
        restricted: 'fewer than 5',
      },
      {
        // A place in no area counts under itself.
        areaId: 'sorvikshamnen',
        problemArea: 'traffic-crime',
        rising: 'fewer than 5',
        stable: 0,
        falling: 0,
        restricted: 0,
      },
    ]);
  });

  it('rule: the pictures confirmed at meetings held in the period, with what they said', () => {
    expect(board.situationPicture.meetings).toEqual([
      {
        confirmationId: 'c-sep',
        meetingOn: '2024-09-25',
        period: { from: '2024-09-01', to: '2024-09-15' },
        summary: 'Skadegörelsen i hamnarna ökar',
      },
    ]);
  });

  it('rule: EST counts are blurred, per ISO week of the period and area', () => {
    expect(board.situationPicture.est).toMatchObject({
      fromWeek: '2024-W36',
      toWeek: '2024-W39',
      precision: 'blurred',
    });
    expect(board.situationPicture.est.weeks).toEqual([
      {
        week: '2024-W37',
        areaId: 'skoghall-centrum',
        category: 'vandalism',
        count: 'fewer than 5',
      },
      { week: '2024-W37', areaId: 'skoghall-centrum', category: 'littering', count: 6 },
      { week: '2024-W38', areaId: 'sorvikshamnen', category: 'fires', count: 'fewer than 5' },
    ]);
    for (const trend of board.situationPicture.est.trends) {
      expect(trend).not.toHaveProperty('changePercent');
    }
  });

  it('rule: safety walks conducted in the period, with their findings and whether each was addressed', () => {
    expect(board.safetyWalks).toEqual([
      {
        walkId: 'w-sep',
        conductedOn: '2024-09-10',
        areaId: 'skoghall-centrum',
        route: ['skoghall-centrum', 'lillangshamnen'],
        residentsTakingPart: 14,
        findings: [
          {
            findingId: 'wf-1',
            kind: 'poor-lighting',
            placeIds: ['lillangshamnen'],
            description: 'Belysning wf-1',
            responsibleParty: 'municipality',
            foundOn: '2024-09-10',
            addressedOn: '2024-10-02',
            action: 'Lampor bytta',
          },
          expect.objectContaining({ findingId: 'wf-2', addressedOn: null, action: null }),
        ],
      },
    ]);
  });

  it('rule: findings reported outside walks in the period, in the order found', () => {
    expect(board.findingsOutsideWalks).toEqual([
      {
        findingId: 'of-1',
        kind: 'vandalism',
        placeIds: ['sorvikshamnen'],
        description: 'Klotter of-1',
        responsibleParty: 'housing-company',
        foundOn: '2024-09-05',
        addressedOn: null,
        action: null,
      },
      expect.objectContaining({
        findingId: 'of-2',
        foundOn: '2024-09-20',
        addressedOn: '2024-09-22',
      }),
    ]);
  });

  it('rule: the totals count the findings of walks and outside walks in the period, addressed and open', () => {
    expect(board.findingTotals).toEqual({ found: 4, addressed: 2, open: 2 });
  });

  it('rule: the follow-ups with their summary and proposals', () => {
    expect(board.followUps).toEqual([
      {
        followUpId: 'autumn-2024',
        recipient: 'municipal-board',
        due: { from: '2024-09-01', to: '2024-11-30' },
        reportedOn: '2024-10-15',
        summary: 'Poliskontoret hölls 41 av 52 veckor',
        proposals: 'Fler trygghetsvandringar i hamnarna',
      },
    ]);
  });

  it('given five talks or more, then their number', () => {
    const five = boardReport({
      ...inputs,
      credits: ['t1', 't2', 't3', 't4', 't5'].map(talk),
    });
    expect(five.commitments.problemAreas[0]?.commitments[0]?.restrictedWork).toBe(5);
  });
});
