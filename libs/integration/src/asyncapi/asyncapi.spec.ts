import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { RecordedEvent } from '@samverkan/event-store/event-store.port';
import { currentSchemaVersion } from '@samverkan/domain/event-schemas';
import { toCloudEvent } from '../cloud-event';
import asyncapi from './asyncapi.json';
import { FEED_EVENT_TYPES, eventTypesOnTopic } from './feed-catalog';
import { ASYNCAPI_FILE, renderAsyncApiDocument } from './generate-asyncapi';
import { feedValidator } from './testing/feed-validator';

const document = asyncapi as unknown as {
  components: { messages: Record<string, unknown> };
  channels: Record<string, { messages: Record<string, unknown> }>;
};

describe("the feed's AsyncAPI document", () => {
  it('is the one generated from the domain event types (run npm run asyncapi after changing one)', () => {
    expect(readFileSync(ASYNCAPI_FILE, 'utf8')).toBe(renderAsyncApiDocument());
  }, 60_000);

  it('is a valid AsyncAPI 3.0.0 document', () => {
    const specs = join(require.resolve('@asyncapi/specs/package.json'), '..', 'schemas');
    const schema = JSON.parse(
      readFileSync(join(specs, '3.0.0-without-$id.json'), 'utf8'),
    ) as object;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate(document) ? [] : validate.errors).toEqual([]);
  });

  it('resolves every reference inside itself', () => {
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? [];
    const resolve = (pointer: string): unknown =>
      pointer
        .slice(2)
        .split('/')
        .reduce<unknown>(
          (node, key) => (node as Record<string, unknown> | undefined)?.[key],
          document,
        );
    const missing = refs.map((r) => r.slice(8, -1)).filter((ref) => resolve(ref) === undefined);
    expect(missing).toEqual([]);
    expect(refs.length).toBeGreaterThan(100);
  });

  it('has a message for every event type on the feed, and restricted types only on restricted topics', () => {
    expect(Object.keys(document.components.messages).sort()).toEqual([...FEED_EVENT_TYPES].sort());
    expect(eventTypesOnTopic('police', false)).not.toContain('PreventionTalkPlanned');
    expect(eventTypesOnTopic('police', true)).toContain('PreventionTalkPlanned');
    expect(eventTypesOnTopic('housing-company', true)).not.toContain('PreventionTalkPlanned');
    // Leisure takes part in SSPF talks, so its restricted topic carries them; the rescue
    // service never does.
    expect(Object.keys(document.channels['leisure.restricted']!.messages)).toContain(
      'ConsentRecorded',
    );
    expect(
      Object.keys(document.channels['rescue-service.restricted']?.messages ?? {}),
    ).not.toContain('ConsentRecorded');
  });

  const event = (type: string, data: Record<string, unknown>) =>
    toCloudEvent(
      {
        eventId: '0b0c0e3a-5a8a-4c89-9d4f-4a4a1e1c2b3d',
        streamId: 'citizen-promise-hammaro-2023-2025',
        revision: 3,
        globalPosition: 42,
        type,
        schemaVersion: currentSchemaVersion(type),
        data: data as RecordedEvent['data'],
        occurredAt: new Date('2024-05-02T09:00:00Z'),
        recordedAt: new Date('2024-05-02T09:00:01Z'),
        actor: { userId: 'officer.1', agency: 'police', role: 'officer' },
        correlationId: 'c-1',
        causationId: null,
      },
      'hammaro',
    );
  const activity = {
    activityId: 'a-1',
    commitmentId: 'traffic',
    kind: 'traffic-control',
    date: '2024-05-02',
    placeIds: ['skoghall-centrum'],
    agenciesPresent: ['police'],
    outcome: '120 fordon kontrollerade',
    figures: { vehiclesChecked: 120 },
  };

  it('accepts an event as the relay publishes it, and refuses one with a field missing, extra or malformed', () => {
    const validate = feedValidator();
    expect(validate(event('CommitmentActivityRecorded', activity))).toEqual([]);
    const { placeIds: _placeIds, ...withoutPlace } = activity;
    expect(validate(event('CommitmentActivityRecorded', withoutPlace)).join()).toMatch(/placeIds/);
    expect(
      validate(event('CommitmentActivityRecorded', { ...activity, name: 'Kalle' })).join(),
    ).toMatch(/additional/);
    expect(
      validate(event('CommitmentActivityRecorded', { ...activity, date: '2 maj' })).join(),
    ).toMatch(/date/);
    // The relay publishes version 2 (places of the register): a version-1 shape is no message.
    expect(
      validate({
        ...event('CommitmentActivityRecorded', activity),
        type: 'se.samverkan.CommitmentActivityRecorded.v1',
      }),
    ).not.toEqual([]);
    expect(validate(event('NoSuchEvent', {}))).toEqual([
      'no message for se.samverkan.NoSuchEvent.v1',
    ]);
  });

  it('describes personal fields as withheld: null with withheld and dataref validates, text in their place does not', () => {
    const validate = feedValidator();
    const published = event('CommitmentActivityRecorded', activity);
    expect(published.data['outcome']).toBeNull();
    expect(published.withheld).toEqual(['outcome']);
    expect(validate(published)).toEqual([]);
    const withText = { ...published, data: { ...published.data, outcome: 'text' } };
    expect(validate(withText).join()).toMatch(/outcome/);
    const { dataref: _dataref, ...withoutDataref } = published;
    expect(validate(withoutDataref).join()).toMatch(/dataref/);
  });

  it('puts the erasure on every agency’s events topic, neither shared nor restricted', () => {
    for (const [key, channel] of Object.entries(document.channels)) {
      expect([key, 'PersonalDataErased' in channel.messages]).toEqual([
        key,
        key.endsWith('.events'),
      ]);
    }
    const validate = feedValidator();
    const erased = toCloudEvent(
      {
        eventId: '0b0c0e3a-5a8a-4c89-9d4f-4a4a1e1c2b3e',
        streamId: 'personal-data-erasure-e1',
        revision: 0,
        globalPosition: 43,
        type: 'PersonalDataErased',
        schemaVersion: currentSchemaVersion('PersonalDataErased'),
        data: {
          erasureId: 'e1',
          scope: 'records',
          eventIds: ['0b0c0e3a-5a8a-4c89-9d4f-4a4a1e1c2b3d'],
          reason: 'Namn i fritext',
        },
        occurredAt: new Date('2024-05-03T09:00:00Z'),
        recordedAt: new Date('2024-05-03T09:00:01Z'),
        actor: { userId: 'dso.1', agency: 'police', role: 'data-protection-officer' },
        correlationId: 'c-2',
        causationId: null,
      },
      'hammaro',
    );
    expect(erased.withheld).toEqual(['reason']);
    expect(validate(erased)).toEqual([]);
  });
});
