import fc from 'fast-check';
import { InvalidInputError } from '@samverkan/shared/errors';
import { prepareAppend } from './append-input';

const ids = { newId: () => '00000000-0000-7000-8000-000000000000' };
const clock = { now: () => new Date('2024-10-01T00:00:00Z') };
const actor = { userId: 'u', agency: 'police', role: 'officer' };

describe('prepareAppend', () => {
  it('fills in event ids, schema version, occurredAt and correlation id', () => {
    const prepared = prepareAppend(
      's',
      [{ type: 'A', data: { x: 1 } }],
      { expectedRevision: 'any', actor },
      ids,
      clock,
    );
    expect(prepared.events[0]).toEqual({
      eventId: ids.newId(),
      type: 'A',
      schemaVersion: 1,
      json: '{"x":1}',
      occurredAt: clock.now(),
    });
    expect(prepared.correlationId).toBe(ids.newId());
    expect(prepared.causationId).toBeNull();
  });

  it('leaves out undefined properties, as JSON does, and keeps the rest', () => {
    const prepared = prepareAppend(
      's',
      [{ type: 'A', data: { a: undefined, b: [1, 'x', null, { c: true }] } as never }],
      { expectedRevision: 0, actor },
      ids,
      clock,
    );
    expect(prepared.events[0]!.json).toBe('{"b":[1,"x",null,{"c":true}]}');
  });

  it('accepts any JSON value and stores exactly what it was given', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string().filter((k) => !k.includes('\u0000')),
          fc.jsonValue(),
        ),
        (data) => {
          const clean = JSON.parse(JSON.stringify(data)) as Record<string, never>;
          if (JSON.stringify(clean).includes('\\u0000')) return;
          const prepared = prepareAppend(
            's',
            [{ type: 'A', data: clean }],
            { expectedRevision: 'any', actor },
            ids,
            clock,
          );
          expect(JSON.parse(prepared.events[0]!.json)).toEqual(clean);
        },
      ),
    );
  });

  it('refuses a stream id that names a system stream', () => {
    expect(() =>
      prepareAppend(
        '$all',
        [{ type: 'A', data: {} }],
        { expectedRevision: 'any', actor },
        ids,
        clock,
      ),
    ).toThrow(InvalidInputError);
  });
});
