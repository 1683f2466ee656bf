import fc from 'fast-check';
import {
  assertNoDirectIdentifier,
  containsPersonalIdentityNumber,
  findPersonalIdentityNumbers,
} from './personal-data';

/** The check digit that makes nine digits (YYMMDDNNN) a valid personal identity number. */
function checkDigit(nine: string): string {
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let n = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    if (n > 9) n -= 9;
    sum += n;
  }
  return String((10 - (sum % 10)) % 10);
}

const PIN = '811218-9876';
const pin = (yymmdd: string, nnn: string): string => `${yymmdd}${nnn}${checkDigit(yymmdd + nnn)}`;
/** Writes `digits` in another script whose zero is at `zero`. */
const inScript = (digits: string, zero: number): string =>
  [...digits].map((d) => (/[0-9]/.test(d) ? String.fromCodePoint(zero + Number(d)) : d)).join('');

describe('personal identity numbers in free text', () => {
  it('refuses a valid personal identity number however it is written', () => {
    const forms = [
      '811218-9876',
      '8112189876',
      '19811218-9876',
      '198112189876',
      '811218+9876', // 100 years or older
      '811218\u20139876', // en dash
      '811218\u20149876', // em dash
      '811218\u22129876', // minus sign
      '811218\u00A09876', // no-break space
      '811218\u202F9876', // narrow no-break space
      '811218 9876',
      '811218 - 9876',
      '811218.9876',
      '811218/9876',
      '811218_9876',
      '81-12-18-9876',
      '1981-12-18-9876',
      '1981/12/18 9876',
      '1981.12.18_9876',
      inScript('811218-9876', 0xff10).replace('-', '\uFF0D'), // full-width digits and hyphen
      inScript('19811218-9876', 0x0660), // Arabic-Indic digits
      inScript('811218-9876', 0x0966), // Devanagari digits
      inScript('811218-9876', 0x1d7ce), // mathematical bold digits (astral)
    ];
    for (const form of forms) {
      const text = `Eleven ${form} sågs vid skolan`;
      expect([form, containsPersonalIdentityNumber(text)]).toEqual([form, true]);
      expect(() => assertNoDirectIdentifier('description', text)).toThrow(
        expect.objectContaining({ code: 'PERSONAL_DATA.DIRECT_IDENTIFIER' }),
      );
    }
  });

  it('refuses a coordination number (day + 60) and a number of someone born in 2005', () => {
    const coordination = pin('811278', '987');
    expect(
      containsPersonalIdentityNumber(`${coordination.slice(0, 6)}-${coordination.slice(6)}`),
    ).toBe(true);
    const young = pin('050101', '123');
    expect(
      containsPersonalIdentityNumber(
        `20${young.slice(0, 2)}-${young.slice(2, 4)}-${young.slice(4, 6)}-${young.slice(6)}`,
      ),
    ).toBe(true);
  });

  it('finds every valid number, any date and serial, in any of the separators', () => {
    const separators = ['', '-', '+', '\u2013', ' ', '\u00A0', '.', '/', '_'];
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1920-01-01'), max: new Date('2025-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 999 }),
        fc.constantFrom(...separators),
        fc.boolean(),
        fc.boolean(),
        (born, serial, sep, century, coordination) => {
          const iso = born.toISOString().slice(0, 10);
          const day = Number(iso.slice(8, 10)) + (coordination ? 60 : 0);
          const yymmdd = `${iso.slice(2, 4)}${iso.slice(5, 7)}${String(day).padStart(2, '0')}`;
          const number = pin(yymmdd, String(serial).padStart(3, '0'));
          const written = `${century ? iso.slice(0, 2) : ''}${number.slice(0, 6)}${sep}${number.slice(6)}`;
          const spans = findPersonalIdentityNumbers(`Ärende: ${written}.`);
          expect(spans).toEqual([{ start: 8, end: 8 + written.length, certainty: 'valid' }]);
        },
      ),
    );
  });

  it('marks as possible, not certain, a number written like one whose check digit is wrong', () => {
    const wrong = `811218-987${(Number(checkDigit('811218987')) + 1) % 10}`;
    expect(containsPersonalIdentityNumber(wrong)).toBe(false);
    expect(findPersonalIdentityNumbers(`Nr ${wrong}`)).toEqual([
      { start: 3, end: 3 + wrong.length, certainty: 'possible' },
    ]);
    // Twelve digits with a date read as one too; ten bare digits do not (phone numbers).
    expect(findPersonalIdentityNumbers('198112189870')).toHaveLength(1);
    expect(findPersonalIdentityNumbers('0701234567')).toEqual([]);
  });

  it('gives the span in the text as written, astral digits counted as JavaScript counts them', () => {
    const text = `Se ${inScript('811218-9876', 0x1d7ce)} nu`;
    const [span] = findPersonalIdentityNumbers(text);
    expect(span).toMatchObject({ start: 3, certainty: 'valid' });
    expect(text.slice(span!.start, span!.end)).toBe(inScript('811218-9876', 0x1d7ce));
  });

  it('lets phone numbers, dates with times, case numbers and figures through', () => {
    const fine = [
      '070-123 45 67',
      '070-1234567',
      '+46 70 123 45 67',
      '054-540 00 00',
      '2024-09-24 18:30',
      '2024-09-24 kl. 18.30–21.00',
      'Vecka 2024-W38, 12 tillfällen',
      'Diarienummer KS 2024/123',
      'Ärende 5000-2024-1234',
      '48 kontrollerade fordon, 40 utandningsprov',
      'Mellan 2023-01-01 och 2025-12-31',
      '1 234 567 kr',
      `Klockan 23.59 den 2024-12-31`,
    ];
    for (const text of fine) {
      expect([text, findPersonalIdentityNumbers(text)]).toEqual([text, []]);
    }
  });

  it('refuses a number in a field named in the reason, never echoing the number', () => {
    try {
      assertNoDirectIdentifier('outcome', `Samtal med ${PIN}`);
      throw new Error('not refused');
    } catch (error) {
      expect((error as Error).message).toContain('outcome');
      expect((error as Error).message).not.toContain('9876');
    }
  });
});
