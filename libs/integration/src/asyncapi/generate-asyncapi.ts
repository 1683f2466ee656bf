/**
 * Generates the AsyncAPI 3 document of the agencies' feed from the domain's event types, so
 * the schemas an agency system validates against are the types the platform is written in.
 * Build time only (ts-json-schema-generator is a dev dependency): `npm run asyncapi` writes
 * asyncapi.json beside this file, which the API serves; a test fails when it is out of date.
 */
import { join } from 'node:path';
import { createGenerator, type Definition } from 'ts-json-schema-generator';
import { AGENCY_NAMES, type AgencyCode } from '@samverkan/domain/agencies/agencies';
import { currentSchemaVersion } from '@samverkan/domain/event-schemas';
import { NO_PERSONAL_DATA, personalFieldsDeclaration } from '@samverkan/domain/personal-fields';
import { agencyTopic, sharedTopic } from '../relay/feed-audience';
import {
  eventTypesOnSharedTopic,
  eventTypesOnTopic,
  FEED_AGENCIES,
  FEED_EVENT_TYPES,
} from './feed-catalog';

const ROOT = join(__dirname, '..', '..', '..', '..');
export const ASYNCAPI_FILE = join(__dirname, 'asyncapi.json');
const DAY_MS = 86_400_000;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** `#/definitions/X` (URI-encoded) becomes `#/components/schemas/X`. */
function rewriteRefs(value: Json): Json {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) =>
        k === '$ref' && typeof v === 'string' && v.startsWith('#/definitions/')
          ? [k, `#/components/schemas/${decodeURIComponent(v.slice('#/definitions/'.length))}`]
          : [k, rewriteRefs(v)],
      ),
    );
  }
  return value;
}

/** The data schema of each event type and the named types they share. */
function eventSchemas(): {
  data: Map<string, Json>;
  shared: Map<string, Json>;
  about: Map<string, string>;
} {
  const generator = createGenerator({
    // The contexts' events, and the erasure's (its decider and event live in one file).
    path: join(ROOT, 'libs/domain/src/{*/*.events.ts,personal-data/erasure.ts}'),
    tsconfig: join(ROOT, 'tsconfig.json'),
    expose: 'export',
    topRef: true,
    jsDoc: 'extended',
    skipTypeCheck: true,
    additionalProperties: false,
  });
  const data = new Map<string, Json>();
  const shared = new Map<string, Json>();
  const about = new Map<string, string>();
  for (const type of FEED_EVENT_TYPES) {
    const definitions = (generator.createSchema(type).definitions ?? {}) as Record<
      string,
      Definition
    >;
    const alias = definitions[type];
    const eventDefinition = alias?.$ref
      ? definitions[decodeURIComponent(alias.$ref.slice('#/definitions/'.length))]
      : alias;
    const dataSchema = eventDefinition?.properties?.['data'];
    if (!dataSchema || typeof dataSchema !== 'object') {
      throw new Error(`No data schema for event type ${type}`);
    }
    data.set(type, rewriteRefs(dataSchema as Json));
    if (alias?.description) about.set(type, alias.description);
    for (const [name, definition] of Object.entries(definitions)) {
      if (name === type || name.startsWith('DomainEvent<')) continue;
      shared.set(name, rewriteRefs(definition as Json));
    }
  }
  return { data, shared, about };
}

/** What a personal field is on the feed, whatever its type says it holds in the log. */
const WITHHELD_NOTE =
  'Personal data: always null on the feed (listed in `withheld`); an agency system that may read the event fetches it from `dataref`.';

/**
 * Each personal field of the type (the domain's inventory) as null in its data schema: the
 * claim check withholds them. A named type on the way is copied into the event's schema rather
 * than changed, so a type shared with a field that is not personal keeps its shape there.
 */
