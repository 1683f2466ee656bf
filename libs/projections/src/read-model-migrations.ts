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
    await createAuditTrailTable(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table projections.audit_trail`);
    await queryRunner.query(`drop table projections.checkpoints`);
  }
}

/** The audit trail's first shape (before table sets); kept for the way down from them. */
async function createAuditTrailTable(queryRunner: QueryRunner): Promise<void> {
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

/**
 * Read models move into table sets owned by their projections (a schema per set, views in
 * `projections` for readers), so a rebuild can fill a fresh set beside the serving one. The old
 * tables are dropped and the checkpoints reset: the projections rebuild them from the log.
 */
export class TableSets1764000000003 implements MigrationInterface {
  name = 'TableSets1764000000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table projections.situation_picture_confirmations`);
    await queryRunner.query(`drop table projections.situation_reports`);
    await queryRunner.query(`drop table projections.audit_trail`);
    await queryRunner.query(`delete from projections.checkpoints`);
    await queryRunner.query(`
      alter table projections.checkpoints
        -- The schema holding this checkpoint's tables; the row named after the projection is the
        -- one readers see, a row named '<projection>:rebuild' is a rebuild under way.
        add column table_set text not null,
        -- The projection's version that built the set.
        add column version int not null`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const sets = (await queryRunner.query(`select table_set from projections.checkpoints`)) as {
      table_set: string;
    }[];
    for (const { table_set } of sets) {
      await queryRunner.query(`drop schema if exists "${table_set}" cascade`);
    }
    await queryRunner.query(`delete from projections.checkpoints`);
    await queryRunner.query(
      `alter table projections.checkpoints drop column table_set, drop column version`,
    );
    await createAuditTrailTable(queryRunner);
    await new SituationPicture1764000000002().up(queryRunner);
  }
}

/**
 * Gallring's cutoffs (see retention.ts): per retention class, the first year still kept. The
 * retention job raises them; projections read them as they fold, so a rebuild does not bring
 * back what was gallrad.
 */
export class RetentionCutoffs1764000000004 implements MigrationInterface {
  name = 'RetentionCutoffs1764000000004';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table projections.retention_cutoffs (
        retention_class text primary key,
        -- Events of this class dated in an earlier year (Swedish time) are past retention.
        kept_from_year integer not null,
        updated_at timestamptz not null default now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table projections.retention_cutoffs`);
  }
}

export const readModelMigrations = [
  ReadModels1764000000001,
  SituationPicture1764000000002,
  TableSets1764000000003,
  RetentionCutoffs1764000000004,
];
