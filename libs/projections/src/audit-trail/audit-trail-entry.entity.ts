import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';
import { READ_MODEL_SCHEMA } from '../table-sets';

/** bigint arrives from `pg` as text; positions and revisions fit a JS number (< 2^53). */
const bigintAsNumber: ValueTransformer = {
  to: (value: number | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/**
 * One line of the audit trail, as readers query it: the view `projections.audit_trail` over
 * the active table set (see `Projection`). The projection writes with batched SQL; readers use
 * this entity with TypeORM's query builder. Its table is made by the projection, never by
 * TypeORM (`synchronize` is off).
 */
@Entity({ schema: READ_MODEL_SCHEMA, name: 'audit_trail', synchronize: false })
export class AuditTrailEntry {
  @PrimaryColumn({ name: 'global_position', type: 'bigint', transformer: bigintAsNumber })
  globalPosition!: number;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ name: 'stream_id', type: 'text' })
  streamId!: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  revision!: number;

  @Column({ name: 'event_type', type: 'text' })
  eventType!: string;

  @Column({ name: 'actor_user_id', type: 'text' })
  actorUserId!: string;

  @Column({ name: 'actor_agency', type: 'text' })
  actorAgency!: string;

  @Column({ name: 'actor_role', type: 'text' })
  actorRole!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;

  @Column({ name: 'correlation_id', type: 'text' })
  correlationId!: string;

  @Column({ name: 'causation_id', type: 'text', nullable: true })
  causationId!: string | null;

  /** For a read of restricted data: what was read, on what ground, for what purpose. */
  @Column({ type: 'jsonb', nullable: true })
  read!: ReadOfRestrictedData | null;
}

export interface ReadOfRestrictedData {
  readonly streamId: string;
  readonly resourceKind: string;
  readonly ground: string;
  readonly purpose: string;
  readonly legalGround: string | null;
}

/** The TypeORM entities of the read models (readers' side). */
export const READ_MODEL_ENTITIES = [AuditTrailEntry];
