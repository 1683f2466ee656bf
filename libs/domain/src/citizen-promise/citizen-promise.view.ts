import type { Period } from '../calendar';
import { unreachable } from '../decider';
import type {
  ActivityDetails,
  CitizenPromiseEvent,
  Commitment,
  FollowUpScheduled,
  ProblemArea,
  Signatory,
} from './citizen-promise.events';

/**
 * The promise as a document, folded from its stream: what the API shows of one promise. The
 * read models of the projections build the same from the whole log; this needs one stream.
 */
export interface PromiseDocument {
  readonly promiseId: string;
  readonly title: string;
  readonly municipality: string;
  readonly policeArea: string;
  readonly period: Period;
  readonly origin: string;
  readonly focus: string;
  readonly problemAreas: readonly ProblemArea[];
  readonly status: 'drafted' | 'in_force';
  readonly commitments: readonly (Commitment & { readonly withdrawn: boolean })[];
  readonly signatories: readonly (Signatory & { readonly signedOn: string | null })[];
  readonly revisions: readonly { readonly revisedOn: string; readonly reason: string }[];
  readonly followUps: readonly (FollowUpScheduled['data'] & {
    readonly reportedOn: string | null;
    readonly summary: string | null;
    readonly proposals: string | null;
  })[];
  readonly activities: readonly (ActivityDetails & {
    readonly activityId: string;
    readonly commitmentId: string;
    readonly status: 'recorded' | 'corrected' | 'withdrawn';
    readonly corrections: readonly string[];
    readonly withdrawalReason: string | null;
  })[];
}

export function foldPromiseDocument(
  events: Iterable<CitizenPromiseEvent>,
): PromiseDocument | undefined {
  let doc: PromiseDocument | undefined;
  for (const event of events) doc = evolvePromiseDocument(doc, event);
  return doc;
}

/** One event's change to the document; events before the draft change nothing. */
export function evolvePromiseDocument(
  doc: PromiseDocument | undefined,
  event: CitizenPromiseEvent,
): PromiseDocument | undefined {
  if (event.type === 'PromiseDrafted') {
    const d = event.data;
    return {
      promiseId: d.promiseId,
      title: d.title,
      municipality: d.municipality,
      policeArea: d.policeArea,
      period: d.period,
      origin: d.origin,
      focus: d.focus,
      problemAreas: d.problemAreas,
      status: 'drafted',
      commitments: d.commitments.map((c) => ({ ...c, withdrawn: false })),
      signatories: d.signatories.map((s) => ({ ...s, signedOn: null })),
      revisions: [],
      followUps: [],
      activities: [],
    };
  }
  if (!doc) return doc;
  switch (event.type) {
    case 'PromiseSigned': {
      const signatories = doc.signatories.map((s) =>
        s.signatoryId === event.data.signatoryId ? { ...s, signedOn: event.data.signedOn } : s,
      );
      return {
        ...doc,
        signatories,
        status: signatories.every((s) => s.signedOn !== null) ? 'in_force' : 'drafted',
      };
    }
    case 'PromiseRevised': {
      const withdrawn = new Set(event.data.withdrawnCommitmentIds);
      return {
        ...doc,
        ...(event.data.focus !== undefined ? { focus: event.data.focus } : {}),
        commitments: [
          ...doc.commitments.map((c) =>
            withdrawn.has(c.commitmentId) ? { ...c, withdrawn: true } : c,
          ),
          ...event.data.addedCommitments.map((c) => ({ ...c, withdrawn: false })),
        ],
        revisions: [
          ...doc.revisions,
          { revisedOn: event.data.revisedOn, reason: event.data.reason },
        ],
      };
    }
    case 'FollowUpScheduled':
      return {
        ...doc,
        followUps: [
          ...doc.followUps,
          { ...event.data, reportedOn: null, summary: null, proposals: null },
        ],
      };
    case 'FollowUpReported':
      return {
        ...doc,
        followUps: doc.followUps.map((f) =>
          f.followUpId === event.data.followUpId
            ? {
                ...f,
                reportedOn: event.data.reportedOn,
                summary: event.data.summary,
                proposals: event.data.proposals,
              }
            : f,
        ),
      };
    case 'CommitmentActivityRecorded': {
      const { activityId, commitmentId, ...details } = event.data;
      return {
        ...doc,
        activities: [
          ...doc.activities,
          {
            activityId,
            commitmentId,
            ...details,
            status: 'recorded',
            corrections: [],
            withdrawalReason: null,
          },
        ],
      };
    }
    case 'CommitmentActivityCorrected': {
      const { activityId, reason, ...details } = event.data;
      return {
        ...doc,
        activities: doc.activities.map((a) => {
          if (a.activityId !== activityId) return a;
          // A correction restates the details: a place left unresolved before is no longer.
          const { unresolvedPlace: _unresolved, ...kept } = a;
          return {
            ...kept,
            ...details,
            status: 'corrected',
            corrections: [...a.corrections, reason],
          };
        }),
      };
    }
    case 'CommitmentActivityWithdrawn':
      return {
        ...doc,
        activities: doc.activities.map((a) =>
          a.activityId === event.data.activityId
            ? { ...a, status: 'withdrawn', withdrawalReason: event.data.reason }
            : a,
        ),
      };
    // Credits of activities are read with every other credit (see commitment-credit-ledger).
    case 'CommitmentCredited':
    case 'CommitmentCreditWithdrawn':
      return doc;
    default:
      unreachable(event);
  }
}
