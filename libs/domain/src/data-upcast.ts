/** Turns the data of one event type from `fromVersion` into `fromVersion + 1` (see event-schemas). */
export interface DataUpcast {
  readonly type: string;
  readonly fromVersion: number;
  readonly upcast: (data: Readonly<Record<string, unknown>>) => Record<string, unknown>;
}
