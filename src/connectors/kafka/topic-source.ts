/**
 * KafkaTopicSource: reads every partition of a topic through a `TopicClient` and decodes records
 * straight into Arrow columns (key fields, value fields, `$rowtime` and other metadata).
 *
 * Watermarks: with a `watermark` spec, the event-time expression (a column, or the expression of
 * a computed column, compiled once) is evaluated over each batch and folded per partition: a
 * partition's watermark is the largest event time it has shown minus `delayMs`, the source's the
 * minimum over partitions (Flink generates watermarks per split inside the source for the same
 * reason: after partitions are merged, a partition that is behind makes the others' rows look
 * late). A partition that has caught up with its log end and shown no rows for `idleTimeoutMs`
 * stops holding the watermark back until it has rows again (`sql.tables.scan.idle-timeout`);
 * when every partition is idle the watermark does not move.
 *
 * Bounded mode stops at the end offsets captured on the first poll and then emits a final
 * watermark (+Infinity) and `end`: tests and benchmarks get a finite run over what was there.
 *
 * Offsets (`{ "<partition>": "<next offset>" }`) are what a checkpoint stores; `restoreOffsets`
 * before the first poll resumes right after them.
 *
 * Reads are read_committed by default (as Confluent Cloud's Flink reads topics): records of open
 * transactions wait until they commit, aborted ones never appear, and a bounded read ends at the
 * last stable offset seen on the first poll.
 *
 * @example
 *   const src = new KafkaTopicSource({ topics, registry, topic: 'bid', columns: [
 *     { name: 'price', type: T.bigint(false), from: 'value', field: 'price' },
 *     { name: '$rowtime', type: T.timestampLtz(3, false), from: 'timestamp' }], bounded: true });
 */
import { RecordBatch } from 'apache-arrow';
import type { IsolationLevel, TopicClient, KafkaRecord } from '../../client/topic-client.ts';
import { bindExpr, compileCalc, isTimestampKind, makeBatch, readInputs, ROW_KIND_COLUMN, RowKind, T } from '../../operators/index.ts';
import type { ColumnDef, CompiledCalc, PhysicalExpr, Source, SourceOffsets, StreamMessage, SqlType } from '../../operators/index.ts';
import type { RegistryClient } from '../../schema-registry/index.ts';
import { createBuilder, Int64Builder } from './arrow-builders.ts';
import type { ColumnBuilder } from './arrow-builders.ts';
import { RecordDecodeError, RecordPartDecoder } from './record-decoder.ts';

/** Where a source column comes from. */
export type SourceColumnOrigin =
  | { readonly from: 'value'; readonly field: string }
  | { readonly from: 'key'; readonly field: string }
  | { readonly from: 'timestamp' }
  | { readonly from: 'partition' }
  | { readonly from: 'offset' };

export type SourceColumn = { readonly name: string; readonly type: SqlType } & SourceColumnOrigin;

export interface TopicSourceOptions {
  readonly topics: TopicClient;
  readonly registry: RegistryClient;
  readonly topic: string;
  /** Output columns in order. */
  readonly columns: readonly SourceColumn[];
  /** Event time as an expression over `columns` (a TIMESTAMP), and the bounded delay. */
  readonly watermark?: { readonly expr: PhysicalExpr; readonly delayMs: number } | null;
  /** Idle partitions stop holding the watermark back after this long; null disables. */
  readonly idleTimeoutMs?: number | null;
  readonly bounded?: boolean;
  readonly startFrom?: 'earliest' | 'latest';
  /** Default read_committed. */
  readonly isolationLevel?: IsolationLevel;
  /** Rows per emitted batch at most. */
  readonly batchRowsMax?: number;
  /** Bytes asked for per partition fetch. */
  readonly fetchBytesMax?: number;
  readonly nowMs?: () => number;
  readonly name?: string;
  /**
   * Read the topic as an upsert changelog keyed by `keyColumns` (output column names): a
   * `$row_kind` column follows the others, +U for a record with a value and -D for a tombstone
   * (no value), whose key columns are decoded from the record key (a key column read from the
   * value takes the key's field of the same name) and whose other columns are NULL. Without
   * this, tombstones are skipped.
   */
  readonly deletes?: { readonly keyColumns: readonly string[] } | null;
}

