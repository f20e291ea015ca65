/**
 * Reads the initial snapshot: every captured table through a cursor inside the REPEATABLE READ
 * transaction that imported the slot's exported snapshot, so the rows are exactly the state the
 * replication stream continues from. Values arrive as PostgreSQL text (no `pg` type parsing) and
 * go through the same converters as streamed changes. The next FETCH is sent while the current
 * batch is being converted and produced.
 */
import type pg from 'pg';
import type { SourcePartition, SourceRecord } from '../api.ts';
import type { CapturedTable } from './captured-table.ts';
import { changeRecord, envelope, sourceStruct, type SnapshotMarker } from './change-events.ts';
import type { Lsn } from './lsn.ts';
import { snapshotOffset } from './offsets.ts';
import { quoteIdent } from './replication-connection.ts';

type Row = (string | null)[];

const rawText = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

export interface SnapshotContext {
  readonly serverName: string;
  readonly db: string;
  readonly partition: SourcePartition;
  readonly consistentPoint: Lsn;
  readonly txId: number | null;
  readonly fetchSize: number;
}

export class SnapshotReader {
  private tableIndex = -1;
  private cursorOpen = false;
  private pending: Promise<Row[]> | null = null;
  private emittedAny = false;
  private firstOfTable = false;
  private lastNonEmpty: number | undefined;
  private readonly startUs = BigInt(Date.now()) * 1000n;
  rowsRead = 0;
  /** True once the last row has been returned (later tables are empty): the transaction can end. */
  finished = false;

  constructor(
    private readonly client: pg.Client,
    private readonly tables: readonly CapturedTable[],
    private readonly ctx: SnapshotContext,
  ) {}

  /** The next records (one FETCH worth), or null when every table has been read. */
  async next(): Promise<SourceRecord[] | null> {
    if (this.lastNonEmpty === undefined) this.lastNonEmpty = await this.findLastNonEmpty();
    for (;;) {
      if (this.finished) return null;
      if (!this.cursorOpen && !(await this.openNextTable())) {
        this.finished = true;
        return null;
      }
      const rows = await this.pending!;
      let tableDone = rows.length < this.ctx.fetchSize;
      this.pending = tableDone ? null : this.fetch();
      if (!tableDone) {
        // A full batch may still be the table's last: look at the (already requested) next one.
        const peek = await this.pending!;
        tableDone = peek.length === 0;
        this.pending = Promise.resolve(peek);
      }
      const table = this.tables[this.tableIndex];
      const first = this.firstOfTable;
      this.firstOfTable = false;
      if (tableDone) await this.closeCursor();
      if (rows.length === 0) continue;
      const last = tableDone && this.tableIndex === this.lastNonEmpty;
      if (last) this.finished = true;
      return this.toRecords(table, rows, first, tableDone, last);
    }
  }

  /** Which table holds the snapshot's last row, so it can be marked `last` in its offset. */
  private async findLastNonEmpty(): Promise<number> {
    for (let i = this.tables.length - 1; i >= 0; i--) {
      const t = this.tables[i];
      const r = await this.client.query(`SELECT 1 FROM ${quoteIdent(t.schema)}.${quoteIdent(t.table)} LIMIT 1`);
      if (r.rows.length > 0) return i;
    }
    return -1;
  }

  private async openNextTable(): Promise<boolean> {
    this.tableIndex++;
    if (this.tableIndex >= this.tables.length) return false;
    const t = this.tables[this.tableIndex];
    const cols = t.columns.map((c) => quoteIdent(c.name)).join(', ');
    await this.client.query(`DECLARE runnel_snapshot NO SCROLL CURSOR FOR SELECT ${cols || '*'} FROM ${quoteIdent(t.schema)}.${quoteIdent(t.table)}`);
    this.cursorOpen = true;
    this.firstOfTable = true;
    this.pending = this.fetch();
    return true;
  }

  private async closeCursor(): Promise<void> {
    if (!this.cursorOpen) return;
    this.cursorOpen = false;
    if (this.pending) {
      await this.pending;
      this.pending = null;
    }
    await this.client.query('CLOSE runnel_snapshot');
  }

  private async fetch(): Promise<Row[]> {
    const r = await this.client.query<Row>({ text: `FETCH FORWARD ${this.ctx.fetchSize} FROM runnel_snapshot`, rowMode: 'array', types: rawText });
    return r.rows;
  }

  private toRecords(table: CapturedTable, rows: Row[], firstOfTable: boolean, lastOfTable: boolean, lastOfSnapshot: boolean): SourceRecord[] {
    const out: SourceRecord[] = new Array(rows.length);
    const clock = { tsMs: Date.now() };
    const { serverName, db, partition, consistentPoint, txId } = this.ctx;
    const middle = snapshotOffset(consistentPoint, txId, this.startUs, false);
    const common = { serverName, db, tsUs: this.startUs, txId, lsn: consistentPoint, sequence: null };
    // Rows in the middle share one source struct (records are read-only downstream).
    const plain = sourceStruct(table, { ...common, snapshot: 'true' });
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const isLast = i === rows.length - 1;
      let marker: SnapshotMarker = 'true';
      if (isLast && lastOfSnapshot) marker = 'last';
      else if (!this.emittedAny) marker = 'first';
      else if (i === 0 && firstOfTable) marker = 'first_in_data_collection';
      else if (isLast && lastOfTable) marker = 'last_in_data_collection';
      this.emittedAny = true;
      const after = table.row(row);
      const source = marker === 'true' ? plain : sourceStruct(table, { ...common, snapshot: marker });
      const offset = isLast && lastOfSnapshot ? snapshotOffset(consistentPoint, txId, this.startUs, true) : middle;
      out[i] = changeRecord(table, table.key(row), envelope(table, 'r', null, after, source, clock), { partition, offset });
    }
    this.rowsRead += rows.length;
    return out;
  }
}
