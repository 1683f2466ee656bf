/**
 * Small groups can make a person identifiable (OSL; the partnership's rule for shared views):
 * a count from 1 to 4 is shown as "fewer than 5". Zero is shown as it is: there is nobody to
 * identify, and a view that hides its zeros would have to hide every count.
 */
export const SMALL_COUNT = 5;

export type ShownCount = number | 'fewer than 5';

export function blurredCount(n: number): ShownCount {
  return n > 0 && n < SMALL_COUNT ? 'fewer than 5' : n;
}

/** Exact for readers entitled to the figures, blurred for everyone else. */
export function shownCount(n: number, precision: 'exact' | 'blurred'): ShownCount {
  return precision === 'exact' ? n : blurredCount(n);
}