export const BATCH_ROWS_MAX_DEFAULT = 8192;
export const FETCH_BYTES_MAX_DEFAULT = 1024 * 1024;
export const PARTITIONS_MAX = 4096;

interface PartitionState {
  readonly partition: number;
  next: bigint;
  /** The log end seen at the last fetch. */
  highWatermark: bigint;
  /** Bounded mode: stop here. */
  end: bigint | null;
  watermarkMs: number;
  lastActiveMs: number;
}

/** Live progress of a source, for statement status and metrics. */
export interface TopicSourceProgress {
  readonly topic: string;
  readonly partitions: readonly { partition: number; offset: string; highWatermark: string; lag: string; watermarkMs: number | null; idle: boolean }[];
  readonly rowsOut: number;
  readonly watermarkMs: number | null;
}

export class KafkaTopicSource implements Source {
  readonly name: string;
  readonly outputColumns: readonly ColumnDef[];
  /** With a watermark spec the source's watermarks are the ones a plan uses (see build-pipeline). */
  readonly emitsWatermarks: boolean;
  private readonly builders: ColumnBuilder[];
  private readonly eventTime: { readonly calc: CompiledCalc; readonly scale: number } | null;
  /** Rows of the batch being built, per partition: [partition index, from, to). */
  private segments: number[] = [];
  private readonly keyDecoder: RecordPartDecoder;
  private readonly valueDecoder: RecordPartDecoder;
  private readonly metaBuilders: { builder: ColumnBuilder; origin: 'timestamp' | 'partition' | 'offset' }[] = [];
  private parts: PartitionState[] | null = null;
  private restored: SourceOffsets | null = null;
  private cursor = 0;
  private rows = 0;
  private rowsOut = 0;
  private emittedWatermark = -Infinity;
  private ended = false;
  private readonly now: () => number;
  private readonly isolation: IsolationLevel;
  /** With `deletes`: the `$row_kind` builder, the decoder of key columns read from the value, the builders NULL in a -D row. */
  private readonly changelog: { readonly kinds: ColumnBuilder; readonly valueKeys: RecordPartDecoder; readonly nullOnDelete: readonly ColumnBuilder[] } | null;

  constructor(private readonly options: TopicSourceOptions) {
    this.name = options.name ?? `KafkaTopicSource(${options.topic})`;
    this.now = options.nowMs ?? Date.now;
    this.isolation = options.isolationLevel ?? 'read_committed';
    this.outputColumns = options.columns.map((c) => ({ name: c.name, type: c.type }));
    const cap = options.batchRowsMax ?? BATCH_ROWS_MAX_DEFAULT;
    const keyTargets = new Map<string, ColumnBuilder>();
    const valueTargets = new Map<string, ColumnBuilder>();
    const bind = (c: SourceColumn): ColumnBuilder => {
      const map = c.from === 'key' ? keyTargets : c.from === 'value' ? valueTargets : null;
      const existing = map !== null && c.from !== 'timestamp' && c.from !== 'partition' && c.from !== 'offset' ? map.get(c.field) : undefined;
      if (existing !== undefined) return existing;
      const b = createBuilder(c.type, cap + 1);
      if (c.from === 'key' || c.from === 'value') (c.from === 'key' ? keyTargets : valueTargets).set(c.field, b);
      else this.metaBuilders.push({ builder: b, origin: c.from });
      return b;
    };
    this.builders = options.columns.map(bind);
    const wm = options.watermark ?? null;
    if (wm !== null) {
      const bound = bindExpr(wm.expr, this.outputColumns.map((c) => c.type));
      if (!isTimestampKind(bound.type.kind)) throw new RecordDecodeError(`the watermark expression of ${this.name} must be a TIMESTAMP, got ${bound.type.kind}`);
      this.eventTime = { calc: compileCalc(null, [bound]), scale: precisionScale(bound.type) };
    } else this.eventTime = null;
    this.emitsWatermarks = this.eventTime !== null;
    this.keyDecoder = new RecordPartDecoder(options.registry, keyTargets);
    this.valueDecoder = new RecordPartDecoder(options.registry, valueTargets);
    this.changelog = options.deletes == null ? null : this.changelogReader(options.deletes.keyColumns, valueTargets, cap);
    if (this.changelog !== null) {
      // A -D row has NULL in the value's other columns, whatever they are declared: the types say
      // so, so expressions evaluated over the row before ChangelogNormalize look at the NULLs.
      const nulled = new Set(this.changelog.nullOnDelete);
      this.outputColumns = [
        ...this.outputColumns.map((c, i) => (nulled.has(this.builders[i]) && !c.type.nullable ? { name: c.name, type: { ...c.type, nullable: true } as SqlType } : c)),
        { name: ROW_KIND_COLUMN, type: T.tinyint(false) },
      ];
    }
  }

