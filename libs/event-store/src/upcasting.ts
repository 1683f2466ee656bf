import type { JsonObject, RecordedEvent } from './event-store.port';

/**
 * Turns the data of one event type from `fromVersion` into `fromVersion + 1`. Old events are
 * upcast as they are read and never rewritten: the log stays what was recorded.
 */
export interface Upcaster {
  readonly type: string;
  readonly fromVersion: number;
  upcast(data: JsonObject): JsonObject;
}

export class Upcasters {
  private readonly byTypeAndVersion = new Map<string, Upcaster>();

  constructor(upcasters: readonly Upcaster[] = []) {
    for (const u of upcasters) {
      const key = `${u.type}@${u.fromVersion}`;
      if (this.byTypeAndVersion.has(key)) throw new Error(`Two upcasters for ${key}`);
      this.byTypeAndVersion.set(key, u);
    }
  }

  apply(event: RecordedEvent): RecordedEvent {
    if (this.byTypeAndVersion.size === 0) return event;
    let { data, schemaVersion } = event;
    for (;;) {
      const next = this.byTypeAndVersion.get(`${event.type}@${schemaVersion}`);
      if (!next) break;
      data = next.upcast(data);
      schemaVersion += 1;
    }
    return schemaVersion === event.schemaVersion ? event : { ...event, data, schemaVersion };
  }
}