function withPersonalFieldsWithheld(
  type: string,
  schema: Json,
  shared: ReadonlyMap<string, Json>,
): Json {
  const declared = personalFieldsDeclaration(type);
  if (declared === undefined || declared === NO_PERSONAL_DATA) return schema;
  // Typed per event in the inventory; read here as the patterns they are.
  const paths = [
    ...(declared.subjectRef === undefined ? [] : [declared.subjectRef]),
    ...declared.freeText,
  ] as readonly string[];
  let result = structuredClone(schema);
  for (const path of paths) {
    const steps = path.split('.').map((part) => ({
      name: part.replace(/\[\]$/, ''),
      eachItem: part.endsWith('[]'),
    }));
    result = withheldAt(result, steps, shared, `${type}.${path}`);
  }
  return result;
}

function withheldAt(
  node: Json,
  steps: readonly { name: string; eachItem: boolean }[],
  shared: ReadonlyMap<string, Json>,
  where: string,
): Json {
  if (steps.length === 0) {
    const description =
      isObject(node) && typeof node['description'] === 'string' ? node['description'] : '';
    return { type: 'null', description: `${description} ${WITHHELD_NOTE}`.trim() };
  }
  if (!isObject(node)) throw new Error(`No schema at ${where}`);
  const ref = node['$ref'];
  if (typeof ref === 'string') {
    const name = decodeURIComponent(ref.slice('#/components/schemas/'.length));
    const target = shared.get(name);
    if (target === undefined) throw new Error(`No schema ${name} at ${where}`);
    const { $ref: _ref, ...siblings } = node;
    return withheldAt(
      { ...(structuredClone(target) as object), ...siblings },
      steps,
      shared,
      where,
    );
  }
  for (const union of ['anyOf', 'oneOf', 'allOf'] as const) {
    const variants = node[union];
    if (Array.isArray(variants)) {
      return {
        ...node,
        [union]: variants.map((variant) =>
          hasProperty(variant, steps[0]!.name, shared)
            ? withheldAt(variant, steps, shared, where)
            : variant,
        ),
      };
    }
  }
  const properties = node['properties'];
  const [step, ...rest] = steps;
  if (!isObject(properties) || !(step!.name in properties)) {
    throw new Error(`No property ${step!.name} at ${where}`);
  }
  const child = properties[step!.name]!;
  let replaced: Json;
  if (step!.eachItem) {
    if (!isObject(child) || child['items'] === undefined) throw new Error(`No items at ${where}`);
    replaced = { ...child, items: withheldAt(child['items'], rest, shared, where) };
  } else {
    replaced = withheldAt(child, rest, shared, where);
  }
  return { ...node, properties: { ...properties, [step!.name]: replaced } };
}

/**
 * Drops the named types no schema refers to any more: those copied into an event's schema to
 * withhold a field in them, which would otherwise still show the field as text.
 */