  private changelogReader(keyColumns: readonly string[], valueTargets: ReadonlyMap<string, ColumnBuilder>, cap: number): NonNullable<KafkaTopicSource['changelog']> {
    if (keyColumns.length === 0) throw new RecordDecodeError(`${this.name}: reading deletes needs the primary key columns`);
    const valueKeys = new Map<string, ColumnBuilder>();
    for (const name of keyColumns) {
      const i = this.options.columns.findIndex((c) => c.name === name);
      if (i < 0) throw new RecordDecodeError(`${this.name}: primary key column '${name}' is not among the columns read`);
      const c = this.options.columns[i];
      if (c.from === 'value') valueKeys.set(name, this.builders[i]);
      else if (c.from !== 'key') throw new RecordDecodeError(`${this.name}: primary key column '${name}' comes from the record's ${c.from}, not its key or value`);
    }
    const keyBuilders = new Set(valueKeys.values());
    const kinds = createBuilder(T.tinyint(false), cap + 1);
    this.builders.push(kinds);
    return { kinds, valueKeys: new RecordPartDecoder(this.options.registry, valueKeys), nullOnDelete: [...valueTargets.values()].filter((b) => !keyBuilders.has(b)) };
  }

  async poll(messagesMax: number): Promise<StreamMessage[]> {
    if (this.ended || messagesMax <= 0) return [];
    const parts = await this.init();
    const out: StreamMessage[] = [];
    const rowsMax = this.options.batchRowsMax ?? BATCH_ROWS_MAX_DEFAULT;
    const now = this.now();
    for (let k = 0; k < parts.length && this.rows < rowsMax; k++) {
      const pi = this.cursor;
      const p = parts[pi];
      this.cursor = (this.cursor + 1) % parts.length;
      if (p.end !== null && p.next >= p.end) continue;
      const res = await this.options.topics.fetch(this.options.topic, p.partition, p.next, { maxBytes: this.options.fetchBytesMax ?? FETCH_BYTES_MAX_DEFAULT, isolationLevel: this.isolation });
      // What this source can read: the LSO for read_committed (lag and idleness count from it).
      p.highWatermark = this.isolation === 'read_committed' ? res.lastStableOffset : res.highWatermark;
      if (res.logStartOffset > p.next) p.next = res.logStartOffset;
      const first = this.rows;
      for (const r of res.records) {
        if (p.end !== null && r.offset >= p.end) break;
        // Synchronous per record; the await happens only for a schema id seen the first time.
        if (!this.append(r, p.partition)) {
          await this.prepareFor(r, p.partition);
          this.append(r, p.partition);
        }
        p.next = r.offset + 1n;
      }
      // Past markers and aborted batches that returned no record (never past a bounded end).
      const skipTo = p.end !== null && res.nextOffset > p.end ? p.end : res.nextOffset;
      if (skipTo > p.next) p.next = skipTo;
      if (this.rows > first) {
        p.lastActiveMs = now;
        this.segments.push(pi, first, this.rows);
      }
    }
    if (this.rows > 0) {
      const batch = this.flush();
      if (this.eventTime !== null) this.observe(parts, batch);
      out.push({ kind: 'batch', batch });
    }
    this.segments.length = 0;
    const wm = this.combined(parts, now);
    if (wm !== null && wm > this.emittedWatermark) {
      this.emittedWatermark = wm;
      out.push({ kind: 'watermark', timestampMs: wm });
    }
    if (parts.every((p) => p.end !== null && p.next >= p.end)) {
      this.ended = true;
      if (this.emittedWatermark < Infinity) out.push({ kind: 'watermark', timestampMs: Infinity });
      out.push({ kind: 'end' });
    }
    return out;
  }

