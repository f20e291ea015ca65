/**
 * The relational sink task shared by DuckDBSink and PostgresSink: buffers row operations from
 * `put`, and writes them (plus the consumed offsets) in one target transaction when `batch.size`
 * rows are buffered, `flush.interval.ms` has passed, or the worker commits. At start it reads
 * the offsets stored in the target and seeks there, so a crash between the target commit and the
 * worker's own offset commit neither loses nor doubles a row: exactly once in the target.
 *
 * A full batch is written in the background while `put` goes on filling the next one (one write
 * at a time, in order; a failed write fails every later `put` and commit), so the target's commit
 * and fsync overlap with fetching and converting. Rows buffered while a write is in flight go in
 * the next write, started as soon as that one ends (group commit: up to `groupLimit` batches).
 * The worker commits only what `preCommit` returns: the offsets the target already holds (it
 * starts a write of the buffer, or asks for one when the write in flight ends, without waiting).
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
import { keyOf, RowOpBuilder, tableNameFor, type RowOp, type RowShape } from './row-ops.ts';
import { compileWireRowDecoder, wirePlan, type WirePlan, type WireRowDecoder } from './wire-rows.ts';
import { sqlSinkSettings, type SqlSinkSettings } from './sink-config.ts';
import type { TargetSession, WireBuffer } from './target-session.ts';

type WriteOp = Extract<RowOp, { kind: 'write' }>;

/**
 * While a write is in flight, the buffer may grow to this many times `batch.size` before `put`
 * waits: a stream that outruns the target's commits gets larger transactions (DuckDB writes a
 * transaction of a full row group, 122,880 rows, straight to its file instead of through the WAL
 * and a later checkpoint: 10 commits of 50k rows cost it about twice one of 500k).
 */
const groupLimit = 4;

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
  /** Rows the target decoded from their bytes, by shape (upsert: keys distinct from `byKey`'s and each other's). */
  readonly wire: Map<RowShape, WireBuffer>;
}

