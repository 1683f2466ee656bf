import { createHmac } from 'node:crypto';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** One unambiguous text of several fields: no issuer and subject pair reads as another. */
const fields = (...values: string[]): string => JSON.stringify(values);

/**
 * The user id of a provider's subject: a keyed hash of issuer and subject, so it is the same on
 * every sign-in and every API instance, yet no one without the key can link it to the subject
 * (which may be a personal identity number). Letters only: an id must never look like one.
 */
export function userIdFor(key: string, issuer: string, subject: string): string {
  const digest = createHmac('sha256', key)
    .update(fields('user', issuer, subject))
    .digest();
  // 24 letters of 26: about 112 bits; the modulo's bias is too small to matter for an id.
  return `u-${[...digest.subarray(0, 24)].map((b) => LETTERS[b % 26]).join('')}`;
}

/** How a provider's subject is stored: a keyed hash, never the subject itself. */
export function subjectDigest(key: string, issuer: string, subject: string): string {
  return createHmac('sha256', key)
    .update(fields('subject', issuer, subject))
    .digest('base64url');
}
