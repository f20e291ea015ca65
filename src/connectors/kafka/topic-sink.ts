/**
 * KafkaTopicSink: encodes result batches through the registry into a topic.
 *
 * - `append`: every row (+I) becomes a record; an update in an append-only sink is a plan
 *   error, reported with what to do about it.
 * - `upsert`: records are keyed by `keyColumns`; +I and +U write the row, -D writes a tombstone
 *   (null value). A -U followed by the +U of the same key is dropped (the +U replaces the row); a
 *   -U without one (a filter let the old row through but not the new) writes a tombstone, as
 *   Flink's upsert Kafka sink does.
 *
 * The value (and key) schema is the latest registered under `<topic>-value` (`<topic>-key`), so a
 * table's schema is decided by `CREATE TABLE` and the sink only follows it. A column named
 * `$rowtime` is written as the record timestamp instead of a field.
 *
 * Delivery: with `transactionalIdPrefix`, exactly-once (Flink's two-phase-commit Kafka sink):
 * everything written between two checkpoints goes out in one Kafka transaction; `preCommit(n)`
 * leaves it open (every write is already acknowledged, so there is nothing to flush) and names it
 * through `pendingTransaction()` so the runtime stores it with checkpoint n; `commit(n)` ends it
 * once that checkpoint is durable. Read_committed consumers see each checkpoint's output once.
 *
 * The transaction committed at checkpoint n uses transactional id `<prefix>-<n mod 2>`: after a
 * crash, the pre-committed transaction of the restored checkpoint (on one id) can be committed
 * while the one that was open after it (on the other id) is aborted by a new producer epoch.
 * With one id the two could not be told apart (same producer id and epoch). `restore` does this
 * before any write. Without a prefix, `write` returns once the broker acknowledged the records
 * (at-least-once).
 */
import type { Data, RecordBatch } from 'apache-arrow';
import { isTransactional } from '../../client/topic-client.ts';
import type { ProduceRecord, TopicClient, TransactionRef, TransactionalProducer, TransactionalTopicClient } from '../../client/topic-client.ts';
import { fromArrowSchema, readColumn, ROW_KIND_COLUMN, RowKind, scalarAt } from '../../operators/index.ts';
import type { Column, ColumnDef, Sink } from '../../operators/index.ts';
import { Serializer } from '../../schema-registry/index.ts';
import type { Encoder, RegistryClient, SchemaType } from '../../schema-registry/index.ts';
import { compileAvroEncoder, prepareColumn } from './arrow-avro-encoder.ts';
import type { CompiledAvroEncoder } from './arrow-avro-encoder.ts';
import { parseAvroModel } from './formats/avro-model.ts';
import type { AvroNode } from './formats/avro-model.ts';
import { toFormatValue } from './row-values.ts';

export interface TopicSinkOptions {
  readonly topics: TopicClient;
  readonly registry: RegistryClient;
  readonly topic: string;
  readonly changelogMode: 'append' | 'upsert';
  /** Columns written to the record key (its `<topic>-key` schema); empty: null keys. */
  readonly keyColumns?: readonly string[];
  /** Columns written to the value; default: every column not in the key. */
  readonly valueColumns?: readonly string[];
  /** Names for the batch's columns by position (an INSERT whose query names columns differently). */
  readonly renameColumns?: readonly string[];
  readonly name?: string;
  /** Exactly-once under transactional ids `<prefix>-0` and `<prefix>-1` (stable across restarts). */
  readonly transactionalIdPrefix?: string;
  /** Told when a restored transaction could not be committed (finished before, or timed out). */
  readonly onWarning?: (message: string) => void;
}

export class SinkError extends Error {}

/** Records produced per request at most. */
export const PRODUCE_RECORDS_MAX = 10_000;
/**
 * Encoded bytes produced per request at most: one request becomes one record batch per
 * partition, which must stay under the broker's max.message.bytes (1 MiB by default).
 */
export const PRODUCE_BYTES_MAX = 512 * 1024;

interface Part {
  readonly encoder: Encoder;
  readonly format: SchemaType;
  readonly columns: readonly string[];
  /** A single column whose schema is not a record is written bare. */
  readonly bare: boolean;
  /** The Avro writer schema, when the part is Avro: the compiled encoder is built from it. */
  readonly avro: AvroNode | null;
  /** Compiled Arrow -> Avro encoder (null: not covered, use `encoder`; undefined: not built yet). */
  compiled?: CompiledAvroEncoder | null;
}