  offsets(): SourceOffsets {
    if (this.parts === null) return this.restored ?? {};
    return Object.fromEntries(this.parts.map((p) => [String(p.partition), p.next.toString()]));
  }

  restoreOffsets(offsets: SourceOffsets): void {
    this.restored = offsets;
    if (this.parts !== null) for (const p of this.parts) {
      const o = offsets[String(p.partition)];
      if (o !== undefined) p.next = BigInt(o);
    }
  }

  progress(): TopicSourceProgress {
    const now = this.now();
    const parts = this.parts ?? [];
    const wm = this.combined(parts, now);
    return {
      topic: this.options.topic,
      partitions: parts.map((p) => ({
        partition: p.partition,
        offset: p.next.toString(),
        highWatermark: p.highWatermark.toString(),
        lag: (p.highWatermark > p.next ? p.highWatermark - p.next : 0n).toString(),
        watermarkMs: Number.isFinite(p.watermarkMs) ? p.watermarkMs : null,
        idle: this.isIdle(p, now),
      })),
      rowsOut: this.rowsOut,
      watermarkMs: wm !== null && Number.isFinite(wm) ? wm : this.emittedWatermark > -Infinity && Number.isFinite(this.emittedWatermark) ? this.emittedWatermark : null,
    };
  }

  async close(): Promise<void> {
    this.ended = true;
  }

  private async init(): Promise<PartitionState[]> {
    if (this.parts !== null) return this.parts;
    const { topics, topic } = this.options;
    const n = await topics.partitionCount(topic);
    if (n === null) throw new RecordDecodeError(`topic '${topic}' does not exist`);
    if (n > PARTITIONS_MAX) throw new RecordDecodeError(`topic '${topic}' has ${n} partitions, more than ${PARTITIONS_MAX}`);
    const now = this.now();
    const parts: PartitionState[] = [];
    for (let partition = 0; partition < n; partition++) {
      const o = await topics.offsets(topic, partition, this.isolation);
      const restored = this.restored?.[String(partition)];
      const next = restored !== undefined ? BigInt(restored) : this.options.startFrom === 'latest' ? o.end : o.start;
      parts.push({ partition, next, highWatermark: o.end, end: this.options.bounded === true ? o.end : null, watermarkMs: -Infinity, lastActiveMs: now });
    }
    this.parts = parts;
    return parts;
  }

  /**
   * Appends one record's row; false (and nothing appended) when a decoder for its schema id is
   * not compiled yet.
   */
  private append(r: KafkaRecord, partition: number): boolean {
    const value = r.value;
    // A tombstone carries no row of an append table; of an upsert changelog, a delete of its key.
    if (value === null) return this.changelog === null || r.key === null ? true : this.appendDelete(r, r.key, partition);
    const key = r.key;
    const decodeValue = this.valueDecoder.empty ? null : this.valueDecoder.ready(value);
    const decodeKey = this.keyDecoder.empty || key === null ? null : this.keyDecoder.ready(key);
    if (decodeValue === undefined || decodeKey === undefined) return false;
    if (decodeValue !== null) this.guard(decodeValue, value, r, partition);
    if (!this.keyDecoder.empty) {
      if (key === null || decodeKey === null) this.keyDecoder.nulls();
      else this.guard(decodeKey, key, r, partition);
    }
    this.appendMeta(r, partition);
    this.changelog?.kinds.appendJs(RowKind.UPDATE_AFTER);
    this.rows++;
    return true;
  }

  /** A tombstone as a -D row: key columns from the record key, NULL value columns. */
  private appendDelete(r: KafkaRecord, key: Buffer, partition: number): boolean {
    const c = this.changelog as NonNullable<KafkaTopicSource['changelog']>;
    const decodeKey = this.keyDecoder.empty ? null : this.keyDecoder.ready(key);
    const decodeValueKeys = c.valueKeys.empty ? null : c.valueKeys.ready(key);
    if (decodeKey === undefined || decodeValueKeys === undefined) return false;
    if (decodeKey !== null) this.guard(decodeKey, key, r, partition);
    if (decodeValueKeys !== null) this.guard(decodeValueKeys, key, r, partition);
    for (const b of c.nullOnDelete) b.nul();
    this.appendMeta(r, partition);
    c.kinds.appendJs(RowKind.DELETE);
    this.rows++;
    return true;
  }

