import { rejected } from './domain-error';

/**
 * Shared events carry no direct identifier of a person (data minimisation: names and personal
 * identity numbers stay in the agencies' own record systems). Free text is where one slips in,
 * so every free-text field is checked for a Swedish personal identity number (personnummer or
 * samordningsnummer, 10 or 12 digits, with the check digit right) before anything is stored.
 */
const CANDIDATE = /(?<!\d)(?:(?:19|20)?\d{6}[-+ ]?\d{4})(?!\d)/g;

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

export function containsPersonalIdentityNumber(text: string): boolean {
  for (const match of text.matchAll(CANDIDATE)) {
    const digits = match[0].replace(/[-+ ]/g, '');
    const ten = digits.length === 12 ? digits.slice(2) : digits;
    if (ten.length === 10 && plausibleDate(ten) && luhnValid(ten)) return true;
  }
  return false;
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
