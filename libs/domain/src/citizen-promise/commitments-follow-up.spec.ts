import fc from 'fast-check';
import type { LocalDate } from '../calendar';
import type { CitizenPromiseEvent, CreditedWork, PromiseDrafted } from './citizen-promise.events';
import { foldPromiseDocument } from './citizen-promise.view';
import type { CreditEntry } from './commitment-credit-ledger';
import { commitmentsFollowUp, type CommitmentFollowUp } from './commitments-follow-up';

const drafted: PromiseDrafted = {
  type: 'PromiseDrafted',
  data: {
    promiseId: 'p',
    title: 'Medborgarlöfte',
    municipality: 'Hammarö kommun',
    policeArea: 'LPO Karlstad',
    period: { from: '2023-01-01', to: '2025-12-31' },
    origin: 'dialog',
    problemAreas: [
      { rank: 1, code: 'alcohol-drug-crime', name: 'Alkohol och droger' },
      { rank: 2, code: 'traffic-crime', name: 'Trafik' },
    ],
    focus: 'Droger',
    commitments: [
      {
        commitmentId: 'office',
        owner: 'police',
        description: 'Lokalt poliskontor en gång per vecka',
        problemAreaRanks: [1, 2],
        cadence: { times: 1, per: 'week' },
      },
      {
        commitmentId: 'walks',
        owner: 'joint',
        description: 'Trygghetsvandringar',
        problemAreaRanks: [],
      },
    ],
    signatories: [],
    draftedOn: '2023-01-01',
  },
};

type Recorded = Extract<CitizenPromiseEvent, { type: 'CommitmentActivityRecorded' }>;
const officeData = (activityId: string, date: string, visitors: number): Recorded['data'] => ({
  activityId,
  commitmentId: 'office',
  kind: 'mobile-police-office',
  date,
  placeIds: ['skoghall-centrum'],
  agenciesPresent: ['police'],
  outcome: '',
  figures: { visitors },
});
const office = (activityId: string, date: string, visitors: number): CitizenPromiseEvent => ({
  type: 'CommitmentActivityRecorded',
  data: officeData(activityId, date, visitors),
});

const events: CitizenPromiseEvent[] = [
  drafted,
  office('a1', '2024-09-03', 10),
  office('a2', '2024-09-10', 12),
  office('a3', '2024-09-17', 9),
  { type: 'CommitmentActivityWithdrawn', data: { activityId: 'a3', reason: 'Dubbelregistrerad' } },
  office('a4', '2024-09-24', 7),
  office('a5', '2024-09-25', 5),
  office('a6', '2024-10-01', 99),
];
// Four whole weeks, starting 2, 9, 16 and 23 September; the week of the 16th has no activity.
const september = { from: '2024-09-02', to: '2024-09-29' };

const credit = (
  commitmentId: string,
  work: CreditedWork,
  over: Partial<CreditEntry> = {},
): CreditEntry => ({
  streamId: `${work.kind}-${work.workId}`,
  promiseId: 'p',
  commitmentId,
  work,
  standing: true,
  withdrawalReason: null,
  ...over,
});
const walk = (workId: string, doneOn: LocalDate): CreditedWork => ({
  kind: 'safety-walk',
  workId,
  doneOn,
  placeIds: ['lillangshamnen'],
});
const talk = (workId: string, doneOn: LocalDate): CreditedWork => ({
  kind: 'prevention-talk',
  workId,
  doneOn,
  placeIds: ['fritidsgarden-talk-place'],
});

const officeIn = (report: ReturnType<typeof commitmentsFollowUp>): CommitmentFollowUp =>
  report.problemAreas[0]!.commitments[0]!;
const walksIn = (report: ReturnType<typeof commitmentsFollowUp>): CommitmentFollowUp =>
  report.general[0]!;

