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

/** The shared situation picture: current reports and the pictures confirmed at meetings. */
export class SituationPicture1764000000002 implements MigrationInterface {
  name = 'SituationPicture1764000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table projections.situation_reports (
        report_id text primary key,
        area text not null,
        place text,
        problem_area text not null,
        period_from date not null,
        period_to date not null,
        trend text not null,
        severity text not null,
        description text not null,
        source text not null,
        sensitivity text not null,
        shared_with text[] not null,
        reporting_agency text not null,
        status text not null,
        reported_at timestamptz not null,
        -- The position of the last event applied: an older event never overwrites a newer one.
        last_position bigint not null
      )`);
    await queryRunner.query(
      `create index situation_reports_area on projections.situation_reports (area, problem_area)`,
    );
    await queryRunner.query(`
      create table projections.situation_picture_confirmations (
        confirmation_id text primary key,
        meeting_on date not null,
        period_from date not null,
        period_to date not null,
        report_ids text[] not null,
        summary text not null
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table projections.situation_picture_confirmations`);
    await queryRunner.query(`drop table projections.situation_reports`);
  }
}

export const readModelMigrations = [ReadModels1764000000001, SituationPicture1764000000002];
