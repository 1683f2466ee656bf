import { MUNICIPAL_AGENCIES, type AgencyCode } from '../../../../libs/domain/src/agencies/agencies';
import type { Loaded } from '../use-api';
import { useApi } from '../use-api';

/** What the record forms read of a promise (GET /promises/:id). */
export interface PromiseDoc {
  readonly promiseId: string;
  readonly title: string;
  readonly period: { readonly from: string; readonly to: string };
  readonly status: 'drafted' | 'in_force';
  readonly commitments: readonly {
    readonly commitmentId: string;
    readonly owner: 'police' | 'municipality' | 'joint';
    readonly description: string;
    readonly withdrawn: boolean;
  }[];
  readonly activities: readonly {
    readonly activityId: string;
    readonly commitmentId: string;
    readonly kind: string;
    readonly date: string;
    readonly placeIds: readonly string[];
    readonly status: 'recorded' | 'corrected' | 'withdrawn';
  }[];
}

interface PromiseList {
  readonly items: readonly {
    promiseId: string;
    period: { from: string; to: string };
    status: string;
  }[];
}

/**
 * The promise work is recorded under: the one in force today, else the in-force one that
 * ended last (its period's work can still be recorded), else none.
 */
export function usePromiseInForce(today: string): {
  readonly list: ReturnType<typeof useApi<PromiseList>>;
  readonly promise: Loaded<PromiseDoc> & { retry: () => void };
  readonly promiseId: string | undefined;
} {
  const list = useApi<PromiseList>('/promises');
  const inForce =
    list.status === 'ok' ? list.data.items.filter((p) => p.status === 'in_force') : [];
  const chosen =
    inForce.find((p) => p.period.from <= today && today <= p.period.to) ??
    [...inForce].sort((a, b) => (a.period.to < b.period.to ? 1 : -1))[0];
  const promise = useApi<PromiseDoc>(
    chosen ? `/promises/${encodeURIComponent(chosen.promiseId)}` : undefined,
  );
  return { list, promise, promiseId: chosen?.promiseId };
}

/** Which agencies act for a commitment's owner, as the domain's `actsFor` has it. */
function actsFor(owner: PromiseDoc['commitments'][number]['owner'], agency: AgencyCode): boolean {
  if (owner === 'police') return agency === 'police';
  const municipal = MUNICIPAL_AGENCIES.includes(agency);
  return owner === 'municipality' ? municipal : municipal || agency === 'police';
}

/** The commitments of the promise an agency carries and may record or credit under. */
export function carriedBy(doc: PromiseDoc, agency: string): PromiseDoc['commitments'] {
  return doc.commitments.filter((c) => !c.withdrawn && actsFor(c.owner, agency as AgencyCode));
}

export { swedishToday } from '../calendar';
