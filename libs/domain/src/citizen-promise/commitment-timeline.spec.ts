import type { CitizenPromiseEvent, CreditedWork, PromiseDrafted } from './citizen-promise.events';
import { foldPromiseDocument } from './citizen-promise.view';
import type { CreditEntry } from './commitment-credit-ledger';
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
    placeIds: ['skoghall-centrum'],
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
    const timeline = commitmentTimeline(doc, [], january);
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
    const office = commitmentTimeline(doc, [], january).commitments[0]!;
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
    expect(commitmentTimeline(doc, [], january).commitments[0]!.status).toBe('on-track');
  });

  it('given a withdrawn activity, then it is listed as withdrawn and does not count', () => {
    const doc = foldPromiseDocument([
      drafted,
      recorded('a', 'office', '2024-01-02'),
      { type: 'CommitmentActivityWithdrawn', data: { activityId: 'a', reason: 'fel' } },
    ])!;
    const office = commitmentTimeline(doc, [], january).commitments[0]!;
    expect(office.activities).toEqual([
      expect.objectContaining({ activityId: 'a', status: 'withdrawn' }),
    ]);
    expect(office.fulfilment?.periodsFulfilled).toBe(0);
  });

  it('given no cadence, then active with activities and no-activity without; a range shorter than a week is not yet due', () => {
    const doc = foldPromiseDocument([drafted, recorded('c', 'walks', '2024-01-10')])!;
    const [office, walks, talks] = commitmentTimeline(doc, [], january).commitments;
    expect([walks!.status, talks!.status]).toEqual(['active', 'no-activity']);
    expect(office!.status).toBe('behind');
    const short = commitmentTimeline(doc, [], { from: '2024-01-03', to: '2024-01-05' });
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
    expect(commitmentTimeline(doc, [], january).commitments[2]!.status).toBe('withdrawn');
  });

  describe('with work done elsewhere credited', () => {
    const credit = (commitmentId: string, work: CreditedWork): CreditEntry => ({
      streamId: `${work.kind}-${work.workId}`,
      promiseId: 'p',
      commitmentId,
      work,
      standing: true,
      withdrawalReason: null,
    });
    const walk = (workId: string, doneOn: string): CreditedWork => ({
      kind: 'safety-walk',
      workId,
      doneOn,
      placeIds: ['lillangshamnen'],
    });

    it('given walks credited in the weeks missed, then the cadence is met and the walks are listed as credited work', () => {
      const doc = foldPromiseDocument([
        drafted,
        recorded('a', 'office', '2024-01-02'),
        recorded('b', 'office', '2024-01-16'),
      ])!;
      const office = commitmentTimeline(
        doc,
        [credit('office', walk('w-1', '2024-01-10')), credit('office', walk('w-2', '2024-01-24'))],
        january,
      ).commitments[0]!;
      expect(office.status).toBe('on-track');
      expect(office.fulfilmentText).toBe('met in 4 of 4 weeks');
      expect(office.creditedWork.map((w) => [w.id, w.date])).toEqual([
        ['w-1', '2024-01-10'],
        ['w-2', '2024-01-24'],
      ]);
      // Its own activities stay under activities, not credited work.
      expect(office.activities.map((a) => a.activityId)).toEqual(['a', 'b']);
    });

    it('given an activity of another commitment credited, then it is listed as credited work, and not as the commitment’s own', () => {
      const doc = foldPromiseDocument([drafted, recorded('a', 'office', '2024-01-02')])!;
      const activity: CreditedWork = {
        kind: 'activity',
        workId: 'a',
        doneOn: '2024-01-02',
        placeIds: ['skoghall-centrum'],
      };
      const [office, walks] = commitmentTimeline(
        doc,
        [credit('walks', activity)],
        january,
      ).commitments;
      expect(walks!.creditedWork).toEqual([
        expect.objectContaining({ id: 'a', date: '2024-01-02' }),
      ]);
      expect(walks!.activities).toEqual([]);
      expect(walks!.status).toBe('active');
      expect(office!.creditedWork).toEqual([]);
    });

    it('given only prevention talks credited, then a blurred count over the whole period, nothing listed, and no status a range could date them by', () => {
      const doc = foldPromiseDocument([drafted])!;
      const talk: CreditedWork = {
        kind: 'prevention-talk',
        workId: 't-1',
        doneOn: '2024-01-10',
        placeIds: ['fritidsgarden'],
      };
      const talks = commitmentTimeline(doc, [credit('talks', talk)], january).commitments[2]!;
      expect(talks.status).toBe('no-activity');
      expect(talks.restrictedWork).toBe('fewer than 5');
      // The same count for a range that holds no talk: the range tells nothing.
      const december = commitmentTimeline(doc, [credit('talks', talk)], {
        from: '2024-12-01',
        to: '2024-12-31',
      }).commitments[2]!;
      expect(december.restrictedWork).toBe('fewer than 5');
      expect(december.status).toBe(talks.status);
      expect(talks.creditedWork).toEqual([]);
      expect(JSON.stringify(talks)).not.toContain('t-1');
    });
  });
});
