import type { EntityManager } from 'typeorm';

/**
 * How a column travels in a batched statement. Arrays of arrays do not unnest row by row, so
 * `text[]` columns travel as JSON and are turned back into arrays on the server.
 */
export type ColumnType = 'text' | 'date' | 'integer' | 'bigint' | 'boolean' | 'jsonb' | 'text[]';

export interface Column<R> {
  readonly name: string;
  readonly type: ColumnType;
  readonly value: (row: R) => unknown;
}

/**
 * Writes `rows` with one statement (`unnest` of one array per column), each row whole. A row
 * only replaces a stored one that has seen an older event (`last_position`, which every table
 * of this read model has), so a batch applied again, or an older one applied after a newer,
 * changes nothing.
 */
export async function upsertRows<R>(
  tx: EntityManager,
  table: string,
  key: readonly string[],
  columns: readonly Column<R>[],
  rows: readonly R[],
): Promise<void> {
  if (rows.length === 0) return;
  const select = columns.map((c, i) =>
    c.type === 'text[]' ? `array(select jsonb_array_elements_text(u.c${i}))` : `u.c${i}`,
  );
  const arrays = columns.map((c, i) => `$${i + 1}::${c.type === 'text[]' ? 'jsonb' : c.type}[]`);
  const updates = columns
    .filter((c) => !key.includes(c.name))
    .map((c) => `${c.name} = excluded.${c.name}`);
  await tx.query(
    `insert into ${table} as t (${columns.map((c) => c.name).join(', ')})
     select ${select.join(', ')}
       from unnest(${arrays.join(', ')}) as u(${columns.map((_c, i) => `c${i}`).join(', ')})
     on conflict (${key.join(', ')}) do update set ${updates.join(', ')}
     where t.last_position < excluded.last_position`,
    columns.map((c) =>
      rows.map((row) => {
        const value = c.value(row);
        if (value === null || value === undefined) return null;
        return c.type === 'jsonb' || c.type === 'text[]' ? JSON.stringify(value) : value;
      }),
    ),
  );
}
