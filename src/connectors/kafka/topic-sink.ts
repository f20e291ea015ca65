/**
 * KafkaTopicSink: encodes result batches through the registry into a topic.
 *
 * - `append`: every row (+I) becomes a record; an update in an append-only sink is a plan
 *   error, reported with what to do about it.
 * - `upsert`: records are keyed by `keyColumns`; +I and +U write the row, -D writes a tombstone
 *   (null value), -U is dropped (the +U that follows replaces the row under the same key).
 *
 * The value (and key) schema is the latest registered under `<topic>-value` (`<topic>-key`), so a
 * table's schema is decided by `CREATE TABLE` and the sink only follows it. A column named
 * `$rowtime` is written as the record timestamp instead of a field.
 *
 * Delivery is at-least-once in part 1: `write` returns once the broker acknowledged the records.
 */
import type { Data, RecordBatch } from 'apache-arrow';
import type { ProduceRecord, TopicClient } from '../../client/topic-client.ts';
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

  constructor(private readonly options: TopicSinkOptions) {
    this.name = options.name ?? `KafkaTopicSink(${options.topic})`;
  }

  async write(batch: RecordBatch): Promise<void> {
    const defs = fromArrowSchema(batch.schema);
    const kindIndex = defs.findIndex((d) => d.name === ROW_KIND_COLUMN);
    const cols = new Map<string, { def: ColumnDef; col: Column }>();
    const rename = this.options.renameColumns;
    let pos = 0;
    defs.forEach((def, i) => {
      if (i === kindIndex) return;
      const name = rename?.[pos] ?? def.name;
      pos++;
      cols.set(name, { def, col: readColumn(batch.data.children[i] as Data, def.type) });
    });
    const kinds = kindIndex < 0 ? null : (batch.data.children[kindIndex] as Data).values as Int8Array;
    const keyColumns = this.options.keyColumns ?? [];
    const valueColumns = this.options.valueColumns ?? [...cols.keys()].filter((n) => !keyColumns.includes(n) && n !== '$rowtime');
    const value = await (this.value ??= this.part('value', valueColumns));
    const key = await (this.key ??= keyColumns.length === 0 ? Promise.resolve(null) : this.part('key', keyColumns));
    const rowtime = cols.get('$rowtime')?.col;
    // Rows written, and whether each is a delete (a tombstone: key only).
    const rows: number[] = [];
    const deletes: boolean[] = [];
    for (let r = 0; r < batch.numRows; r++) {
      const kind = kinds === null ? RowKind.INSERT : kinds[r];
      if (this.options.changelogMode === 'append' && kind !== RowKind.INSERT) {
        throw new SinkError(`table '${this.options.topic}' is append-only but the query produces updates and deletes; declare a PRIMARY KEY (…) NOT ENFORCED on the table to write them as an upsert changelog`);
      }
      if (kind === RowKind.UPDATE_BEFORE) continue;
      rows.push(r);
      deletes.push(kind === RowKind.DELETE);
    }
    const keyBytes = key === null ? null : encodePart(key, cols, batch, defs, kindIndex, rows, null, this.options.renameColumns);
    const valueBytes = encodePart(value, cols, batch, defs, kindIndex, rows, deletes, this.options.renameColumns);
    const records: ProduceRecord[] = [];
    let bytes = 0;
    for (let j = 0; j < rows.length; j++) {
      const r = rows[j];
      const k = keyBytes === null ? null : keyBytes[j];
      const v = valueBytes[j];
      if (v === null && k === null) continue;
      const ts = rowtime === undefined ? undefined : scalarAt(rowtime, r);
      records.push({ key: k, value: v, ...(typeof ts === 'number' ? { timestamp: BigInt(Math.round(ts)) } : {}) });
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
    await this.options.topics.produce(this.options.topic, records.splice(0));
    this.recordsWritten += n;
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
    return Promise.resolve();
  }
  commit(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Encodes the part (key or value) of `rows`: through the compiled Arrow -> Avro encoder when
 * the schema is covered, else row by row through the registry's encoder. Deleted rows get null.
 */
function encodePart(part: Part, cols: ReadonlyMap<string, { def: ColumnDef; col: Column }>, batch: RecordBatch, defs: readonly ColumnDef[], kindIndex: number,
  rows: readonly number[], deletes: readonly boolean[] | null, rename: readonly string[] | undefined): (Buffer | null)[] {
  if (part.compiled === undefined) {
    const present = part.columns.filter((n) => cols.has(n)).map((n) => ({ name: n, type: (cols.get(n) as { def: ColumnDef }).def.type }));
    part.compiled = part.avro === null ? null : compileAvroEncoder(part.encoder.schemaId, part.avro, present);
  }
  const compiled = part.compiled;
  if (compiled === null) return rows.map((r, j) => (deletes?.[j] === true ? null : encodeRow(part, cols, r)));
  // Batch column index of each name (after renaming), skipping $row_kind.
  const index = new Map<string, number>();
  let pos = 0;
  defs.forEach((d, i) => {
    if (i === kindIndex) return;
    index.set(rename?.[pos] ?? d.name, i);
    pos++;
  });
  const present = part.columns.filter((n) => cols.has(n));
  const prepared = present.map((n) => {
    const i = index.get(n) as number;
    return prepareColumn(batch.data.children[i] as Data, { name: n, type: defs[i].type });
  });
  const out: (Buffer | null)[] = new Array(rows.length).fill(null);
  const written: number[] = [];
  rows.forEach((r, j) => {
    if (deletes?.[j] === true) return;
    compiled.encode(prepared, r);
    written.push(j);
  });
  const bufs = compiled.take();
  written.forEach((j, k) => {
    out[j] = bufs[k];
  });
  return out;
}

function encodeRow(part: Part, cols: ReadonlyMap<string, { def: ColumnDef; col: Column }>, r: number): Buffer {
  if (part.bare) {
    const c = cols.get(part.columns[0]);
    return part.encoder.encode(c === undefined ? null : toFormatValue(scalarAt(c.col, r), c.def.type, part.format));
  }
  const obj: Record<string, unknown> = {};
  for (const name of part.columns) {
    const c = cols.get(name);
    obj[name] = c === undefined ? null : toFormatValue(scalarAt(c.col, r), c.def.type, part.format);
  }
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