function pruneUnreferenced(schemas: Record<string, Json>, named: ReadonlySet<string>): void {
  const referenced = (name: string): boolean =>
    Object.entries(schemas).some(
      ([other, schema]) =>
        other !== name && JSON.stringify(schema).includes(`"#/components/schemas/${name}"`),
    );
  for (let pruned = true; pruned;) {
    pruned = false;
    for (const name of named) {
      if (name in schemas && !referenced(name)) {
        delete schemas[name];
        pruned = true;
      }
    }
  }
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasProperty(node: Json, name: string, shared: ReadonlyMap<string, Json>): boolean {
  if (!isObject(node)) return false;
  const ref = node['$ref'];
  if (typeof ref === 'string') {
    return hasProperty(
      shared.get(decodeURIComponent(ref.slice('#/components/schemas/'.length))) ?? null,
      name,
      shared,
    );
  }
  const properties = node['properties'];
  return isObject(properties) && name in properties;
}

/**
 * The Kafka clients and brokers the feed is tested with (the integration suites under
 * libs/integration/src/kafka), for agencies choosing a client. librdkafka before 2.6.1 sends a
 * SCRAM nonce that Kafka 4.x refuses, so the C library's clients (and Python's, Go's, .NET's on
 * it) need 2.6.1 or newer against a 4.x broker.
 */
const TESTED_CLIENTS = [
  {
    client: 'kafkajs 2.2.4 (Node.js)',
    brokers: {
      'Apache Kafka 4.4.0': 'plaintext, SASL/SCRAM-SHA-512, SASL/SCRAM-SHA-512 over TLS',
      'Apache Kafka 3.9.1': 'SASL/SCRAM-SHA-512',
    },
  },
  {
    client: 'kcat 1.7.1 with librdkafka 2.0.2 (Debian 12)',
    brokers: {
      'Apache Kafka 3.9.1': 'SASL/SCRAM-SHA-512',
      'Apache Kafka 4.4.0':
        'fails: SCRAM refused as invalid credentials, as with every librdkafka before 2.6.1 (https://github.com/edenhill/kcat/issues/462, fixed by https://github.com/confluentinc/librdkafka/pull/4895)',
    },
  },
];

const cloudEventEnvelope: Json = {
  type: 'object',
  description:
    "A CloudEvent 1.0 in structured JSON mode. Delivery is at least once: de-duplicate by `id`. Within a topic, the events of one stream (`subject`, the Kafka key) arrive in stream order; `streamrevision` orders them across topics (a report made restricted later moves to the restricted topic). Personal fields never travel on the feed, neither as text nor encrypted: each is null in `data`, `withheld` lists where, and `dataref` is the API route that serves them (GET with the agency system's API key, `Authorization: ApiKey <key>`; restricted events also need `?purpose=`) to an agency that may receive the event, as `[raderad]` once erased.",
  required: [
    'specversion',
    'id',
    'source',
    'type',
    'subject',
    'time',
    'datacontenttype',
    'dataschema',
    'globalposition',
    'streamrevision',
    'agency',
    'recordedtime',
    'correlationid',
    'data',
  ],
  additionalProperties: false,
  properties: {
    specversion: { const: '1.0' },
    id: { type: 'string', format: 'uuid', description: 'The event id: de-duplicate by it.' },
    source: {
      type: 'string',
      pattern: '^urn:samverkan:partnership:[a-z0-9-]+$',
      description: 'The partnership.',
    },
    type: {
      type: 'string',
      pattern: '^se\\.samverkan\\.[A-Za-z]+\\.v[0-9]+$',
      description: 'The event type and its schema version.',
    },
    subject: { type: 'string', minLength: 1, description: 'The stream id (also the Kafka key).' },
    time: { type: 'string', format: 'date-time', description: 'When it happened.' },
    datacontenttype: { const: 'application/json' },
    dataschema: { type: 'string', pattern: '^urn:samverkan:schema:[A-Za-z]+:v[0-9]+$' },
    globalposition: {
      type: 'integer',
      minimum: 1,
      description: "The event's position in the partnership's log.",
    },
    streamrevision: {
      type: 'integer',
      minimum: 0,
      description: "The event's revision in its stream (0 is the first).",
    },
    agency: {
      type: 'string',
      description:
        'The agency whose user or system did it (who exactly is in the audit trail, not on the feed).',
    },
    recordedtime: { type: 'string', format: 'date-time', description: 'When the log recorded it.' },
    correlationid: { type: 'string', description: 'Events of one request or process share it.' },
    dataref: {
      type: 'string',
      format: 'uri',
      description:
        'CloudEvents `dataref` extension: `<API>/events/<id>/personal-data`, which answers `{ eventId, streamId, fields: { "<path>": "<text>" } }` for the withheld paths, to an agency system that may receive the event (404 to any other caller, as for an unknown id). Only when something was withheld.',
    },
    withheld: {
      type: 'array',
      minItems: 1,
      items: { type: 'string', minLength: 1 },
      description:
        'The paths in `data` whose personal content was withheld (each is null there), e.g. `outcome`, `agreedFollowUp[0].action`. Only when something was withheld.',
    },
    data: {
      type: 'object',
      description: 'The event, as its type describes it, each personal field null.',
    },
  },
  dependencies: { dataref: ['withheld'], withheld: ['dataref'] },
};

/** Messages whose type has no doc comment of its own to summarise it. */
const SUMMARIES: Readonly<Record<string, string>> = {
  PersonalDataErased:
    "Personal data was erased (the keys it was encrypted with are destroyed). `scope: 'records'`: the personal fields of the listed events; delete or blank what you stored from them. `scope: 'data-subject'`: everything about one young person, who is never named, so `eventIds` is empty; fetch again what you stored from the withheld fields of events you received (prevention talks: only their streams are bound to a data subject), and the API answers `[raderad]` where it was erased. Goes to every agency's events topic.",
};

const channelKey = (agency: AgencyCode, restricted: boolean) =>
  `${agency}.${restricted ? 'restricted' : 'events'}`;
const operationKey = (agency: AgencyCode, restricted: boolean) =>
  `${agency.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())}Receives${restricted ? 'Restricted' : 'Events'}`;

/** The whole document, as an object. */
export function buildAsyncApiDocument(): Record<string, Json> {
  const { data, shared, about } = eventSchemas();
  const schemas: Record<string, Json> = { CloudEvent: cloudEventEnvelope };
  for (const [name, schema] of [...shared].sort(([a], [b]) => a.localeCompare(b)))
    schemas[name] = schema;
  const messages: Record<string, Json> = {};
  for (const type of FEED_EVENT_TYPES) {
    // The relay publishes every event in its type's current version (older ones are upcast).
    const version = currentSchemaVersion(type);
    const ceType = `se.samverkan.${type}.v${version}`;
    schemas[`${type}.v${version}`] = withPersonalFieldsWithheld(type, data.get(type)!, shared);
    messages[type] = {
      name: type,
      title: type.replace(/([a-z])([A-Z])/g, '$1 $2'),
      summary: SUMMARIES[type] ?? about.get(type) ?? `A ${type} event.`,
      contentType: 'application/cloudevents+json',
      headers: {
        type: 'object',
        properties: {
          'content-type': { const: 'application/cloudevents+json; charset=utf-8' },
          ce_correlationid: {
            type: 'string',
            description:
              'The correlationid of the event, repeated as a header: to follow a request without parsing the value. The value (structured mode) is the event.',
          },
        },
      },
      payload: {
        allOf: [
          { $ref: '#/components/schemas/CloudEvent' },
          {
            type: 'object',
            properties: {
              type: { const: ceType },
              dataschema: { const: `urn:samverkan:schema:${type}:v${version}` },
              data: { $ref: `#/components/schemas/${type}.v${version}` },
            },
          },
        ],
      },
      bindings: {
        kafka: {
          key: {
            type: 'string',
            description: 'The stream id: one stream, one partition, in order.',
          },
          bindingVersion: '0.5.0',
        },
      },
    };
  }
  pruneUnreferenced(schemas, new Set(shared.keys()));
  const channels: Record<string, Json> = {};
  const operations: Record<string, Json> = {};
  /** A topic's channel, with the messages that can reach it, and the operation reading it. */
  const addChannel = (
    key: string,
    operation: string,
    topic: {
      address: string;
      title: string;
      description: string;
      types: readonly string[];
      retentionDays: number;
      reader: string;
    },
  ): void => {
    channels[key] = {
      address: topic.address,
      title: topic.title,
      description: topic.description,
      parameters: { partnershipId: { $ref: '#/components/parameters/partnershipId' } },
      messages: Object.fromEntries(
        topic.types.map((t) => [t, { $ref: `#/components/messages/${t}` }]),
      ),
      bindings: {
        kafka: {
          partitions: 3,
          replicas: 1,
          topicConfiguration: {
            'cleanup.policy': ['delete'],
            'retention.ms': topic.retentionDays * DAY_MS,
          },
          bindingVersion: '0.5.0',
        },
      },
    };
    operations[operation] = {
      action: 'receive',
      channel: { $ref: `#/channels/${key}` },
      summary: `${topic.reader} with its own Kafka user (consumer groups named after the user: "<user>.<anything>").`,
      messages: topic.types.map((t) => ({ $ref: `#/channels/${key}/messages/${t}` })),
    };
  };
  addChannel('shared', 'everyAgencyReceivesShared', {
    address: sharedTopic('{partnershipId}'),
    title: 'Every agency: shared events',
    description:
      'Events public by their kind (the citizen promise, a public document), written once for all instead of once per agency. Every agency system reads it beside its own two topics. Kept 30 days by default (KAFKA_RETENTION_DAYS).',
    types: eventTypesOnSharedTopic(),
    retentionDays: 30,
    reader: 'Every agency system reads the shared topic',
  });
  for (const agency of FEED_AGENCIES) {
    for (const restricted of [false, true]) {
      addChannel(channelKey(agency, restricted), operationKey(agency, restricted), {
        address: agencyTopic('{partnershipId}', agency, restricted),
        title: `${AGENCY_NAMES[agency]}: ${restricted ? 'restricted events' : 'events'}`,
        description: restricted
          ? `Restricted events (prevention talks, restricted situation reports) that ${AGENCY_NAMES[agency]} may read under the access policy. Kept 7 days by default (KAFKA_RESTRICTED_RETENTION_DAYS).`
          : `Events ${AGENCY_NAMES[agency]} may read under the access policy that not every agency may (those are on the shared topic), restricted ones excepted. Kept 30 days by default (KAFKA_RETENTION_DAYS).`,
        types: eventTypesOnTopic(agency, restricted),
        retentionDays: restricted ? 7 : 30,
        reader: `The ${AGENCY_NAMES[agency]} system reads its ${restricted ? 'restricted ' : ''}topic`,
      });
    }
  }
  return {
    asyncapi: '3.0.0',
    id: 'urn:samverkan:feed',
    info: {
      title: 'Samverkan: the partnership feed for agency systems',
      version: '1.0.0',
      description:
        "The event log of a local crime-prevention partnership, published to Apache Kafka for the agencies' own systems. Each agency system reads the shared topic (what every agency may read) and its agency's own two topics, and nothing else: what the access policy lets the agency read, with restricted events (prevention talks, restricted situation reports) apart. The broker enforces it: one SCRAM user per agency system, ACLs from `npm run kafka:access`. Generated from the domain's event types by `npm run asyncapi`.",
      license: {
        name: 'EUPL-1.2',
        url: 'https://interoperable-europe.ec.europa.eu/collection/eupl/eupl-text-eupl-12',
      },
      'x-tested-clients': TESTED_CLIENTS,
    },
    defaultContentType: 'application/cloudevents+json',
    servers: {
      local: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        description:
          'The broker of scripts/kafka-local.sh (with KAFKA_LOCAL_SECURE=1: SASL/SCRAM and ACLs).',
        security: [{ $ref: '#/components/securitySchemes/scram' }],
      },
      localTls: {
        host: '127.0.0.1:9092',
        protocol: 'kafka-secure',
        description:
          'The broker of scripts/kafka-local.sh with KAFKA_LOCAL_TLS=1: SASL/SCRAM and ACLs over TLS (SASL_SSL); its certificate is signed by a CA of its own, .kafka-local/tls/ca.pem, which clients must trust (KAFKA_SSL_CA_FILE).',
        security: [{ $ref: '#/components/securitySchemes/scram' }],
      },
    },
    channels,
    operations,
    components: {
      schemas,
      messages,
      parameters: {
        partnershipId: {
          description: 'The partnership (SAMVERKAN_PARTNERSHIP_ID), e.g. hammaro.',
          default: 'hammaro',
          examples: ['hammaro'],
        },
      },
      securitySchemes: {
        scram: {
          type: 'scramSha512',
          description: 'One Kafka user per agency system, with ACLs for its two topics only.',
        },
      },
    },
  };
}

/** The document as the file holds it (two-space JSON; prettier leaves it alone). */
export function renderAsyncApiDocument(): string {
  return `${JSON.stringify(buildAsyncApiDocument(), null, 2)}\n`;
}
