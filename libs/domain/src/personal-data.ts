import { rejected } from './domain-error';

/**
 * Shared events carry no direct identifier of a person (data minimisation: names and personal
 * identity numbers stay in the agencies' own record systems). Free text is where one slips in,
 * so every free-text field is checked for a Swedish personal identity number (personnummer or
 * samordningsnummer, 10 or 12 digits) before anything is stored, however it is written: any
 * dash, space, dot, slash or underscore between its parts, digits of any script (full-width
 * digits pasted from another program), with or without the century.
 */

/** Dashes, spaces (no-break and narrow ones too), dots, slashes and underscores between parts. */
const SEPARATOR =
  '[-+\\u2010-\\u2015\\u2212\\uFE58\\uFE63\\uFF0B\\uFF0D\\uFF0E\\uFF0F\\uFF3F\\s./_]';
/** Optional century, year, month, day, the four last digits; one separator between parts. */
const CANDIDATE = new RegExp(
  `(?<![0-9])(?:(?:19|20)(?=[0-9]{2}))?[0-9]{2}${SEPARATOR}?[0-9]{2}${SEPARATOR}?[0-9]{2}(${SEPARATOR}{1,3})?[0-9]{4}(?![0-9])`,
  'gu',
);

const DIGIT = /\p{Nd}/u;

/**
 * A digit of any script as its ASCII digit: Unicode puts each script's digits in a run of ten
 * from zero, so a digit's value is how many digits precede it in its run, modulo ten.
 */
function asciiDigit(char: string): string {
  let code = char.codePointAt(0)!;
  if (code >= 0x30 && code <= 0x39) return char;
  let value = 0;
  while (DIGIT.test(String.fromCodePoint(code - 1))) {
    code -= 1;
    value += 1;
  }
  return String(value % 10);
}

/**
 * The text with every digit as ASCII, character for character (offsets stay those of the
 * original, counted in UTF-16 code units as JavaScript does).
 */
function normalised(text: string): { text: string; offsets: number[] } {
  let out = '';
  const offsets: number[] = [];
  let offset = 0;
  for (const char of text) {
    out += DIGIT.test(char) ? asciiDigit(char) : char.length === 1 ? char : '\uFFFD';
    offsets.push(offset);
    offset += char.length;
  }
  offsets.push(offset);
  return { text: out, offsets };
}

function luhnValid(tenDigits: string): boolean {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    let n = Number(tenDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (n > 9) n -= 9;
    sum += n;
  }
  return sum % 10 === 0;
}

function plausibleDate(tenDigits: string): boolean {
  const month = Number(tenDigits.slice(2, 4));
  let day = Number(tenDigits.slice(4, 6));
  if (day > 60) day -= 60; // samordningsnummer: day + 60
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

export interface IdentityNumberSpan {
  /** Offsets in the text as given (UTF-16 code units), end exclusive. */
  readonly start: number;
  readonly end: number;
  /**
   * `valid`: the check digit is right, a personal identity number beyond doubt. `possible`:
   * written the way one is (a separator before the last four, or twelve digits) with a date,
   * but the check digit is wrong; it may be a mistyped one, or something else.
   */
  readonly certainty: 'valid' | 'possible';
}

/** Where the text holds what is, or may be, a personal identity number. */
export function findPersonalIdentityNumbers(text: string): IdentityNumberSpan[] {
  const { text: plain, offsets } = normalised(text);
  const found: IdentityNumberSpan[] = [];
  for (const match of plain.matchAll(CANDIDATE)) {
    const digits = match[0].replace(/[^0-9]/g, '');
    const ten = digits.length === 12 ? digits.slice(2) : digits;
    if (ten.length !== 10 || !plausibleDate(ten)) continue;
    // One code unit of the normalised text per code point of the original.
    const span = {
      start: offsets[match.index]!,
      end: offsets[match.index + match[0].length]!,
    };
    if (luhnValid(ten)) found.push({ ...span, certainty: 'valid' });
    else if (match[1] !== undefined || digits.length === 12) {
      found.push({ ...span, certainty: 'possible' });
    }
  }
  return found;
}

export function containsPersonalIdentityNumber(text: string): boolean {
  return findPersonalIdentityNumbers(text).some((span) => span.certainty === 'valid');
}

/** Refuses the command when a free-text field holds a personal identity number. */
export function assertNoDirectIdentifier(field: string, text: string | undefined): void {
  if (text !== undefined && containsPersonalIdentityNumber(text)) {
    throw rejected(
      'PERSONAL_DATA.DIRECT_IDENTIFIER',
      `${field} holds what looks like a personal identity number; shared events may only refer to people by a pseudonymous reference`,
    );
  }
}