export class KafkaTopicSink implements Sink {
  readonly name: string;
  /** Records produced so far (tombstones included). */
  recordsWritten = 0;
  private value: Promise<Part> | null = null;
  private key: Promise<Part | null> | null = null;
  /** Exactly-once: the producers of the two transactional ids, once `restore` made them. */
  private producers: Promise<TransactionalProducer[]> | null = null;
  /** The transaction open for the next checkpoint, if anything started it. */
  private open: TransactionalProducer | null = null;
  /** The last checkpoint whose transaction is committed (or restored). */
  private committedId = 0;

  constructor(private readonly options: TopicSinkOptions) {
    this.name = options.name ?? `KafkaTopicSink(${options.topic})`;
    if (options.transactionalIdPrefix !== undefined && !isTransactional(options.topics)) {
      throw new SinkError(`sink '${options.topic}' is exactly-once but its topic client cannot write transactions`);
    }
  }

  /**
   * Exactly-once: continues after checkpoint `checkpointId` (0: none). Commits the transaction
   * that checkpoint pre-committed, then starts new epochs on both transactional ids, which
   * fences any older producer and aborts what was written after the checkpoint.
   */
  restore(checkpointId: number, pending: TransactionRef | null): Promise<void> {
    const prefix = this.options.transactionalIdPrefix;
    if (prefix === undefined) return Promise.resolve();
    const topics = this.options.topics as TransactionalTopicClient;
    this.committedId = checkpointId;
    this.open = null;
    this.producers = (async () => {
      if (pending !== null && (await topics.commitPrepared(pending)) !== 'committed') {
        this.options.onWarning?.(`transaction '${pending.transactionalId}' of checkpoint ${checkpointId} was already completed (committed by an earlier recovery, or aborted by its timeout)`);
      }
      return Promise.all([0, 1].map((k) => topics.transactionalProducer(`${prefix}-${k}`)));
    })();
    return this.producers.then(() => undefined);
  }

  /** Exactly-once: the transaction pre-committed by the last `preCommit`, null when it wrote nothing. */
  pendingTransaction(): TransactionRef | null {
    const t = this.open;
    return t === null || !t.hasWrites ? null : { transactionalId: t.transactionalId, producerId: t.producerId, producerEpoch: t.producerEpoch };
  }

