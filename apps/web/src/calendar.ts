/**
 * The calendar day (YYYY-MM-DD) in Sweden at an instant: what the API compares dates with ("not
 * in the future", "since the meeting"), whatever the browser's own time zone.
 */
export function swedishDay(instant: string | Date): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Stockholm',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(instant));
}

/** Today in Sweden, as YYYY-MM-DD. */
export const swedishToday = (): string => swedishDay(new Date());