describe('commitments follow-up: own activities, from the log', () => {
  const doc = foldPromiseDocument(events)!;

  it('measures fulfilment against the cadence, week by week, and lists the weeks missed', () => {
    const report = commitmentsFollowUp(doc, [], september);
    const c = officeIn(report);
    expect(c.fulfilment).toEqual({
      cadence: { times: 1, per: 'week' },
      periodsDue: 4,
      periodsFulfilled: 3,
      missed: ['2024-09-16'],
    });
    // A withdrawn activity counts for nothing; activities outside the range neither.
    expect(c.activities).toBe(4);
    expect(c.creditedWork).toBe(0);
    expect(c.restrictedWork).toBeNull();
    expect(c.figures).toEqual({ visitors: 34 });
    expect(c.firstDate).toBe('2024-09-03');
    expect(c.lastDate).toBe('2024-09-25');
    expect(c.placeIds).toEqual(['skoghall-centrum']);
    expect(report.activitiesWithdrawn).toBe(1);
  });

  it('lists figures by name, whatever order each activity gave them in', () => {
    const withFigures = (activityId: string, figures: Record<string, number>) => {
      const event = office(activityId, '2024-09-03', 0);
      return { ...event, data: { ...event.data, figures } } as CitizenPromiseEvent;
    };
    const figures = (order: Record<string, number>) =>
      officeIn(
        commitmentsFollowUp(
          foldPromiseDocument([drafted, withFigures('f1', order)])!,
          [],
          september,
        ),
      ).figures;
    const written = figures({ visitors: 3, hoursOfPresence: 2, brochures: 40 });
    const fromJsonb = figures({ visitors: 3, brochures: 40, hoursOfPresence: 2 });
    expect(Object.keys(written)).toEqual(['brochures', 'hoursOfPresence', 'visitors']);
    expect(Object.entries(fromJsonb)).toEqual(Object.entries(written));
  });

  it('counts only whole periods inside the range as due', () => {
    const report = commitmentsFollowUp(doc, [], { from: '2024-09-04', to: '2024-09-29' });
    expect(officeIn(report).fulfilment?.periodsDue).toBe(3);
  });

  it('groups commitments under every problem area they serve, and the rest apart', () => {
    const report = commitmentsFollowUp(doc, [], september);
    expect(report.problemAreas.map((p) => p.commitments.map((c) => c.commitmentId))).toEqual([
      ['office'],
      ['office'],
    ]);
    expect(report.general.map((c) => c.commitmentId)).toEqual(['walks']);
  });

  it('given an activity from before the register whose place matched nothing, then the text is listed until a correction restates its places', () => {
    const legacy: Recorded = {
      type: 'CommitmentActivityRecorded',
      data: {
        ...officeData('old', '2024-09-03', 1),
        placeIds: [],
        unresolvedPlace: 'Vid gamla macken',
      },
    };
    const before = officeIn(
      commitmentsFollowUp(foldPromiseDocument([drafted, legacy])!, [], september),
    );
    expect(before.unresolvedPlaces).toEqual(['Vid gamla macken']);
    expect(before.work[0]).toMatchObject({ id: 'old', unresolvedPlace: 'Vid gamla macken' });
    const { activityId: _id, commitmentId: _c, unresolvedPlace: _u, ...details } = legacy.data;
    const corrected: CitizenPromiseEvent = {
      type: 'CommitmentActivityCorrected',
      data: {
        activityId: 'old',
        reason: 'Platsen finns i registret',
        ...details,
        placeIds: ['bymiljovagen'],
      },
    };
    const after = officeIn(
      commitmentsFollowUp(foldPromiseDocument([drafted, legacy, corrected])!, [], september),
    );
    expect(after.unresolvedPlaces).toEqual([]);
    expect(after.placeIds).toEqual(['bymiljovagen']);
    expect(after.work[0]).not.toHaveProperty('unresolvedPlace');
  });
});