  async write(batch: RecordBatch): Promise<void> {
    const defs = fromArrowSchema(batch.schema);
    const kindIndex = defs.findIndex((d) => d.name === ROW_KIND_COLUMN);
    // Batch column index by (renamed) name; columns are read only where needed (the compiled
    // encoder reads Arrow buffers directly, strings are never decoded to JS strings).
    const index = new Map<string, number>();
    const rename = this.options.renameColumns;
    let pos = 0;
    defs.forEach((_def, i) => {
      if (i === kindIndex) return;
      index.set(rename?.[pos] ?? defs[i].name, i);
      pos++;
    });
    const cols: SinkColumns = { batch, defs, index, read: new Map() };
    const kinds = kindIndex < 0 ? null : (batch.data.children[kindIndex] as Data).values as Int8Array;
    const keyColumns = this.options.keyColumns ?? [];
    const valueColumns = this.options.valueColumns ?? [...index.keys()].filter((n) => !keyColumns.includes(n) && n !== '$rowtime');
    const value = await (this.value ??= this.part('value', valueColumns));
    const key = await (this.key ??= keyColumns.length === 0 ? Promise.resolve(null) : this.part('key', keyColumns));
    const rowtime = index.has('$rowtime') ? columnOf(cols, '$rowtime') : undefined;
    // Rows written, and whether each is a delete (a tombstone: key only).
    const n = batch.numRows;
    const rows = new Int32Array(n);
    let deletes: Uint8Array | null = null;
    let count = 0;
    for (let r = 0; r < n; r++) {
      const kind = kinds === null ? RowKind.INSERT : kinds[r];
      if (kind === RowKind.INSERT) { rows[count++] = r; continue; }
      if (this.options.changelogMode === 'append') {
        throw new SinkError(`table '${this.options.topic}' is append-only but the query produces updates and deletes; declare a PRIMARY KEY (…) NOT ENFORCED on the table to write them as an upsert changelog`);
      }
      // A -U is replaced by the +U right after it under the same key. A -U without one (a filter
      // dropped the new row) retracts the key's row: a tombstone, as Flink's upsert Kafka sink writes.
      if (kind === RowKind.UPDATE_BEFORE && r + 1 < n && kinds?.[r + 1] === RowKind.UPDATE_AFTER && sameKey(cols, keyColumns, r, r + 1)) continue;
      if (kind === RowKind.DELETE || kind === RowKind.UPDATE_BEFORE) (deletes ??= new Uint8Array(n))[count] = 1;
      rows[count++] = r;
    }
    const keyBytes = key === null ? null : encodePart(key, cols, rows, count, null);
    const valueBytes = encodePart(value, cols, rows, count, deletes);
    const records: ProduceRecord[] = [];
    let bytes = 0;
    for (let j = 0; j < count; j++) {
      const k = keyBytes === null ? null : keyBytes[j];
      const v = valueBytes[j];
      if (v === null && k === null) continue;
      const ts = rowtime === undefined ? undefined : scalarAt(rowtime, rows[j]);
      records.push(typeof ts === 'number' ? { key: k, value: v, timestamp: BigInt(Math.round(ts)) } : { key: k, value: v });
      bytes += (k?.length ?? 0) + (v?.length ?? 0) + 16;
      if (records.length >= PRODUCE_RECORDS_MAX || bytes >= PRODUCE_BYTES_MAX) {
        await this.flush(records);
        bytes = 0;
      }
    }
    await this.flush(records);
  }

  private async flush(records: ProduceRecord[]): Promise<void> {
    if (records.length === 0) return;
    const n = records.length;
    if (this.options.transactionalIdPrefix === undefined) await this.options.topics.produce(this.options.topic, records.splice(0));
    else await (await this.transaction()).produce(this.options.topic, records.splice(0));
    this.recordsWritten += n;
  }

  /** The open transaction, begun on the id of the checkpoint it will be committed with. */
  private async transaction(): Promise<TransactionalProducer> {
    if (this.open !== null) return this.open;
    if (this.producers === null) await this.restore(0, null);
    const producers = await (this.producers as Promise<TransactionalProducer[]>);
    const producer = producers[(this.committedId + 1) % 2];
    producer.begin();
    this.open = producer;
    return producer;
  }