function pushRow(byShape: Map<RowShape, ShapeColumns>, shape: RowShape, values: readonly unknown[]): void {
  let cols = byShape.get(shape);
  if (cols === undefined) byShape.set(shape, (cols = { data: shape.columns.map(() => []), count: 0 }));
  for (let i = 0; i < values.length; i++) cols.data[i].push(values[i]);
  cols.count++;
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
  /** Known table columns by table, null for a table known to be missing (cleared when a write fails). */
  private readonly tables = new Map<string, string[] | null>();
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
    // Look the tables up now, while nothing flows: inside the first write the lookup waited on a busy loop.
    for (const topic of new Set(partitions.map((tp) => tp.topic))) await this.columnsOf(tableNameFor(topic, this.s.tableNameFormat));
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    this.noteWirePosition();
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
    await this.afterPut();
  }

  /** Whether the buffer should be written now: `batch.size` rows, or the oldest waited `flush.interval.ms`. */
  private due(): boolean {
    return this.buffered >= this.s.batchSize || (this.buffered > 0 && Date.now() - this.firstBufferedAt >= this.s.flushIntervalMs);
  }

  /**
   * Starts a write when one is due and none is in flight. While one is in flight the buffer keeps
   * filling (the write starts from its end: group commit) up to `groupLimit` batches, where put waits.
   */
  private async afterPut(): Promise<void> {
    this.throwIfFailed();
    if (this.inFlight) {
      while (this.inFlight && this.buffered >= this.s.batchSize * groupLimit) await this.writing;
      this.throwIfFailed();
    }
    if (!this.inFlight && this.due()) this.startWrite();
    // The worker's loop reaches the event loop's I/O phase only when it runs dry, so a write in
    // flight would advance (begin, append, commit: each a callback from DuckDB's or pg's threads)
    // only when the next batch waits for it. Yielding once per put lets it overlap for real.
    if (this.inFlight) await setImmediate();
  }

  /**
   * Compiled wire decoders by value schema id (null: that schema takes the general path): the
   * target's own buffers when it has them (`plan`), else values decoded into `values`.
   */
  private readonly wireDecoders = new Map<number, { shape: RowShape; plan: WirePlan | null; decode: WireRowDecoder | null } | null>();
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
        if (this.session.wireBuffer !== undefined) {
          const plan = wirePlan(known.avro, known.schema, shape);
          if (plan !== null) d = { shape, plan, decode: null };
        } else {
          const decode = compileWireRowDecoder(known.avro, known.schema, shape);
          if (decode !== null) d = { shape, plan: null, decode };
        }
      }
      this.wireDecoders.set(id, d);
    }
    if (d === null) return false;
    const { shape } = d;
    if (d.plan !== null) {
      // The last record's buffer, while it is this batch's (records mostly come in runs of one schema and topic).
      let rows = id === this.wireLastId && topic === this.wireLastTopic && this.batches === this.wireLastBatches ? this.wireLastRows : null;
      let b = this.wireLastBatch!;
      if (rows === null) {
        b = this.batchOf(this.wireTable(topic));
        rows = b.wire.get(shape) ?? null;
        if (rows === null) b.wire.set(shape, (rows = this.session.wireBuffer!(d.plan, shape, this.s.insertMode === 'upsert', this.s.batchSize)));
        this.wireLastId = id;
        this.wireLastTopic = topic;
        this.wireLastBatches = this.batches;
        this.wireLastBatch = b;
        this.wireLastRows = rows;
      }
      if (!rows.add(value)) return false;
      if (this.s.insertMode === 'upsert' && b.wire.size > 1) {
        // The row replaces its key's row in the batch's other shapes (and any `byKey` change: see `applyTable`).
        const key = rows.lastKey;
        for (const other of b.wire.values()) if (other !== rows) other.drop(key);
      }
      if (this.buffered === 0) this.firstBufferedAt = Date.now();
      this.buffered++;
    } else {
      const table = this.wireTable(topic);
      const values = this.wireValues.length === shape.columns.length ? this.wireValues : (this.wireValues = new Array(shape.columns.length));
      if (!d.decode!(value, values)) return false;
      for (const i of shape.pkIndexes) if (values[i] === null) return false;
      if (this.s.insertMode === 'upsert') this.add({ kind: 'write', table, shape, values: values.slice() });
      else {
        if (this.buffered === 0) this.firstBufferedAt = Date.now();
        this.buffered++;
        pushRow(this.batchOf(table).rows, shape, values);
      }
    }
    if (topic !== this.wireTopic || partition !== this.wirePartition) {
      this.noteWirePosition();
      this.wireTopic = topic;
      this.wirePartition = partition;
      this.wireKey = `${topic}/${partition}`;
    }
    this.wireOffset = offset;
    return true;
  }

  private wireLastId = -1;
  private wireLastTopic = '';
  private wireLastBatches: Map<string, TableBatch> | null = null;
  private wireLastBatch: TableBatch | null = null;
  private wireLastRows: WireBuffer | null = null;
  /** The offset of the last wire record of `wireKey`'s partition not yet in `positions` (a bigint per record cost more than the decode). */
  private wireOffset: bigint | null = null;

  private wireTable(topic: string): string {
    let table = this.wireTables.get(topic);
    if (table === undefined) this.wireTables.set(topic, (table = tableNameFor(topic, this.s.tableNameFormat)));
    return table;
  }

  /** Moves the last wire record's position into `positions`. */
  private noteWirePosition(): void {
    if (this.wireOffset === null) return;
    this.positions.set(this.wireKey, this.wireOffset + 1n);
    this.wireOffset = null;
  }

  private batchOf(table: string): TableBatch {
    let b = this.batches.get(table);
    if (b === undefined) this.batches.set(table, (b = { byKey: new Map(), rows: new Map(), wire: new Map() }));
    return b;
  }

  private add(op: RowOp): void {
    if (this.buffered === 0) this.firstBufferedAt = Date.now();
    this.buffered++;
    const b = this.batchOf(op.table);
    if (op.kind === 'truncate') {
      this.batches.delete(op.table);
      this.wireLastRows = null;
      this.pendingTruncates.push(op.table);
      return;
    }
    if (this.s.insertMode === 'upsert') {
      const key = op.kind === 'write' ? keyOf(op.shape.pkIndexes.map((i) => op.values[i])) : keyOf(op.key);
      for (const rows of b.wire.values()) rows.drop(key);
      b.byKey.delete(key); // keep insertion order = last change order
      b.byKey.set(key, op.kind === 'write' ? op : { kind: 'delete', pk: op.pk, key: op.key });
      return;
    }
    if (op.kind === 'write') pushRow(b.rows, op.shape, op.values);
    else b.byKey.set(keyOf(op.key), { kind: 'delete', pk: op.pk, key: op.key });
  }

  private pendingTruncates: string[] = [];

  /** The write in progress, if any (it never rejects: a failure is kept in `failure`). */
  private writing: Promise<void> | null = null;
  /** Whether a write is in flight. */
  private inFlight = false;
  /** The failure of a write: every later put, flush and commit throws it (the task restarts from the target's offsets). */
  private failure: Error | null = null;

  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }

  /** Whether anything is buffered or a position moved past what the target holds. */
  private pending(): boolean {
    this.noteWirePosition();
    return this.buffered > 0 || [...this.positions].some(([k, v]) => this.committed.get(k) !== v);
  }

  /** Set when the worker asked for a commit while a write was in flight: the write after it takes the rest. */
  private commitWanted = false;

  /** Hands the buffer to a write (none may be in flight). When it ends, the next starts at once if one is due or a commit was asked for. */
  private startWrite(): void {
    this.commitWanted = false;
    if (!this.pending()) return;
    const batch = { batches: this.batches, truncates: this.pendingTruncates, positions: new Map(this.positions), records: this.buffered };
    this.batches = new Map();
    this.pendingTruncates = [];
    this.buffered = 0;
    this.inFlight = true;
    this.writing = this.write(batch).then(
      () => {
        this.inFlight = false;
        this.writing = null;
        if (this.due() || this.commitWanted) this.startWrite();
      },
      (err: unknown) => {
        this.inFlight = false;
        this.writing = null;
        this.failure = err instanceof Error ? err : new Error(String(err));
      },
    );
  }

  /** Waits until no write is in flight (including those started as one ended). */
  private async idle(): Promise<void> {
    while (this.writing !== null) await this.writing;
  }

  /** Writes everything buffered and waits until the target has it. */
  async flush(): Promise<void> {
    for (;;) {
      await this.idle();
      this.throwIfFailed();
      if (!this.pending()) return;
      this.startWrite();
    }
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
      // Last: a wire row still held for a key is the key's latest change (a later change on the
      // general path dropped it), and its write deletes the key's row before appending.
      await this.writeWire(table, b.wire, 'upsert');
    } else {
      await this.writeRows(table, b.rows, 'insert');
      await this.writeWire(table, b.wire, 'insert');
      const keys = [...b.byKey.values()].filter((o): o is { kind: 'delete'; pk: readonly ColumnSpec[]; key: unknown[] } => o.kind === 'delete');
      if (keys.length > 0 && (await this.columnsOf(table)) !== null) await session.deleteKeys(table, keys[0].pk, keys.map((k) => k.key));
    }
  }

  private async columnsOf(table: string): Promise<string[] | null> {
    const known = this.tables.get(table);
    if (known !== undefined) return known;
    const cols = await this.session.tableColumns(table);
    this.tables.set(table, cols);
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

  /** Writes rows the target decoded itself, creating or evolving the table first. */
  private async writeWire(table: string, byShape: ReadonlyMap<RowShape, WireBuffer>, mode: 'insert' | 'upsert'): Promise<void> {
    for (const [shape, rows] of byShape) {
      if (rows.rows === 0) continue;
      const tableColumns = await this.ensureTable(table, shape);
      await this.session.writeWire!(table, tableColumns, rows, mode);
      this.written += rows.rows;
    }
  }

  private async ensureTable(table: string, shape: RowShape): Promise<string[]> {
    let cols = await this.columnsOf(table);
    if (cols === null && !this.s.autoCreate) {
      // Known missing since the task started: it may have been made since.
      this.tables.delete(table);
      cols = await this.columnsOf(table);
    }
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
   * worker's copy may lag by a batch; a tail left buffered is written as the write in flight ends.
   */
  async preCommit(): Promise<ReadonlyMap<string, bigint>> {
    this.throwIfFailed();
    if (!this.inFlight) this.startWrite();
    else this.commitWanted = true;
    return new Map(this.committed);
  }

  async close(): Promise<void> {
    // Buffered rows are dropped; they are re-read from the committed offsets.
  }

  async stop(): Promise<void> {
    await this.idle();
    await this.session?.close();
  }
}
