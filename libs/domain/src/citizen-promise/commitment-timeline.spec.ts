import type { CitizenPromiseEvent, PromiseDrafted } from './citizen-promise.events';
import { foldPromiseDocument } from './citizen-promise.view';
import { commitmentTimeline } from './commitment-timeline';

const drafted: PromiseDrafted = {
  type: 'PromiseDrafted',
  data: {
    promiseId: 'p',
    title: 'Medborgarlöfte',
    municipality: 'Hammarö kommun',
    policeArea: 'LPO Karlstad',
    period: { from: '2024-01-01', to: '2024-12-31' },
    origin: 'dialog',
    problemAreas: [{ rank: 1, code: 'alcohol-drug-crime', name: 'Alkohol och droger' }],
    focus: 'Droger',
    commitments: [
      {
        commitmentId: 'office',
        owner: 'police',
        description: 'Lokalt poliskontor en gång per vecka',
        problemAreaRanks: [1],
        cadence: { times: 1, per: 'week' },
      },
      {
        commitmentId: 'walks',
        owner: 'joint',
        description: 'Trygghetsvandringar',
        problemAreaRanks: [],
      },
      { commitmentId: 'talks', owner: 'joint', description: 'Samtal', problemAreaRanks: [1] },
    ],
    signatories: [],
    draftedOn: '2023-12-01',
  },
};

const recorded = (activityId: string, commitmentId: string, date: string): CitizenPromiseEvent => ({
  type: 'CommitmentActivityRecorded',
  data: {
    activityId,
    commitmentId,
    kind: 'local-office',
    date,
    place: 'Skoghall centrum',
    agenciesPresent: ['police'],
    outcome: 'På plats',
    figures: {},
  },
});

// Four whole weeks: 1, 8, 15 and 22 January 2024.
const january = { from: '2024-01-01', to: '2024-01-28' };

describe('commitment timeline', () => {
  it('given activities recorded out of date order, then lists them by date under their commitment', () => {
    const doc = foldPromiseDocument([
      drafted,
      recorded('b', 'office', '2024-01-16'),
      recorded('a', 'office', '2024-01-02'),
      recorded('c', 'walks', '2024-01-10'),
    ])!;
    const timeline = commitmentTimeline(doc, january);
    const office = timeline.commitments.find((c) => c.commitmentId === 'office')!;
    expect(office.activities.map((a) => a.activityId)).toEqual(['a', 'b']);
    expect(office.owner).toBe('police');
    expect(office.problemAreas).toEqual([{ rank: 1, name: 'Alkohol och droger' }]);
  });

  it('given a weekly cadence met in 2 of 4 weeks, then it is behind with the weeks missed', () => {
    const doc = foldPromiseDocument([
      drafted,
      recorded('a', 'office', '2024-01-02'),
      recorded('b', 'office', '2024-01-16'),
    ])!;
    const office = commitmentTimeline(doc, january).commitments[0]!;
    expect(office.status).toBe('behind');
    expect(office.fulfilmentText).toBe('met in 2 of 4 weeks');
    expect(office.fulfilment?.missed).toEqual(['2024-01-08', '2024-01-22']);
  });

  it('given 3 of 4 weeks met, then it is on track', () => {
    const doc = foldPromiseDocument([
      drafted,
      recorded('a', 'office', '2024-01-02'),
      recorded('b', 'office', '2024-01-09'),
      recorded('c', 'office', '2024-01-16'),
    ])!;
    expect(commitmentTimeline(doc, january).commitments[0]!.status).toBe('on-track');
  });

  it('given a withdrawn activity, then it is listed as withdrawn and does not count', () => {
    const doc = foldPromiseDocument([
      drafted,
      recorded('a', 'office', '2024-01-02'),
      { type: 'CommitmentActivityWithdrawn', data: { activityId: 'a', reason: 'fel' } },
    ])!;
    const office = commitmentTimeline(doc, january).commitments[0]!;
    expect(office.activities).toEqual([
      expect.objectContaining({ activityId: 'a', status: 'withdrawn' }),
    ]);
    expect(office.fulfilment?.periodsFulfilled).toBe(0);
  });

  it('given no cadence, then active with activities and no-activity without; a range shorter than a week is not yet due', () => {
    const doc = foldPromiseDocument([drafted, recorded('c', 'walks', '2024-01-10')])!;
    const [office, walks, talks] = commitmentTimeline(doc, january).commitments;
    expect([walks!.status, talks!.status]).toEqual(['active', 'no-activity']);
    expect(office!.status).toBe('behind');
    const short = commitmentTimeline(doc, { from: '2024-01-03', to: '2024-01-05' });
    expect(short.commitments[0]!.status).toBe('not-yet-due');
  });

  it('given a revision that withdraws a commitment, then its status is withdrawn', () => {
    const doc = foldPromiseDocument([
      drafted,
      {
        type: 'PromiseRevised',
        data: {
          revisedOn: '2024-02-01',
          reason: 'ny prioritering',
          addedCommitments: [],
          withdrawnCommitmentIds: ['talks'],
        },
      },
    ])!;
    expect(commitmentTimeline(doc, january).commitments[2]!.status).toBe('withdrawn');
  });
});
