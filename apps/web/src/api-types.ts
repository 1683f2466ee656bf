/** Shapes the API answers with that more than one page reads. */

/** A commitment's fulfilment against its cadence over the range asked for. */
export interface Fulfilment {
  readonly cadence: { readonly per: 'week' | 'month' | 'quarter' | 'year'; readonly times: number };
  readonly periodsDue: number;
  readonly periodsFulfilled: number;
}