  private async part(which: 'key' | 'value', columns: readonly string[]): Promise<Part> {
    const subject = `${this.options.topic}-${which}`;
    let latest;
    try {
      latest = await this.options.registry.getVersion(subject, 'latest');
    } catch (err) {
      throw new SinkError(`sink '${this.options.topic}' needs a schema under subject '${subject}': ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const serializer = new Serializer(this.options.registry, { schemaType: latest.schemaType, useLatestVersion: true, isKey: which === 'key' });
    const encoder = await serializer.forTopic(this.options.topic);
    const bare = columns.length === 1 && !isRecordSchema(latest.schemaType, latest.schema);
    let avro: AvroNode | null = null;
    if (latest.schemaType === 'AVRO' && !bare) {
      try {
        const refs = await Promise.all(latest.references.map(async (r) => JSON.parse((await this.options.registry.getVersion(r.subject, r.version)).schema) as unknown));
        avro = parseAvroModel(JSON.parse(latest.schema), refs);
      } catch {
        avro = null; // avsc still encodes it
      }
    }
    return { encoder, format: latest.schemaType, columns, bare, avro };
  }

  /** Every input ended (a bounded statement is done). */
  finished = false;

  finish(): Promise<void> {
    this.finished = true;
    return Promise.resolve();
  }

  onWatermark(): Promise<void> {
    return Promise.resolve();
  }
  preCommit(): Promise<void> {
    // Writes are acknowledged when `write` returns: the transaction holds everything already.
    return Promise.resolve();
  }

  async commit(checkpointId: number): Promise<void> {
    const t = this.open;
    this.open = null;
    this.committedId = checkpointId;
    if (t !== null) await t.commit();
  }
  /** Aborts a transaction still open (a statement cancelled between checkpoints). */
  async close(): Promise<void> {
    const t = this.open;
    this.open = null;
    if (t !== null) await t.abort();
  }
}

/** A batch's columns by sink name, converted to the in-memory layout on first use. */
interface SinkColumns {
  readonly batch: RecordBatch;
  readonly defs: readonly ColumnDef[];
  readonly index: ReadonlyMap<string, number>;
  readonly read: Map<string, Column>;
}

function sameKey(cols: SinkColumns, keyColumns: readonly string[], a: number, b: number): boolean {
  for (const name of keyColumns) {
    const c = columnOf(cols, name);
    if (c === undefined) continue;
    const x = scalarAt(c, a), y = scalarAt(c, b);
    if (x === y) continue;
    if (x instanceof Uint8Array && y instanceof Uint8Array && Buffer.compare(x, y) === 0) continue;
    return false;
  }
  return true;
}

function columnOf(cols: SinkColumns, name: string): Column | undefined {
  let c = cols.read.get(name);
  if (c !== undefined) return c;
  const i = cols.index.get(name);
  if (i === undefined) return undefined;
  c = readColumn(cols.batch.data.children[i] as Data, cols.defs[i].type);
  cols.read.set(name, c);
  return c;
}

/**
 * Encodes the part (key or value) of `rows[0..count)`: through the compiled Arrow -> Avro
 * encoder when the schema is covered, else row by row through the registry's encoder. Deleted
 * rows get null.
 */
function encodePart(part: Part, cols: SinkColumns, rows: Int32Array, count: number, deletes: Uint8Array | null): (Buffer | null)[] {
  const present = part.columns.filter((n) => cols.index.has(n));
  if (part.compiled === undefined) {
    const defs = present.map((n) => ({ name: n, type: cols.defs[cols.index.get(n) as number].type }));
    part.compiled = part.avro === null ? null : compileAvroEncoder(part.encoder.schemaId, part.avro, defs);
  }
  const compiled = part.compiled;
  if (compiled === null) {
    const out: (Buffer | null)[] = new Array(count);
    for (let j = 0; j < count; j++) out[j] = deletes !== null && deletes[j] === 1 ? null : encodeRow(part, cols, rows[j]);
    return out;
  }
  const prepared = present.map((n) => {
    const i = cols.index.get(n) as number;
    return prepareColumn(cols.batch.data.children[i] as Data, { name: n, type: cols.defs[i].type });
  });
  if (deletes === null) {
    compiled.encode(prepared, rows, count);
    return compiled.take();
  }
  const written = new Int32Array(count);
  let w = 0;
  for (let j = 0; j < count; j++) if (deletes[j] !== 1) written[w++] = rows[j];
  compiled.encode(prepared, written, w);
  const bufs = compiled.take();
  const out: (Buffer | null)[] = new Array(count);
  for (let j = 0, k = 0; j < count; j++) out[j] = deletes[j] === 1 ? null : bufs[k++];
  return out;
}

function encodeRow(part: Part, cols: SinkColumns, r: number): Buffer {
  const valueOf = (name: string, type: ColumnDef['type'] | undefined): unknown => {
    const c = columnOf(cols, name);
    return c === undefined || type === undefined ? null : toFormatValue(scalarAt(c, r), type, part.format);
  };
  const typeOf = (name: string) => {
    const i = cols.index.get(name);
    return i === undefined ? undefined : cols.defs[i].type;
  };
  if (part.bare) return part.encoder.encode(valueOf(part.columns[0], typeOf(part.columns[0])));
  const obj: Record<string, unknown> = {};
  for (const name of part.columns) obj[name] = valueOf(name, typeOf(name));
  return part.encoder.encode(obj);
}

function isRecordSchema(type: SchemaType, schema: string): boolean {
  if (type === 'PROTOBUF') return true;
  try {
    const j = JSON.parse(schema) as unknown;
    if (type === 'AVRO') return typeof j === 'object' && j !== null && !Array.isArray(j) && (j as { type?: unknown }).type === 'record';
    return typeof j === 'object' && j !== null && (j as { type?: unknown }).type === 'object';
  } catch {
    return false;
  }
}
