import type { CommitmentFollowUp } from '@samverkan/domain/citizen-promise/commitments-follow-up';
import type { BoardReport, FindingSummary } from '@samverkan/domain/follow-up/board-report';
import type { PlacesRegisterState } from '@samverkan/domain/places/places-register.decider';
import type { ShownCount } from '@samverkan/domain/small-counts';
import {
  AGENCY_LABELS,
  CADENCE_LABELS,
  CADENCE_PLURALS,
  CHANGE_LABELS,
  EST_LABELS,
  FIGURE_LABELS,
  FINDING_LABELS,
  KIND_LABELS,
  label,
  OWNER_LABELS,
  RECIPIENT_LABELS,
  type Language,
} from './follow-up-labels';
import type { ReportBlock, ReportDocument } from './report-document';

const T = {
  title: ['Uppföljning av medborgarlöftet', 'Follow-up of the citizen promise'],
  period: ['Period', 'Period'],
  builtFrom: ['Byggd ur händelseloggen vid position', 'Built from the event log at position'],
  reproduce: ['återskapas med', 'reproduced with'],
  summary: ['Sammanfattning', 'Summary'],
  activities: ['Genomförda aktiviteter', 'Activities done'],
  credited: ['Tillgodoräknat arbete', 'Credited work'],
  restricted: [
    'Förebyggande samtal (sekretess, endast antal)',
    'Prevention talks (confidential, count only)',
  ],
  commitmentsWithout: ['Åtaganden utan genomfört arbete', 'Commitments with no work done'],
  owner: ['Ansvarig', 'Carried by'],
  dates: ['Första och sista datum', 'First and last date'],
  places: ['Platser', 'Places'],
  fulfilment: ['Uppfyllelse', 'Fulfilment'],
  missed: ['Missade perioder (startdatum)', 'Periods missed (first day)'],
  figures: ['Nyckeltal', 'Figures'],
  work: ['Genomfört arbete', 'Work done'],
  date: ['Datum', 'Date'],
  kind: ['Slag', 'Kind'],
  none: ['Inget genomfört arbete under perioden.', 'No work done in the period.'],
  withdrawnCommitment: ['(återkallat åtagande)', '(withdrawn commitment)'],
  general: ['Övriga åtaganden', 'Other commitments'],
  noCommitment: [
    'Inget åtagande under detta problemområde.',
    'No commitment under this problem area.',
  ],
  withdrawnActivities: [
    'Aktiviteter som registrerats och senare återkallats',
    'Activities recorded and later withdrawn',
  ],
  situation: ['Lägesbilden under perioden', 'The situation picture over the period'],
  meetings: ['Bekräftade lägesbilder', 'Confirmed situation pictures'],
  noMeetings: [
    'Ingen lägesbild bekräftades under perioden.',
    'No situation picture was confirmed in the period.',
  ],
  meeting: ['Möte', 'Meeting'],
  reports: ['Rapporter per område och problemområde', 'Reports per area and problem area'],
  area: ['Område', 'Area'],
  problemArea: ['Problemområde', 'Problem area'],
  restrictedReports: [
    'Sekretessbelagda (under hela löftets period)',
    'Restricted (over the whole promise period)',
  ],
  noReports: ['Inga rapporter om perioden.', 'No reports about the period.'],
  est: ['EST-rapportering', 'EST reporting'],
  estTrend: [
    'Utveckling: de senaste fyra veckorna mot de fyra före',
    'Trend: the last four weeks against the four before',
  ],
  category: ['Kategori', 'Category'],
  last4: ['Senaste 4 veckorna', 'Last 4 weeks'],
  previous4: ['4 veckorna före', 'The 4 weeks before'],
  change: ['Utveckling', 'Change'],
  estWeeks: ['Antal per vecka', 'Counts per week'],
  week: ['Vecka', 'Week'],
  count: ['Antal', 'Count'],
  noEst: ['Inga EST-rapporter under perioden.', 'No EST reports in the period.'],
  walks: ['Trygghetsvandringar och fynd', 'Safety walks and findings'],
  walksDone: ['Genomförda trygghetsvandringar', 'Safety walks conducted'],
  seeUnder: ['redovisas under', 'told under'],
  alsoHere: ['Även under detta problemområde', 'Also under this problem area'],
  noWalks: [
    'Ingen trygghetsvandring genomfördes under perioden.',
    'No safety walk was conducted in the period.',
  ],
  walk: ['Trygghetsvandring', 'Safety walk'],
  residents: ['Deltagande boende', 'Residents taking part'],
  route: ['Sträcka', 'Route'],
  findings: ['Fynd', 'Findings'],
  description: ['Beskrivning', 'Description'],
  responsible: ['Ansvarig', 'Responsible'],
  addressed: ['Åtgärdat', 'Addressed'],
  notAddressed: ['Ej åtgärdat', 'Not addressed'],
  outsideWalks: [
    'Fynd rapporterade utanför trygghetsvandringar',
    'Findings reported outside safety walks',
  ],
  findingTotals: ['Fynd totalt', 'Findings in all'],
  addressedOf: ['åtgärdade', 'addressed'],
  followUps: ['Uppföljning och förslag', 'Follow-up and proposals'],
  recipient: ['Mottagare', 'Recipient'],
  due: ['Ska ske', 'Due'],
  reportedOn: ['Rapporterad', 'Reported'],
  notReported: ['Ännu inte rapporterad.', 'Not reported yet.'],
  proposals: ['Förslag', 'Proposals'],
  about: ['Om rapporten', 'About the report'],
  aboutText: [
    'Rapporten är byggd ur samverkans händelselogg: varje siffra är ett antal eller en summa av registrerade händelser och kan spåras till dem. Förebyggande samtal och sekretessbelagda rapporter redovisas endast som antal, utan datum, plats eller id, och antal från 1 till 4 visas som ”färre än 5”, så att ingen enskild kan pekas ut.',
    "The report is built from the partnership's event log: every figure is a count or a sum of recorded events and can be traced to them. Prevention talks and restricted reports are shown only as counts, without date, place or id, and counts from 1 to 4 are shown as “fewer than 5”, so that no individual can be singled out.",
  ],
  fewer: ['färre än 5', 'fewer than 5'],
  per: ['per', 'per'],
  times: ['gång', 'time'],
  timesMany: ['gånger', 'times'],
  metIn: ['genomfört', 'met in'],
  of: ['av', 'of'],
  unknownPlace: ['okänd plats', 'unknown place'],
} as const satisfies Record<string, readonly [string, string]>;

