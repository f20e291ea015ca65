/**
 * The relational sink task shared by DuckDBSink and PostgresSink: buffers row operations from
 * `put`, and writes them (plus the consumed offsets) in one target transaction when `batch.size`
 * rows are buffered, `flush.interval.ms` has passed, or the worker commits. At start it reads
 * the offsets stored in the target and seeks there, so a crash between the target commit and the
 * worker's own offset commit neither loses nor doubles a row: exactly once in the target.
 *
 * A full batch is written in the background while `put` goes on filling the next one (one write
 * at a time, in order; a failed write fails the next `put` or commit), so the target's commit
 * and fsync overlap with fetching and converting. The worker commits only what `preCommit`
 * returns: the offsets the target already holds (it starts a write of the buffer when none is
 * in flight, without waiting for it).
 *
 * Within a batch, upserts and deletes collapse to the final state per key (a delete followed by
 * an insert of the same key writes the row; the reverse deletes it); in insert mode rows are
 * appended in order and a delete first writes the rows before it.
 */
import { setImmediate } from 'node:timers/promises';
import { tpKey, type WireSchemas, type SinkRecord, type SinkTask, type SinkTaskContext, type TopicPartition } from '../api.ts';
import { parseOrThrow, type ConfigDef } from '../config-def.ts';
import { ConnectError, messageOf } from '../errors.ts';
import type { ColumnSpec } from './columns.ts';
import { RowOpBuilder, tableNameFor, type RowOp, type RowShape } from './row-ops.ts';
import { compileWireRowDecoder, type WireRowDecoder } from './wire-rows.ts';
import { sqlSinkSettings, type SqlSinkSettings } from './sink-config.ts';
import type { TargetSession } from './target-session.ts';

type WriteOp = Extract<RowOp, { kind: 'write' }>;

/** Rows of one shape, column by column (no object per buffered row for the collector to copy). */
interface ShapeColumns {
  readonly data: unknown[][];
  count: number;
}

interface TableBatch {
  /** upsert: final op per key; insert: the deletes. */
  readonly byKey: Map<string, WriteOp | { kind: 'delete'; pk: readonly ColumnSpec[]; key: unknown[] }>;
  /** insert: rows by shape, in order within a shape. */
  readonly rows: Map<RowShape, ShapeColumns>;
}

function pushRow(byShape: Map<RowShape, ShapeColumns>, shape: RowShape, values: readonly unknown[]): void {
  let cols = byShape.get(shape);
  if (cols === undefined) byShape.set(shape, (cols = { data: shape.columns.map(() => []), count: 0 }));
  for (let i = 0; i < values.length; i++) cols.data[i].push(values[i]);
  cols.count++;
}

function keyString(values: readonly unknown[]): string {
  let s = '';
  for (const v of values) s += (typeof v === 'bigint' ? `${v}n` : Buffer.isBuffer(v) ? v.toString('hex') : String(v)) + '\u0001';
  return s;
}

export class SqlSinkTask implements SinkTask {
  private s!: SqlSinkSettings;
  private ctx!: SinkTaskContext;
  private session!: TargetSession;
  private builder!: RowOpBuilder;
  private buffered = 0;
  private batches = new Map<string, TableBatch>();
  /** Positions covered by the buffer (next offset by tpKey). */
  private positions = new Map<string, bigint>();
  /** What the target holds. */
  private committed = new Map<string, bigint>();
  private firstBufferedAt = 0;
  /** Known table columns, by table. */
  private readonly tables = new Map<string, string[]>();
  /** Rows written, for tests and the benchmark. */
  written = 0;

  constructor(
    private readonly configDef: ConfigDef,
    private readonly openSession: (config: Readonly<Record<string, string>>) => Promise<TargetSession>,
  ) {}

  async start(ctx: SinkTaskContext): Promise<void> {
    this.ctx = ctx;
    this.s = sqlSinkSettings(parseOrThrow(this.configDef, ctx.config, 'sink'));
    this.builder = new RowOpBuilder(this.s);
    this.session = await this.openSession(ctx.config);
    await this.session.ensureOffsetsTable(this.s.offsetsTable);
  }

