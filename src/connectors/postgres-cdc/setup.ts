/**
 * Creates or checks the publication and the replication slot as configured
 * (`publication.autocreate.mode`, `slot.name`), in the order logical decoding needs: the
 * publication must exist before the slot's starting point, or decoding cannot see it.
 */
import type pg from 'pg';
import { tableIncluded, type CdcConfig } from './config.ts';
import { listTables } from './catalog.ts';
import { parseLsn, type Lsn } from './lsn.ts';
import { quoteIdent } from './replication-connection.ts';

export interface SlotState {
  readonly exists: boolean;
  readonly plugin: string | null;
  readonly active: boolean;
  readonly confirmedFlushLsn: Lsn | null;
  readonly database: string | null;
}

export async function slotState(client: pg.Client, slotName: string): Promise<SlotState> {
  const r = await client.query<{ plugin: string; active: boolean; confirmed_flush_lsn: string | null; database: string }>(
    'SELECT plugin, active, confirmed_flush_lsn::text AS confirmed_flush_lsn, database FROM pg_replication_slots WHERE slot_name = $1',
    [slotName],
  );
  const row = r.rows[0];
  if (!row) return { exists: false, plugin: null, active: false, confirmedFlushLsn: null, database: null };
  return { exists: true, plugin: row.plugin, active: row.active, confirmedFlushLsn: row.confirmed_flush_lsn ? parseLsn(row.confirmed_flush_lsn) : null, database: row.database };
}

export async function dropSlot(client: pg.Client, slotName: string): Promise<void> {
  await client.query('SELECT pg_drop_replication_slot($1)', [slotName]);
}

/** The captured tables' `<schema>.<table>` names, for a filtered publication and the snapshot. */
export async function capturedTableNames(client: pg.Client, config: CdcConfig): Promise<{ oid: number; schema: string; table: string }[]> {
  return (await listTables(client)).filter((t) => tableIncluded(config.filters, t.schema, t.table));
}

/**
 * all_tables: `CREATE PUBLICATION ... FOR ALL TABLES` when missing. filtered: a publication of
 * exactly the captured tables (created, or its table list replaced). disabled: it must exist.
 */
export async function ensurePublication(client: pg.Client, config: CdcConfig): Promise<void> {
  const name = config.publicationName;
  const r = await client.query<{ puballtables: boolean }>('SELECT puballtables FROM pg_publication WHERE pubname = $1', [name]);
  const exists = r.rows.length > 0;
  const mode = config.publicationAutocreateMode;
  if (mode === 'disabled') {
    if (!exists) throw new Error(`publication '${name}' does not exist and publication.autocreate.mode is disabled`);
    return;
  }
  if (mode === 'all_tables') {
    if (!exists) await client.query(`CREATE PUBLICATION ${quoteIdent(name)} FOR ALL TABLES`);
    return;
  }
  const tables = await capturedTableNames(client, config);
  const list = tables.map((t) => `${quoteIdent(t.schema)}.${quoteIdent(t.table)}`).join(', ');
  if (!exists) {
    await client.query(tables.length > 0 ? `CREATE PUBLICATION ${quoteIdent(name)} FOR TABLE ${list}` : `CREATE PUBLICATION ${quoteIdent(name)}`);
  } else if (!r.rows[0].puballtables && tables.length > 0) {
    await client.query(`ALTER PUBLICATION ${quoteIdent(name)} SET TABLE ${list}`);
  }
}
