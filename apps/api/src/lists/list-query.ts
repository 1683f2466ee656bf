import { AGENCIES, type AgencyCode } from '@samverkan/domain/agencies/agencies';
import { isIsoWeek, isLocalDate, type IsoWeek, type LocalDate } from '@samverkan/domain/calendar';
import { InvalidInputError, type InvalidField } from '@samverkan/shared/errors';
import { SLUG } from '../problems/validators';
import { pageRequest, type Cursor, type PageRequest } from './paging';

/** The longest span a `from`/`to` filter may cover: one request cannot ask for decades. */
export const MAX_SPAN_DAYS = 5 * 366;

/** What a sort key is made of, so a cursor from another list (or a forged one) is refused. */
export type KeyPart = 'date' | 'text';

/** The query of a request as Express parsed it: strings, or arrays when a name is repeated. */
export type RawQuery = Readonly<Record<string, unknown>>;

/**
 * Reads a list's query parameters, collecting every problem so that one 400 names each bad
 * field (`query from`), as the validation of bodies does. Names the list does not take are
 * refused too: a misspelt filter must not silently return everything.
 */
export class ListQuery {
  private readonly problems: InvalidField[] = [];

  constructor(
    private readonly raw: RawQuery,
    allowed: readonly string[],
  ) {
    for (const name of Object.keys(raw)) {
      if (!allowed.includes(name)) {
        this.problems.push({
          path: `query ${name}`,
          reason: `is not a parameter here; the parameters are ${allowed.join(', ')}`,
        });
      }
    }
  }

  private fail(name: string, reason: string): undefined {
    this.problems.push({ path: `query ${name}`, reason });
    return undefined;
  }

  text(name: string, maxLength = 200): string | undefined {
    const value = this.raw[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') return this.fail(name, 'give it once');
    if (value.length === 0 || value.length > maxLength) {
      return this.fail(name, `must be 1 to ${maxLength} characters`);
    }
    return value;
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    if (!(values as readonly string[]).includes(value)) {
      return this.fail(name, `must be one of ${values.join(', ')}`);
    }
    return value as T;
  }

  agency(name: string): AgencyCode | undefined {
    return this.oneOf(name, AGENCIES);
  }

  /** An id of the register or a code list: lower-case letters, digits and dashes. */
  slug(name: string): string | undefined {
    const value = this.text(name);
    if (value === undefined || SLUG.test(value)) return value;
    return this.fail(name, 'must be 1 to 80 lower-case letters, digits or dashes');
  }

  date(name: string): LocalDate | undefined {
    const value = this.text(name);
    if (value === undefined || isLocalDate(value)) return value;
    return this.fail(name, 'must be a date YYYY-MM-DD');
  }

  week(name: string): IsoWeek | undefined {
    const value = this.text(name);
    if (value === undefined || isIsoWeek(value)) return value;
    return this.fail(name, 'must be an ISO week YYYY-Www, e.g. 2024-W40');
  }

  /** A global position to wait for (read-your-writes). */
  position(name: string): string | undefined {
    const value = this.text(name);
    if (value === undefined || /^\d{1,15}$/.test(value)) return value;
    return this.fail(name, 'must be a global position (a whole number)');
  }

  /** `from` and `to` (dates, both inclusive), in order and at most five years apart. */
  dateRange(): { from?: LocalDate; to?: LocalDate } {
    const from = this.date('from');
    const to = this.date('to');
    if (from !== undefined && to !== undefined) this.span(from, to);
    return { from, to };
  }

  /** Refuses `from` after `to`, or more than five years between them, naming both. */
  span(from: LocalDate, to: LocalDate): void {
    const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
    if (from > to) {
      this.fail('from', `must be on or before to (${to})`);
      this.fail('to', `must be on or after from (${from})`);
    } else if (days > MAX_SPAN_DAYS) {
      const reason = `from ${from} to ${to} is ${days} days; at most five years (${MAX_SPAN_DAYS} days)`;
      this.fail('from', reason);
      this.fail('to', reason);
    }
  }

  /** `limit` and `cursor`; the cursor must have the shape of this list's sort key. */
  page(key: readonly KeyPart[]): PageRequest {
    let page: PageRequest = { limit: 1, after: null };
    try {
      page = pageRequest({ limit: this.raw['limit'], cursor: this.raw['cursor'] });
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      this.problems.push(...error.fields);
    }
    if (page.after && !fits(page.after, key)) {
      this.fail('cursor', 'is not a cursor this list gave');
      return { ...page, after: null };
    }
    return page;
  }

  /** Throws one 400 naming every problem found so far. */
  check(): void {
    if (this.problems.length > 0) throw new InvalidInputError('REQUEST.INVALID', this.problems);
  }
}

function fits(cursor: Cursor, key: readonly KeyPart[]): boolean {
  return (
    cursor.length === key.length &&
    cursor.every((value, i) =>
      key[i] === 'date' ? isLocalDate(value) : typeof value === 'string' && value.length <= 500,
    )
  );
}