  async open(partitions: readonly TopicPartition[]): Promise<void> {
    const stored = await this.session.readOffsets(this.s.offsetsTable, this.ctx.connectorName);
    for (const tp of partitions) {
      const offset = stored.get(tpKey(tp));
      if (offset === undefined) continue;
      this.ctx.seek(tp, offset);
      this.committed.set(tpKey(tp), offset);
    }
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      let op: RowOp | null = null;
      try {
        op = this.builder.build(r);
      } catch (err) {
        await this.ctx.reportError(r, err instanceof Error ? err : new Error(String(err)));
      }
      if (op !== null) this.add(op);
      // Records of a put mostly come from one partition: note its position at the run's end only.
      const next = records[i + 1];
      if (next === undefined || next.topic !== r.topic || next.kafkaPartition !== r.kafkaPartition) this.positions.set(`${r.topic}/${r.kafkaPartition}`, r.kafkaOffset + 1n);
    }
    if (this.buffered >= this.s.batchSize || (this.buffered > 0 && Date.now() - this.firstBufferedAt >= this.s.flushIntervalMs)) await this.startWrite();
    // The worker's loop reaches the event loop's I/O phase only when it runs dry, so a write in
    // flight would advance (begin, append, commit: each a callback from DuckDB's or pg's threads)
    // only when the next batch waits for it. Yielding once per put lets it overlap for real.
    else if (this.inFlight) await setImmediate();
  }

  /** Compiled wire decoders by value schema id (null: that schema takes the general path). */
  private readonly wireDecoders = new Map<number, { shape: RowShape; decode: WireRowDecoder } | null>();
  private readonly wireTables = new Map<string, string>();
  private wireValues: unknown[] = [];
  /** The position key of the last wire record's partition (a string per record cost more than the decode). */
  private wireTopic = '';
  private wirePartition = -1;
  private wireKey = '';

  /**
   * Buffers a plain Avro row straight from its bytes (see wire-rows.ts): the same row `put`
   * would buffer for the converted record. False (nothing buffered) for anything else: unknown
   * schema ids, envelopes, keys or Kafka coordinates as columns, types the decoder does not read,
   * a null primary key (which `put` reports).
   */
  putWire(topic: string, partition: number, offset: bigint, value: Buffer, schemas: WireSchemas): boolean {
    if (value.length < 5 || value[0] !== 0) return false;
    const id = value.readInt32BE(1);
    let d = this.wireDecoders.get(id);
    if (d === undefined) {
      d = null;
      const known = schemas.avroById(id);
      if (known === undefined) return false; // not fetched yet: the general path fetches it
      if ((this.s.pkMode === 'none' || this.s.pkMode === 'record_value') && known.schema.type === 'struct' && !(known.schema.fields ?? []).some((f) => f.name === 'op')) {
        const shape = this.builder.shapeFor(known.schema, null);
        const decode = compileWireRowDecoder(known.avro, known.schema, shape);
        if (decode !== null) d = { shape, decode };
      }
      this.wireDecoders.set(id, d);
    }
    if (d === null) return false;
    const { shape } = d;
    const values = this.wireValues.length === shape.columns.length ? this.wireValues : (this.wireValues = new Array(shape.columns.length));
    if (!d.decode(value, values)) return false;
    for (const i of shape.pkIndexes) if (values[i] === null) return false;
    let table = this.wireTables.get(topic);
    if (table === undefined) this.wireTables.set(topic, (table = tableNameFor(topic, this.s.tableNameFormat)));
    if (this.s.insertMode === 'upsert') this.add({ kind: 'write', table, shape, values: values.slice() });
    else {
      if (this.buffered === 0) this.firstBufferedAt = Date.now();
      this.buffered++;
      pushRow(this.batchOf(table).rows, shape, values);
    }
    if (topic !== this.wireTopic || partition !== this.wirePartition) {
      this.wireTopic = topic;
      this.wirePartition = partition;
      this.wireKey = `${topic}/${partition}`;
    }
    this.positions.set(this.wireKey, offset + 1n);
    return true;
  }

  private batchOf(table: string): TableBatch {
    let b = this.batches.get(table);
    if (b === undefined) this.batches.set(table, (b = { byKey: new Map(), rows: new Map() }));
    return b;
  }

  private add(op: RowOp): void {
    if (this.buffered === 0) this.firstBufferedAt = Date.now();
    this.buffered++;
    const b = this.batchOf(op.table);
    if (op.kind === 'truncate') {
      this.batches.delete(op.table);
      this.pendingTruncates.push(op.table);
      return;
    }
    if (this.s.insertMode === 'upsert') {
      const key = op.kind === 'write' ? keyString(op.shape.pkIndexes.map((i) => op.values[i])) : keyString(op.key);
      b.byKey.delete(key); // keep insertion order = last change order
      b.byKey.set(key, op.kind === 'write' ? op : { kind: 'delete', pk: op.pk, key: op.key });
      return;
    }
    if (op.kind === 'write') pushRow(b.rows, op.shape, op.values);
    else b.byKey.set(keyString(op.key), { kind: 'delete', pk: op.pk, key: op.key });
  }

  private pendingTruncates: string[] = [];

  /** The write in progress, if any. */
  private writing: Promise<void> | null = null;
  /** Whether `writing` has not finished yet. */
  private inFlight = false;

  /** Waits for the write in progress (rethrowing its failure), then starts writing the buffer. */
  private async startWrite(): Promise<void> {
    await this.settle();
    const dirty = [...this.positions].some(([k, v]) => this.committed.get(k) !== v);
    if (this.buffered === 0 && !dirty) return;
    const batch = { batches: this.batches, truncates: this.pendingTruncates, positions: new Map(this.positions), records: this.buffered };
    this.batches = new Map();
    this.pendingTruncates = [];
    this.buffered = 0;
    const writing = this.write(batch);
    this.inFlight = true;
    writing.then(
      () => (this.inFlight = false),
      () => (this.inFlight = false), // the failure is observed by the next settle()
    );
    this.writing = writing;
  }

  private async settle(): Promise<void> {
    const writing = this.writing;
    this.writing = null;
    await writing;
  }

  /** Writes everything buffered and waits until the target has it. */
  async flush(): Promise<void> {
    await this.startWrite();
    await this.settle();
  }

  private async write(b: { batches: Map<string, TableBatch>; truncates: string[]; positions: Map<string, bigint>; records: number }): Promise<void> {
    const session = this.session;
    await session.begin();
    try {
      // Truncates apply before the batch's rows (rows after a truncate were kept in the batch).
      for (const table of b.truncates) if ((await this.columnsOf(table)) !== null) await session.truncate(table);
      for (const [table, tb] of b.batches) await this.applyTable(table, tb);
      await session.writeOffsets(this.s.offsetsTable, this.ctx.connectorName, b.positions);
      await session.commit();
    } catch (err) {
      await session.rollback().catch(() => undefined);
      this.tables.clear();
      throw new ConnectError('external', `writing ${b.records} buffered records failed: ${messageOf(err)}`, { cause: err });
    }
    for (const [k, v] of b.positions) this.committed.set(k, v);
  }

  private async applyTable(table: string, b: TableBatch): Promise<void> {
    const session = this.session;
    if (this.s.insertMode === 'upsert') {
      const deletes: { pk: readonly ColumnSpec[]; keys: unknown[][] } = { pk: [], keys: [] };
      const writes = new Map<RowShape, ShapeColumns>();
      for (const op of b.byKey.values()) {
        if (op.kind === 'delete') {
          deletes.pk = op.pk;
          deletes.keys.push(op.key);
        } else pushRow(writes, op.shape, op.values);
      }
      if (deletes.keys.length > 0 && (await this.columnsOf(table)) !== null) await session.deleteKeys(table, deletes.pk, deletes.keys);
      await this.writeRows(table, writes, 'upsert');
    } else {
      await this.writeRows(table, b.rows, 'insert');
      const keys = [...b.byKey.values()].filter((o): o is { kind: 'delete'; pk: readonly ColumnSpec[]; key: unknown[] } => o.kind === 'delete');
      if (keys.length > 0 && (await this.columnsOf(table)) !== null) await session.deleteKeys(table, keys[0].pk, keys.map((k) => k.key));
    }
  }

  private async columnsOf(table: string): Promise<string[] | null> {
    const known = this.tables.get(table);
    if (known !== undefined) return known;
    const cols = await this.session.tableColumns(table);
    if (cols !== null) this.tables.set(table, cols);
    return cols;
  }

  /** Writes rows grouped by shape, creating or evolving the table first. */
  private async writeRows(table: string, byShape: ReadonlyMap<RowShape, ShapeColumns>, mode: 'insert' | 'upsert'): Promise<void> {
    for (const [shape, cols] of byShape) {
      const tableColumns = await this.ensureTable(table, shape);
      await this.session.write(table, tableColumns, shape.columns, shape.pk, cols.data, cols.count, mode);
      this.written += cols.count;
    }
  }

  private async ensureTable(table: string, shape: RowShape): Promise<string[]> {
    let cols = await this.columnsOf(table);
    if (cols === null) {
      if (!this.s.autoCreate) throw new ConnectError('config', `Table "${table}" is missing and auto-creation is disabled (set auto.create=true)`);
      await this.session.createTable(table, shape.columns, shape.pk);
      cols = shape.columns.map((c) => c.name);
      this.tables.set(table, cols);
      return cols;
    }
    const have = new Set(cols.map((c) => c.toLowerCase()));
    const missing = shape.columns.filter((c) => !have.has(c.name.toLowerCase()));
    if (missing.length > 0) {
      if (!this.s.autoEvolve) throw new ConnectError('config', `Table "${table}" is missing columns ${missing.map((c) => c.name).join(', ')} and auto-evolution is disabled (set auto.evolve=true)`);
      await this.session.addColumns(table, missing.map((c) => ({ ...c, nullable: true })));
      cols = [...cols, ...missing.map((c) => c.name)];
      this.tables.set(table, cols);
    }
    return cols;
  }

  /**
   * Offsets the target already holds. The buffer is handed to a write only when none is in
   * flight, and not waited for: waiting here on the worker's commit interval (1 s) stalled the
   * stream behind each commit. The target's offsets are what a restart resumes from, so the
   * worker's copy may lag by a batch; a tail left buffered is written on the next commit.
   */
  async preCommit(): Promise<ReadonlyMap<string, bigint>> {
    if (!this.inFlight) await this.startWrite();
    return new Map(this.committed);
  }

  async close(): Promise<void> {
    // Buffered rows are dropped; they are re-read from the committed offsets.
  }

  async stop(): Promise<void> {
    await this.settle().catch(() => undefined);
    await this.session?.close();
  }
}