type Key = keyof typeof T;

/** The report in one language: the words for the blocks and the JSON's labels. */
class Words {
  constructor(
    readonly lang: Language,
    private readonly places: PlacesRegisterState,
  ) {}

  t(key: Key): string {
    return T[key][this.lang === 'sv' ? 0 : 1];
  }

  count(n: ShownCount): string {
    return n === 'fewer than 5' ? this.t('fewer') : String(n);
  }

  place(placeId: string): string {
    return this.places.places.get(placeId)?.name ?? `${placeId} (${this.t('unknownPlace')})`;
  }

  placeList(placeIds: readonly string[]): string {
    return placeIds.map((id) => this.place(id)).join(', ');
  }

  fulfilment(f: NonNullable<CommitmentFollowUp['fulfilment']>): string {
    const { times, per } = f.cadence;
    const unit = label(CADENCE_LABELS, per, this.lang);
    const units = label(CADENCE_PLURALS, per, this.lang);
    const cadence = `${times} ${times === 1 ? this.t('times') : this.t('timesMany')} ${this.t('per')} ${unit}`;
    return `${cadence}: ${this.t('metIn')} ${f.periodsFulfilled} ${this.t('of')} ${f.periodsDue} ${units}`;
  }
}

function commitmentBlocks(c: CommitmentFollowUp, w: Words): ReportBlock[] {
  const blocks: ReportBlock[] = [
    {
      kind: 'heading',
      level: 2,
      text: `${c.description}${c.withdrawn ? ` ${w.t('withdrawnCommitment')}` : ''}`,
    },
  ];
  const facts: { label: string; value: string }[] = [
    { label: w.t('owner'), value: label(OWNER_LABELS, c.owner, w.lang) },
    { label: w.t('activities'), value: String(c.activities) },
    { label: w.t('credited'), value: String(c.creditedWork) },
  ];
  if (c.restrictedWork !== null) {
    facts.push({ label: w.t('restricted'), value: w.count(c.restrictedWork) });
  }
  if (c.firstDate) facts.push({ label: w.t('dates'), value: `${c.firstDate} – ${c.lastDate}` });
  const places = [...c.placeIds.map((id) => w.place(id)), ...c.unresolvedPlaces];
  if (places.length) facts.push({ label: w.t('places'), value: places.join(', ') });
  if (c.fulfilment) {
    facts.push({ label: w.t('fulfilment'), value: w.fulfilment(c.fulfilment) });
    if (c.fulfilment.missed.length) {
      facts.push({ label: w.t('missed'), value: c.fulfilment.missed.join(', ') });
    }
  }
  for (const [name, value] of Object.entries(c.figures)) {
    facts.push({ label: label(FIGURE_LABELS, name, w.lang), value: String(value) });
  }
  blocks.push({ kind: 'facts', items: facts });
  if (c.work.length === 0 && c.restrictedWork === null) {
    blocks.push({ kind: 'paragraph', text: w.t('none') });
  } else if (c.work.length > 0) {
    blocks.push({
      kind: 'table',
      caption: w.t('work'),
      header: [w.t('date'), w.t('kind'), w.t('places')],
      rows: c.work.map((x) => [
        x.date,
        label(KIND_LABELS, x.kind, w.lang),
        [
          ...x.placeIds.map((id) => w.place(id)),
          ...(x.unresolvedPlace ? [x.unresolvedPlace] : []),
        ].join(', '),
      ]),
    });
  }
  return blocks;
}