  private appendMeta(r: KafkaRecord, partition: number): void {
    for (const m of this.metaBuilders) {
      const b = m.builder;
      const v = m.origin === 'timestamp' ? Number(r.timestamp) : m.origin === 'partition' ? partition : Number(r.offset);
      if (b instanceof Int64Builder) b.i64(v);
      else b.appendJs(v);
    }
  }

  private async prepareFor(r: KafkaRecord, partition: number): Promise<void> {
    if (r.value !== null && !this.valueDecoder.empty) await this.prepare(this.valueDecoder, r.value, r, partition);
    if (r.key !== null && !this.keyDecoder.empty) await this.prepare(this.keyDecoder, r.key, r, partition);
    if (r.value === null && r.key !== null && this.changelog !== null && !this.changelog.valueKeys.empty) await this.prepare(this.changelog.valueKeys, r.key, r, partition);
  }

  private async prepare(d: RecordPartDecoder, buf: Buffer, r: KafkaRecord, partition: number) {
    try {
      return await d.prepare(buf);
    } catch (err) {
      throw this.decodeError(err, r, partition);
    }
  }

  private guard(decode: (buf: Buffer) => void, buf: Buffer, r: KafkaRecord, partition: number): void {
    try {
      decode(buf);
    } catch (err) {
      throw this.decodeError(err, r, partition);
    }
  }

  private decodeError(err: unknown, r: KafkaRecord, partition: number): RecordDecodeError {
    const msg = err instanceof Error ? err.message : String(err);
    return new RecordDecodeError(`cannot decode the record at ${this.options.topic}/${partition}@${r.offset}: ${msg}`, { cause: err });
  }

  private flush(): RecordBatch {
    const n = this.rows;
    const data = this.builders.map((b) => b.finish());
    this.rows = 0;
    this.rowsOut += n;
    return makeBatch(this.outputColumns, data, n);
  }

  /** Evaluates the event-time expression over the batch and advances each partition's watermark. */
  private observe(parts: readonly PartitionState[], batch: RecordBatch): void {
    const { calc, scale } = this.eventTime as NonNullable<KafkaTopicSource['eventTime']>;
    const col = calc.run(readInputs(batch, this.outputColumns.map((c) => c.type), calc.inputsUsed), batch.numRows).columns[0];
    const values = col.values as Float64Array;
    const nulls = col.nulls;
    const delay = this.options.watermark?.delayMs ?? 0;
    const seg = this.segments;
    for (let s = 0; s < seg.length; s += 3) {
      const p = parts[seg[s]];
      let max = p.watermarkMs + delay;
      for (let i = seg[s + 1]; i < seg[s + 2]; i++) {
        if (nulls !== null && nulls[i] === 1) continue;
        const v = values[i] / scale;
        if (v > max) max = v;
      }
      const wm = max - delay;
      if (wm > p.watermarkMs) p.watermarkMs = wm;
    }
  }

  private isIdle(p: PartitionState, now: number): boolean {
    const timeout = this.options.idleTimeoutMs ?? null;
    if (timeout === null) return false;
    return p.next >= p.highWatermark && now - p.lastActiveMs >= timeout;
  }

  private combined(parts: readonly PartitionState[], now: number): number | null {
    if (this.eventTime === null) return null;
    let min = Infinity;
    let active = 0;
    for (const p of parts) {
      if (p.end !== null && p.next >= p.end) continue; // a finished partition of a bounded read
      if (this.isIdle(p, now)) continue;
      active++;
      if (p.watermarkMs < min) min = p.watermarkMs;
    }
    if (active === 0) {
      // Everything finished or idle: the largest watermark seen is safe to hold.
      return null;
    }
    return min === -Infinity ? null : min;
  }
}

function precisionScale(t: SqlType): number {
  if (t.kind !== 'TIMESTAMP' && t.kind !== 'TIMESTAMP_LTZ') return 1;
  return t.precision <= 3 ? 1 : t.precision <= 6 ? 1000 : 1_000_000;
}