describe('commitments follow-up: work done elsewhere and credited', () => {
  const doc = foldPromiseDocument(events)!;

  it('rule: a credit counts on the day the work was done, beside the commitment’s own activities', () => {
    const report = commitmentsFollowUp(
      doc,
      [credit('walks', walk('w-1', '2024-09-12')), credit('office', walk('w-2', '2024-09-04'))],
      september,
    );
    expect(walksIn(report)).toMatchObject({
      activities: 0,
      creditedWork: 1,
      firstDate: '2024-09-12',
      lastDate: '2024-09-12',
      placeIds: ['lillangshamnen'],
      work: [
        {
          source: 'credit',
          workKind: 'safety-walk',
          kind: 'safety-walk',
          id: 'w-1',
          date: '2024-09-12',
          placeIds: ['lillangshamnen'],
        },
      ],
    });
    const c = officeIn(report);
    expect([c.activities, c.creditedWork]).toEqual([4, 1]);
    // In date order with the activities: the walk of the 4th after the office of the 3rd.
    expect(c.work.map((w) => w.id)).toEqual(['a1', 'w-2', 'a2', 'a4', 'a5']);
    expect(c.placeIds).toEqual(['skoghall-centrum', 'lillangshamnen']);
  });

  it('rule: a credit outside the range or of another promise does not count', () => {
    const report = commitmentsFollowUp(
      doc,
      [
        credit('walks', walk('w-early', '2024-09-01')),
        credit('walks', walk('w-late', '2024-09-30')),
        credit('walks', walk('w-other', '2024-09-12'), { promiseId: 'q' }),
      ],
      september,
    );
    expect(walksIn(report).creditedWork).toBe(0);
    expect(walksIn(report).work).toEqual([]);
  });

  it('rule: fulfilment against the cadence counts credited walks', () => {
    // The week of 16 September had no office, but a walk credited to the commitment.
    const report = commitmentsFollowUp(
      doc,
      [credit('office', walk('w-3', '2024-09-18'))],
      september,
    );
    expect(officeIn(report).fulfilment).toMatchObject({ periodsFulfilled: 4, missed: [] });
  });

  it('rule: a withdrawn credit does not count', () => {
    const report = commitmentsFollowUp(
      doc,
      [
        credit('office', walk('w-3', '2024-09-18'), {
          standing: false,
          withdrawalReason: 'Fel åtagande',
        }),
      ],
      september,
    );
    expect(officeIn(report).creditedWork).toBe(0);
    expect(officeIn(report).fulfilment?.missed).toEqual(['2024-09-16']);
  });

  it('rule: credits of a withdrawn commitment do not count', () => {
    const revised = foldPromiseDocument([
      ...events,
      {
        type: 'PromiseRevised',
        data: {
          revisedOn: '2024-10-01',
          reason: 'Vandringarna upphör',
          addedCommitments: [],
          withdrawnCommitmentIds: ['walks'],
        },
      },
    ])!;
    const report = commitmentsFollowUp(
      revised,
      [credit('walks', walk('w-1', '2024-09-12')), credit('walks', talk('t-1', '2024-09-12'))],
      september,
    );
    expect(walksIn(report)).toMatchObject({
      withdrawn: true,
      creditedWork: 0,
      restrictedWork: null,
      work: [],
    });
  });

  it('rule: a credited activity counts on its corrected date, and not at all once withdrawn', () => {
    const activity = (activityId: string, date: string): CreditedWork => ({
      kind: 'activity',
      workId: activityId,
      doneOn: date,
      placeIds: [],
    });
    const credits = [credit('walks', activity('a2', '2024-09-10'))];
    const counted = walksIn(commitmentsFollowUp(doc, credits, september));
    // Credited, not its own: told apart by source, and shown with the activity's own kind.
    expect(counted.work).toEqual([
      {
        source: 'credit',
        workKind: 'activity',
        kind: 'mobile-police-office',
        id: 'a2',
        date: '2024-09-10',
        placeIds: ['skoghall-centrum'],
      },
    ]);
    const { commitmentId: _office, ...a2 } = officeData('a2', '2024-10-02', 12);
    const correctedA2: CitizenPromiseEvent = {
      type: 'CommitmentActivityCorrected',
      data: { ...a2, reason: 'Fel datum' },
    };
    const moved = foldPromiseDocument([...events, correctedA2])!;
    expect(walksIn(commitmentsFollowUp(moved, credits, september)).creditedWork).toBe(0);
    expect(
      walksIn(commitmentsFollowUp(moved, credits, { from: '2024-09-30', to: '2024-10-06' })).work,
    ).toEqual([expect.objectContaining({ id: 'a2', date: '2024-10-02' })]);
    const withdrawn = foldPromiseDocument([
      ...events,
      { type: 'CommitmentActivityWithdrawn', data: { activityId: 'a2', reason: 'Fel' } },
    ])!;
    expect(walksIn(commitmentsFollowUp(withdrawn, credits, september)).creditedWork).toBe(0);
  });

  it('rule: restricted work is a blurred count only: "fewer than 5" for 1 to 4, the number from 5, null for none', () => {
    const talks = (n: number) =>
      Array.from({ length: n }, (_, i) => credit('walks', talk(`t-${i}`, '2024-09-12')));
    const shown = (n: number) =>
      walksIn(commitmentsFollowUp(doc, talks(n), september)).restrictedWork;
    expect([0, 1, 4, 5, 7].map(shown)).toEqual([null, 'fewer than 5', 'fewer than 5', 5, 7]);
  });

  it('rule: restricted work is never in the work listed nor in the week-by-week fulfilment', () => {
    // A talk in the week of 16 September, the week the office missed.
    const report = commitmentsFollowUp(
      doc,
      [credit('office', talk('t-1', '2024-09-18'))],
      september,
    );
    const c = officeIn(report);
    expect(c.restrictedWork).toBe('fewer than 5');
    expect(c.creditedWork).toBe(0);
    expect(c.work.map((w) => w.id)).toEqual(['a1', 'a2', 'a4', 'a5']);
    expect(c.fulfilment).toMatchObject({ periodsFulfilled: 3, missed: ['2024-09-16'] });
    expect(c.firstDate).toBe('2024-09-03');
    expect(c.lastDate).toBe('2024-09-25');
  });

  it('given a talk credited, then its id, date and place appear nowhere in the follow-up', () => {
    const secret: CreditedWork = {
      kind: 'prevention-talk',
      workId: 'talk-7f3a9c',
      doneOn: '2024-09-19',
      placeIds: ['ungdomsgarden-talk-place'],
    };
    const report = commitmentsFollowUp(
      doc,
      [credit('walks', secret), credit('office', secret)],
      september,
    );
    const text = JSON.stringify(report);
    expect(text).not.toContain('talk-7f3a9c');
    expect(text).not.toContain('2024-09-19');
    expect(text).not.toContain('ungdomsgarden-talk-place');
    expect(text).not.toContain('prevention-talk');
    // It is counted all the same.
    expect(walksIn(report).restrictedWork).toBe('fewer than 5');
  });

  it('for any credits, restricted work never leaves a trace but its count, and the rest is counted once each', () => {
    const kinds = ['safety-walk', 'prevention-talk', 'situation-picture-confirmation'] as const;
    const creditArb = fc.record({
      kind: fc.constantFrom(...kinds),
      n: fc.integer({ min: 0, max: 40 }),
      commitmentId: fc.constantFrom('office', 'walks'),
      day: fc.integer({ min: 1, max: 30 }),
      standing: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(creditArb, { maxLength: 20 }), (drawn) => {
        const credits = drawn.map((d, i) =>
          credit(
            d.commitmentId,
            {
              kind: d.kind,
              workId: `${d.kind}-${i}`,
              doneOn: `2024-09-${String(d.day).padStart(2, '0')}`,
              placeIds: [`place-of-${d.kind}-${i}`],
            },
            { standing: d.standing },
          ),
        );
        const report = commitmentsFollowUp(doc, credits, september);
        for (const [commitmentId, c] of [
          ['office', officeIn(report)],
          ['walks', walksIn(report)],
        ] as const) {
          const counted = credits.filter(
            (x) =>
              x.standing &&
              x.commitmentId === commitmentId &&
              x.work.doneOn >= september.from &&
              x.work.doneOn <= september.to,
          );
          const talksInRange = counted.filter((x) => x.work.kind === 'prevention-talk').length;
          // Talks count over the promise's whole period, never the range asked for.
          const talks = credits.filter(
            (x) =>
              x.standing && x.commitmentId === commitmentId && x.work.kind === 'prevention-talk',
          ).length;
          expect(c.creditedWork).toBe(counted.length - talksInRange);
          expect(c.restrictedWork).toEqual(talks === 0 ? null : talks < 5 ? 'fewer than 5' : talks);
          expect(c.work.some((w) => (w.source as string) === 'prevention-talk')).toBe(false);
        }
        const text = JSON.stringify(report);
        credits
          .filter((x) => x.work.kind === 'prevention-talk')
          .forEach((x) => {
            expect(text).not.toContain(`"${x.work.workId}"`);
            expect(text).not.toContain(x.work.placeIds[0]);
          });
      }),
      { numRuns: 300 },
    );
  });
});
