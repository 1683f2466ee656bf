import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The read models' schema, as TypeORM migrations (never `synchronize`): the projections'
 * checkpoints and the audit trail. Released migrations are not edited; add a new one.
 */
export class ReadModels1764000000001 implements MigrationInterface {
  name = 'ReadModels1764000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`create schema if not exists projections`);
    await queryRunner.query(`
      create table projections.checkpoints (
        name text primary key,
        -- Every event at or below this position is applied, in the same transaction as its rows.
        position bigint not null default 0,
        status text not null default 'running' check (status in ('running', 'failed')),
        failed_position bigint,
        error text,
        updated_at timestamptz not null default now()
      )`);
    await queryRunner.query(`
      create table projections.audit_trail (
        global_position bigint primary key,
        event_id uuid not null,
        stream_id text not null,
        revision bigint not null,
        event_type text not null,
        actor_user_id text not null,
        actor_agency text not null,
        actor_role text not null,
        occurred_at timestamptz not null,
        recorded_at timestamptz not null,
        correlation_id text not null,
        causation_id text
      )`);
    await queryRunner.query(
      `create index audit_trail_agency_time on projections.audit_trail (actor_agency, recorded_at)`,
    );
    await queryRunner.query(
      `create index audit_trail_stream on projections.audit_trail (stream_id, revision)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table projections.audit_trail`);
    await queryRunner.query(`drop table projections.checkpoints`);
  }
}

export const readModelMigrations = [ReadModels1764000000001];
