import type { CitizenPromiseEvent, PromiseDrafted } from './citizen-promise.events';
import { followUpReport, followUpReportMarkdown } from './follow-up-report';
import { foldPromiseDocument } from './citizen-promise.view';

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

const office = (activityId: string, date: string, visitors: number): CitizenPromiseEvent => ({
  type: 'CommitmentActivityRecorded',
  data: {
    activityId,
    commitmentId: 'office',
    kind: 'mobile-police-office',
    date,
    place: 'Skoghall centrum',
    agenciesPresent: ['police'],
    outcome: '',
    figures: { visitors },
  },
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

describe('the follow-up report, from the log', () => {
  const doc = foldPromiseDocument(events)!;

  it('measures fulfilment against the cadence, week by week, and lists the weeks missed', () => {
    const report = followUpReport(doc, { from: '2024-09-02', to: '2024-09-29' });
    const c = report.problemAreas[0]!.commitments[0]!;
    expect(c.fulfilment).toEqual({
      cadence: { times: 1, per: 'week' },
      periodsDue: 4,
      periodsFulfilled: 3,
      missed: ['2024-09-16'],
    });
    // A withdrawn activity counts for nothing; activities outside the range neither.
    expect(c.activities).toBe(4);
    expect(c.figures).toEqual({ visitors: 34 });
    expect(c.firstDate).toBe('2024-09-03');
    expect(c.lastDate).toBe('2024-09-25');
    expect(report.activitiesWithdrawn).toBe(1);
  });

  it('lists figures by name, whatever order each activity gave them in', () => {
    const withFigures = (activityId: string, figures: Record<string, number>) => {
      const event = office(activityId, '2024-09-03', 0);
      return { ...event, data: { ...event.data, figures } } as CitizenPromiseEvent;
    };
    const report = (order: Record<string, number>) =>
      followUpReport(foldPromiseDocument([drafted, withFigures('f1', order)])!, {
        from: '2024-09-02',
        to: '2024-09-29',
      }).problemAreas[0]!.commitments[0]!.figures;
    const written = report({ visitors: 3, hoursOfPresence: 2, brochures: 40 });
    const fromJsonb = report({ visitors: 3, brochures: 40, hoursOfPresence: 2 });
    expect(Object.keys(written)).toEqual(['brochures', 'hoursOfPresence', 'visitors']);
    expect(Object.entries(fromJsonb)).toEqual(Object.entries(written));
  });

  it('counts only whole periods inside the range as due', () => {
    const report = followUpReport(doc, { from: '2024-09-04', to: '2024-09-29' });
    expect(report.problemAreas[0]!.commitments[0]!.fulfilment?.periodsDue).toBe(3);
  });

  it('groups commitments under every problem area they serve, and the rest apart', () => {
    const report = followUpReport(doc, { from: '2024-09-02', to: '2024-09-29' });
    expect(report.problemAreas.map((p) => p.commitments.map((c) => c.commitmentId))).toEqual([
      ['office'],
      ['office'],
    ]);
    expect(report.general.map((c) => c.commitmentId)).toEqual(['walks']);
  });

  it('renders Markdown for the municipal board with the same numbers', () => {
    const md = followUpReportMarkdown(
      followUpReport(doc, { from: '2024-09-02', to: '2024-09-29' }),
    );
    expect(md).toContain('# Follow-up: Medborgarlöfte');
    expect(md).toContain('## 1. Alkohol och droger');
    expect(md).toContain('- Fulfilment: 1 per week, met in 3 of 4 weeks');
    expect(md).toContain('- Weeks missed (starting): 2024-09-16');
    expect(md).toContain('- Figures: visitors 34');
  });
});
