import type { Projection } from '../projection';
import type { ReadModelEngine } from '../projector';

/** Every row of every table of a table set, in key order, as text: to compare two sets. */
export async function readModelContents(
  engine: ReadModelEngine,
  projection: Projection,
  tableSet: string,
): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of projection.tables) {
    const rows = await engine.dataSource.query<{ row: string }[]>(
      `select t::text as row from "${tableSet}"."${table}" t order by 1`,
    );
    out[table] = rows.map((r) => r.row);
  }
  return out;
}

/**
 * What a projection's live table set holds against a rebuild from zero up to the same
 * checkpoint (made, compared and thrown away): equal when no event was applied twice or skipped.
 */
export async function liveAndRebuilt(
  engine: ReadModelEngine,
  projection: Projection,
): Promise<{ live: Record<string, string[]>; rebuilt: Record<string, string[]> }> {
  const { position, tableSet } = await engine.runner.status(projection.name);
  const rebuild = await engine.runner.rebuild(projection, { until: position });
  const result = {
    live: await readModelContents(engine, projection, tableSet!),
    rebuilt: await readModelContents(engine, projection, rebuild.tableSet),
  };
  await engine.runner.discardRebuild(projection);
  return result;
}