function findingRows(findings: readonly FindingSummary[], w: Words): string[][] {
  return findings.map((f) => [
    w.placeList(f.placeIds),
    label(FINDING_LABELS, f.kind, w.lang),
    f.description,
    label(AGENCY_LABELS, f.responsibleParty, w.lang),
    f.addressedOn ? `${f.addressedOn}: ${f.action ?? ''}` : w.t('notAddressed'),
  ]);
}

/** The board report as a document to render (Markdown, PDF, Word), in Swedish or English. */
export function followUpDocument(
  report: BoardReport,
  places: PlacesRegisterState,
  lang: Language = 'sv',
): ReportDocument {
  const w = new Words(lang, places);
  const all = [
    ...report.commitments.problemAreas.flatMap((p) => p.commitments),
    ...report.commitments.general,
  ];
  const unique = [...new Map(all.map((c) => [c.commitmentId, c])).values()];
  const blocks: ReportBlock[] = [
    { kind: 'heading', level: 1, text: w.t('summary') },
    {
      kind: 'facts',
      items: [
        { label: w.t('activities'), value: String(unique.reduce((n, c) => n + c.activities, 0)) },
        { label: w.t('credited'), value: String(unique.reduce((n, c) => n + c.creditedWork, 0)) },
        {
          label: w.t('commitmentsWithout'),
          value: String(
            unique.filter(
              (c) =>
                !c.withdrawn && c.activities + c.creditedWork === 0 && c.restrictedWork === null,
            ).length,
          ),
        },
        { label: w.t('walksDone'), value: String(report.safetyWalks.length) },
        {
          label: w.t('findingTotals'),
          value: `${report.findingTotals.found} (${report.findingTotals.addressed} ${w.t('addressedOf')})`,
        },
      ],
    },
  ];
  for (const area of report.commitments.problemAreas) {
    blocks.push({ kind: 'heading', level: 1, text: `${area.rank}. ${area.name}` });
    if (area.commitments.length === 0)
      blocks.push({ kind: 'paragraph', text: w.t('noCommitment') });
    for (const c of area.commitments) blocks.push(...commitmentBlocks(c, w));
  }
  if (report.commitments.general.length) {
    blocks.push({ kind: 'heading', level: 1, text: w.t('general') });
    for (const c of report.commitments.general) blocks.push(...commitmentBlocks(c, w));
  }
  if (report.commitments.activitiesWithdrawn) {
    blocks.push({
      kind: 'paragraph',
      text: `${w.t('withdrawnActivities')}: ${report.commitments.activitiesWithdrawn}.`,
    });
  }
  const problemName = (code: string) =>
    report.commitments.problemAreas.find((p) => p.code === code)?.name ?? code;
  const sp = report.situationPicture;
  blocks.push({ kind: 'heading', level: 1, text: w.t('situation') });
  blocks.push({ kind: 'heading', level: 2, text: w.t('meetings') });
  blocks.push(
    sp.meetings.length
      ? {
          kind: 'list',
          items: sp.meetings.map(
            (m) =>
              `${w.t('meeting')} ${m.meetingOn} (${m.period.from} – ${m.period.to}): ${m.summary}`,
          ),
        }
      : { kind: 'paragraph', text: w.t('noMeetings') },
  );
  blocks.push({ kind: 'heading', level: 2, text: w.t('reports') });
  blocks.push(
    sp.reports.length
      ? {
          kind: 'table',
          header: [
            w.t('area'),
            w.t('problemArea'),
            label(CHANGE_LABELS, 'rising', lang),
            label(CHANGE_LABELS, 'stable', lang),
            label(CHANGE_LABELS, 'falling', lang),
            w.t('restrictedReports'),
          ],
          rows: sp.reports.map((r) => [
            w.place(r.areaId),
            problemName(r.problemArea),
            w.count(r.rising),
            w.count(r.stable),
            w.count(r.falling),
            w.count(r.restricted),
          ]),
          numericColumns: [2, 3, 4, 5],
        }
      : { kind: 'paragraph', text: w.t('noReports') },
  );
  blocks.push({ kind: 'heading', level: 2, text: w.t('est') });
  if (sp.est.weeks.length === 0 && sp.est.trends.length === 0) {
    blocks.push({ kind: 'paragraph', text: w.t('noEst') });
  } else {
    blocks.push({
      kind: 'table',
      caption: w.t('estTrend'),
      header: [w.t('area'), w.t('category'), w.t('last4'), w.t('previous4'), w.t('change')],
      rows: sp.est.trends.map((t) => [
        w.place(t.areaId),
        label(EST_LABELS, t.category, lang),
        w.count(t.last4Weeks),
        w.count(t.previous4Weeks),
        label(CHANGE_LABELS, t.change, lang),
      ]),
      numericColumns: [2, 3],
    });
    blocks.push({
      kind: 'table',
      caption: w.t('estWeeks'),
      header: [w.t('week'), w.t('area'), w.t('category'), w.t('count')],
      rows: sp.est.weeks.map((x) => [
        x.week,
        w.place(x.areaId),
        label(EST_LABELS, x.category, lang),
        w.count(x.count),
      ]),
      numericColumns: [3],
    });
  }
  blocks.push({ kind: 'heading', level: 1, text: w.t('walks') });
  if (report.safetyWalks.length === 0) blocks.push({ kind: 'paragraph', text: w.t('noWalks') });
  const findingHeader = [
    w.t('places'),
    w.t('kind'),
    w.t('description'),
    w.t('responsible'),
    w.t('addressed'),
  ];
  for (const walk of report.safetyWalks) {
    blocks.push({
      kind: 'heading',
      level: 2,
      text: `${w.t('walk')} ${walk.conductedOn}${walk.areaId ? `, ${w.place(walk.areaId)}` : ''}`,
    });
    blocks.push({
      kind: 'facts',
      items: [
        { label: w.t('route'), value: walk.route.map((id) => w.place(id)).join(' → ') },
        { label: w.t('residents'), value: String(walk.residentsTakingPart) },
      ],
    });
    if (walk.findings.length) {
      blocks.push({
        kind: 'table',
        caption: w.t('findings'),
        header: findingHeader,
        rows: findingRows(walk.findings, w),
      });
    }
  }
  if (report.findingsOutsideWalks.length) {
    blocks.push({ kind: 'heading', level: 2, text: w.t('outsideWalks') });
    blocks.push({
      kind: 'table',
      header: findingHeader,
      rows: findingRows(report.findingsOutsideWalks, w),
    });
  }
  blocks.push({ kind: 'heading', level: 1, text: w.t('followUps') });
  for (const f of report.followUps) {
    blocks.push({
      kind: 'heading',
      level: 2,
      text: `${label(RECIPIENT_LABELS, f.recipient, lang)} (${f.due.from} – ${f.due.to})`,
    });
    if (f.reportedOn === null) {
      blocks.push({ kind: 'paragraph', text: w.t('notReported') });
      continue;
    }
    blocks.push({ kind: 'facts', items: [{ label: w.t('reportedOn'), value: f.reportedOn }] });
    if (f.summary) blocks.push({ kind: 'paragraph', text: f.summary });
    if (f.proposals) {
      blocks.push({ kind: 'heading', level: 3, text: w.t('proposals') });
      blocks.push({ kind: 'paragraph', text: f.proposals });
    }
  }
  blocks.push({ kind: 'heading', level: 1, text: w.t('about') });
  blocks.push({ kind: 'paragraph', text: w.t('aboutText') });
  return {
    language: lang === 'sv' ? 'sv-SE' : 'en-GB',
    title: `${w.t('title')}: ${report.title}`,
    subtitle: `${w.t('period')} ${report.range.from} – ${report.range.to}. ${w.t('builtFrom')} ${report.position} (${w.t('reproduce')} asOf=${report.position}).`,
    author: `${report.municipality} · ${report.policeArea}`,
    subject: w.t('title'),
    blocks,
  };
}

