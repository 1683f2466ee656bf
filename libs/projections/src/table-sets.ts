import type { EntityManager } from 'typeorm';
import type { Projection } from './projection';

/** Where readers find the read models: views onto the active table set of each projection. */
export const READ_MODEL_SCHEMA = 'projections';

/** `rm_situation_picture_3`: a safe identifier made from the projection's name and a number. */
export function tableSetName(projection: string, generation: number): string {
  const base = projection.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  return `rm_${base}_${generation}`;
}

export function generationOf(tableSet: string): number {
  const match = /_(\d+)$/.exec(tableSet);
  if (!match) throw new Error(`'${tableSet}' is not a table set name`);
  return Number(match[1]);
}

export async function createTableSet(
  tx: EntityManager,
  projection: Projection,
  tableSet: string,
): Promise<void> {
  await tx.query(`create schema "${tableSet}"`);
  for (const ddl of projection.createTables(tableSet)) await tx.query(ddl);
}

/** Points the readers' views at `tableSet`; in the caller's transaction, so readers switch at once. */
export async function pointViewsAt(
  tx: EntityManager,
  projection: Projection,
  tableSet: string,
): Promise<void> {
  for (const table of projection.tables) {
    await tx.query(`drop view if exists ${READ_MODEL_SCHEMA}."${table}"`);
    await tx.query(
      `create view ${READ_MODEL_SCHEMA}."${table}" as select * from "${tableSet}"."${table}"`,
    );
  }
}

export async function dropTableSet(tx: EntityManager, tableSet: string): Promise<void> {
  await tx.query(`drop schema if exists "${tableSet}" cascade`);
}
