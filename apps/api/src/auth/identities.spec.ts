import fc from 'fast-check';
import { containsPersonalIdentityNumber } from '@samverkan/domain/personal-data';
import { subjectDigest, userIdFor } from './identities';

const KEY = 'k'.repeat(43);
const ISSUER = 'https://login.example.se/tenant/v2.0';
const USER_ID = /^u-[a-z]{24}$/;

/** A server secret as `newSecret()` makes them: no NUL bytes (HMAC pads short keys with zeros). */
const keys = fc.stringMatching(/^[A-Za-z0-9_-]{16,43}$/);

/** A personal identity number or samordningsnummer with a right check digit, in any written form. */
const personalIdentityNumbers = fc
  .record({
    century: fc.constantFrom('', '19', '20'),
    year: fc.integer({ min: 0, max: 99 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    coordination: fc.boolean(),
    serial: fc.integer({ min: 0, max: 999 }),
    separator: fc.constantFrom('', '-', '+'),
  })
  .map(({ century, year, month, day, coordination, serial, separator }) => {
    const two = (n: number) => String(n).padStart(2, '0');
    const nine = `${two(year)}${two(month)}${two(coordination ? day + 60 : day)}${String(serial).padStart(3, '0')}`;
    let sum = 0;
    for (let i = 0; i < 9; i++) {
      let n = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
      if (n > 9) n -= 9;
      sum += n;
    }
    const check = (10 - (sum % 10)) % 10;
    // The 12-digit form is written without '+' (that marks a centenarian in the 10-digit form).
    const sep = century && separator === '+' ? '-' : separator;
    return `${century}${nine.slice(0, 6)}${sep}${nine.slice(6)}${check}`;
  });

/** Provider subjects: identity numbers (Freja, BankID) and opaque ids (Entra ID object ids). */
const subjects = fc.oneof(personalIdentityNumbers, fc.string({ unit: 'binary', minLength: 8 }));

describe('userIdFor and subjectDigest', () => {
  it('given the same key, issuer and subject, gives the same id and digest on every sign-in', () => {
    fc.assert(
      fc.property(keys, fc.string(), subjects, (key, issuer, subject) => {
        expect(userIdFor(key, issuer, subject)).toBe(userIdFor(key, issuer, subject));
        expect(subjectDigest(key, issuer, subject)).toBe(subjectDigest(key, issuer, subject));
      }),
    );
    // Pinned: a change of the derivation would give every existing user a new id at next sign-in,
    // cut off from their roles and their history in the log.
    const subject = '00000000-0000-0000-0000-000000000001';
    expect(userIdFor(KEY, ISSUER, subject)).toBe('u-zekoedysackbpduqmrpjhfua');
    expect(subjectDigest(KEY, ISSUER, subject)).toBe('B5ERMPsu3NGZAt2I-S9G0v4JZ7op7smmhYdZDOVUUvw');
  });

  it('never reads one issuer and subject pair as another, whatever characters they hold', () => {
    expect(userIdFor(KEY, 'https://a\nb', 'c')).not.toBe(userIdFor(KEY, 'https://a', 'b\nc'));
    expect(subjectDigest(KEY, 'https://a\nb', 'c')).not.toBe(
      subjectDigest(KEY, 'https://a', 'b\nc'),
    );
  });

  it('gives another id and digest when the subject differs', () => {
    fc.assert(
      fc.property(keys, fc.string(), subjects, subjects, (key, issuer, a, b) => {
        fc.pre(a !== b);
        expect(userIdFor(key, issuer, a)).not.toBe(userIdFor(key, issuer, b));
        expect(subjectDigest(key, issuer, a)).not.toBe(subjectDigest(key, issuer, b));
      }),
    );
  });

  it('gives another id and digest when the issuer differs: the same subject at two providers is two people', () => {
    fc.assert(
      fc.property(keys, fc.string(), fc.string(), subjects, (key, a, b, subject) => {
        fc.pre(a !== b);
        expect(userIdFor(key, a, subject)).not.toBe(userIdFor(key, b, subject));
        expect(subjectDigest(key, a, subject)).not.toBe(subjectDigest(key, b, subject));
      }),
    );
  });

  it('gives another id and digest under another key, so no one without the key can recompute them', () => {
    fc.assert(
      fc.property(keys, keys, subjects, (a, b, subject) => {
        fc.pre(a !== b);
        expect(userIdFor(a, ISSUER, subject)).not.toBe(userIdFor(b, ISSUER, subject));
        expect(subjectDigest(a, ISSUER, subject)).not.toBe(subjectDigest(b, ISSUER, subject));
      }),
    );
  });

  it('makes user ids of u- and 24 lower-case letters, never digits', () => {
    fc.assert(
      fc.property(keys, fc.string(), subjects, (key, issuer, subject) => {
        expect(userIdFor(key, issuer, subject)).toMatch(USER_ID);
      }),
    );
  });

  it('given a personal identity number as subject, neither the id nor the digest looks like one or holds it', () => {
    fc.assert(
      fc.property(keys, personalIdentityNumbers, (key, subject) => {
        // The generator itself must make numbers the domain recognises, or this proves nothing.
        expect(containsPersonalIdentityNumber(subject)).toBe(true);
        const id = userIdFor(key, ISSUER, subject);
        const digest = subjectDigest(key, ISSUER, subject);
        for (const derived of [id, digest]) {
          expect(containsPersonalIdentityNumber(derived)).toBe(false);
          expect(derived).not.toContain(subject);
          expect(derived).not.toContain(subject.replace(/\D/g, '').slice(-10));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('given any subject, neither the id nor the digest holds the subject or a personal identity number', () => {
    fc.assert(
      fc.property(keys, fc.string(), subjects, (key, issuer, subject) => {
        const id = userIdFor(key, issuer, subject);
        const digest = subjectDigest(key, issuer, subject);
        for (const derived of [id, digest]) {
          expect(containsPersonalIdentityNumber(derived)).toBe(false);
          expect(derived).not.toContain(subject);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the stored digest apart from the user id: one cannot be derived from the other', () => {
    fc.assert(
      fc.property(keys, fc.string(), subjects, (key, issuer, subject) => {
        const id = userIdFor(key, issuer, subject);
        const digest = subjectDigest(key, issuer, subject);
        expect(digest).not.toBe(id);
        expect(digest).toMatch(/^[A-Za-z0-9_-]{43}$/); // a whole SHA-256, base64url
        // Were both one HMAC of the same input, the id would be the digest's bytes as letters.
        const letters = [...Buffer.from(digest, 'base64url').subarray(0, 24)]
          .map((b) => String.fromCharCode(97 + (b % 26)))
          .join('');
        expect(id).not.toBe(`u-${letters}`);
      }),
    );
  });
});