/**
 * The report as JSON for the board's systems: the same figures, each with its label in the
 * chosen language and places with their names, so nothing has to be looked up elsewhere.
 */
export function localizedFollowUpReport(
  report: BoardReport,
  places: PlacesRegisterState,
  lang: Language = 'sv',
) {
  const w = new Words(lang, places);
  const place = (placeId: string) => ({ placeId, name: w.place(placeId) });
  const commitment = (c: CommitmentFollowUp) => ({
    ...c,
    ownerLabel: label(OWNER_LABELS, c.owner, lang),
    places: c.placeIds.map(place),
    figures: Object.entries(c.figures).map(([name, value]) => ({
      name,
      label: label(FIGURE_LABELS, name, lang),
      value,
    })),
    fulfilmentText: c.fulfilment ? w.fulfilment(c.fulfilment) : null,
    work: c.work.map((x) => ({
      ...x,
      kindLabel: label(KIND_LABELS, x.kind, lang),
      places: x.placeIds.map(place),
    })),
  });
  return {
    language: lang === 'sv' ? 'sv-SE' : 'en-GB',
    ...report,
    commitments: {
      ...report.commitments,
      problemAreas: report.commitments.problemAreas.map((p) => ({
        ...p,
        commitments: p.commitments.map(commitment),
      })),
      general: report.commitments.general.map(commitment),
    },
    situationPicture: {
      ...report.situationPicture,
      reports: report.situationPicture.reports.map((r) => ({ ...r, areaName: w.place(r.areaId) })),
      est: {
        ...report.situationPicture.est,
        weeks: report.situationPicture.est.weeks.map((x) => ({
          ...x,
          areaName: w.place(x.areaId),
          categoryLabel: label(EST_LABELS, x.category, lang),
        })),
        trends: report.situationPicture.est.trends.map((t) => ({
          ...t,
          areaName: w.place(t.areaId),
          categoryLabel: label(EST_LABELS, t.category, lang),
          changeLabel: label(CHANGE_LABELS, t.change, lang),
        })),
      },
    },
  };
}
