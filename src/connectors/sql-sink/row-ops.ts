/**
 * Sink records to table operations: an upsert/insert of a row, a delete by key, or a truncate.
 * Understands plain rows (struct or schemaless object values), tombstones, and Debezium change
 * events with or without `ExtractNewRecordState` (`op=d` deletes by key, `op=t` truncates,
 * others write `after`). The row's columns and key columns come from the record schemas and
 * `pk.mode`/`pk.fields`, and are built once per schema.
 */
import type { SinkRecord } from '../api.ts';
import type { ConnectField, ConnectSchema } from '../data.ts';
import { Schemas, fieldOf, inferSchema } from '../data.ts';
import { ConnectError } from '../errors.ts';
import { kindOf, normalizerFor, type ColumnSpec, type Normalizer } from './columns.ts';
import type { SqlSinkSettings } from './sink-config.ts';

export interface RowShape {
  readonly columns: readonly ColumnSpec[];
  /** Where each column's value comes from: the row (by field name), the key, or the Kafka coordinates. */
  readonly sources: readonly ColumnSource[];
  readonly normalizers: readonly Normalizer[];
  /** Primary key column names, in order. */
  readonly pk: readonly string[];
  /** Index in `columns` of each pk column. */
  readonly pkIndexes: readonly number[];
}

type ColumnSource = { from: 'row'; field: string } | { from: 'key'; field: string | null } | { from: 'kafka'; what: 'topic' | 'partition' | 'offset' };

export type RowOp =
  | { readonly kind: 'write'; readonly table: string; readonly shape: RowShape; readonly values: unknown[] }
  | { readonly kind: 'delete'; readonly table: string; readonly pk: readonly ColumnSpec[]; readonly key: unknown[] }
  | { readonly kind: 'truncate'; readonly table: string };

/**
 * A row's key as a map key: the one value's text, or each value's text and a separator. A value
 * and its bigint give the same text, so rows decoded from their bytes (see wire-rows.ts) and
 * converted records meet under one key.
 */
export function keyOf(values: readonly unknown[]): string {
  if (values.length === 1) return keyText(values[0]);
  let s = '';
  for (const v of values) s += keyText(v) + '\u0001';
  return s;
}

function keyText(v: unknown): string {
  return typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('hex') : String(v);
}

export function tableNameFor(topic: string, format: string): string {
  return format.replace(/\$\{topic\}/g, topic);
}

const envelopeSchemas = new WeakMap<ConnectSchema, boolean>();

function isEnvelope(schema: ConnectSchema | null, value: unknown): boolean {
  if (value === null || typeof value !== 'object' || typeof (value as Record<string, unknown>).op !== 'string') return false;
  if (schema === null) return 'after' in (value as object) || 'before' in (value as object);
  let is = envelopeSchemas.get(schema);
  if (is === undefined) {
    is = fieldOf(schema, 'op') !== undefined && (fieldOf(schema, 'after') !== undefined || fieldOf(schema, 'before') !== undefined);
    envelopeSchemas.set(schema, is);
  }
  return is;
}

export class RowOpBuilder {
  private readonly shapes = new WeakMap<ConnectSchema, WeakMap<ConnectSchema | typeof noKey, RowShape>>();
  private readonly byStructure = new Map<string, RowShape>();
  private readonly deleteShapes = new WeakMap<ConnectSchema, { pk: ColumnSpec[]; normalizers: Normalizer[]; fields: (string | null)[] }>();

  private readonly tableNames = new Map<string, string>();

  constructor(private readonly s: SqlSinkSettings) {}

  /** The operation for a record, or null when it is skipped (a tombstone with deletes disabled). */
  build(r: SinkRecord): RowOp | null {
    let table = this.tableNames.get(r.topic);
    if (table === undefined) this.tableNames.set(r.topic, (table = tableNameFor(r.topic, this.s.tableNameFormat)));
    let rowSchema = r.valueSchema;
    let row = r.value;
    if (row === null || row === undefined) return this.s.deleteEnabled ? this.deleteOp(table, r, null) : null;
    if (isEnvelope(rowSchema, row)) {
      const env = row as Record<string, unknown>;
      const op = env.op as string;
      if (op === 't') return { kind: 'truncate', table };
      if (op === 'd') return this.s.deleteEnabled ? this.deleteOp(table, r, env.before as Record<string, unknown> | null) : null;
      rowSchema = rowSchema === null ? null : (fieldOf(rowSchema, 'after')?.schema ?? null);
      row = env.after;
      if (row === null || row === undefined) return null;
    }
    if (rowSchema === null) rowSchema = inferSchema(row, false);
    if (rowSchema === null || rowSchema.type !== 'struct' || typeof row !== 'object') {
      throw new ConnectError('data', `Sink connectors need struct (or JSON object) values; the record in ${r.topic}-${r.kafkaPartition} at offset ${r.kafkaOffset} has ${rowSchema?.type ?? typeof row}`);
    }
    const shape = this.shapeFor(rowSchema, r.keySchema ?? (r.key === null || r.key === undefined ? null : inferSchema(r.key, false)));
    const values = new Array(shape.columns.length);
    const rowObj = row as Record<string, unknown>;
    for (let i = 0; i < shape.sources.length; i++) {
      const src = shape.sources[i];
      let v: unknown;
      if (src.from === 'row') v = rowObj[src.field];
      else if (src.from === 'key') v = src.field === null ? r.key : (r.key as Record<string, unknown> | null)?.[src.field];
      else v = src.what === 'topic' ? r.topic : src.what === 'partition' ? r.kafkaPartition : r.kafkaOffset;
      values[i] = shape.normalizers[i](v);
    }
    for (const i of shape.pkIndexes) {
      if (values[i] === null || values[i] === undefined) throw new ConnectError('data', `primary key column '${shape.columns[i].name}' is null in the record at ${r.topic}-${r.kafkaPartition} offset ${r.kafkaOffset}`);
    }
    return { kind: 'write', table, shape, values };
  }

  private deleteOp(table: string, r: SinkRecord, before: Record<string, unknown> | null): RowOp {
    if (r.key === null || r.key === undefined) {
      if (before === null) throw new ConnectError('data', `cannot delete: the record at ${r.topic}-${r.kafkaPartition} offset ${r.kafkaOffset} has no key`);
    }
    const keySchema = r.keySchema ?? inferSchema(r.key, false) ?? Schemas.string();
    let d = this.deleteShapes.get(keySchema);
    if (d === undefined) {
      const pk: ColumnSpec[] = [];
      const normalizers: Normalizer[] = [];
      const fields: (string | null)[] = [];
      if (keySchema.type === 'struct') {
        for (const f of keySchema.fields ?? []) {
          if (this.s.pkFields.length > 0 && !this.s.pkFields.includes(f.name)) continue;
          pk.push({ name: f.name, ...kindOf(f.schema), nullable: false });
          normalizers.push(normalizerFor(f.schema));
          fields.push(f.name);
        }
      } else {
        pk.push({ name: this.s.pkFields[0] ?? '__connect_key', ...kindOf(keySchema), nullable: false });
        normalizers.push(normalizerFor(keySchema));
        fields.push(null);
      }
      d = { pk, normalizers, fields };
      this.deleteShapes.set(keySchema, d);
    }
    const source = r.key ?? before;
    const key = d.fields.map((f, i) => d.normalizers[i](f === null ? source : (source as Record<string, unknown>)[f]));
    return { kind: 'delete', table, pk: d.pk, key };
  }

  /** The row shape for a row schema and key schema (one object per distinct structure). */
  shapeFor(rowSchema: ConnectSchema, keySchema: ConnectSchema | null): RowShape {
    let byKey = this.shapes.get(rowSchema);
    if (byKey === undefined) this.shapes.set(rowSchema, (byKey = new WeakMap()));
    const k = keySchema ?? noKey;
    let shape = byKey.get(k);
    if (shape === undefined) {
      // Converters that rebuild schemas per record (JSON with schemas, schemaless) give equal
      // schemas as new objects: intern by structure so a batch groups into few shapes.
      const structural = JSON.stringify([rowSchema, keySchema]);
      shape = this.byStructure.get(structural);
      if (shape === undefined) {
        if (this.byStructure.size >= shapesMax) this.byStructure.clear();
        shape = buildShape(rowSchema, keySchema, this.s);
        this.byStructure.set(structural, shape);
      }
      byKey.set(k, shape);
    }
    return shape;
  }
}

const noKey = Schemas.struct('__no_key__', []);
/** Distinct row shapes kept by structure. */
const shapesMax = 1_000;

function buildShape(rowSchema: ConnectSchema, keySchema: ConnectSchema | null, s: SqlSinkSettings): RowShape {
  const columns: ColumnSpec[] = [];
  const sources: ColumnSource[] = [];
  const normalizers: Normalizer[] = [];
  const pk: string[] = [];
  const add = (name: string, schema: ConnectSchema, source: ColumnSource, isPk: boolean) => {
    columns.push({ name, ...kindOf(schema), nullable: !isPk && schema.optional });
    sources.push(source);
    normalizers.push(normalizerFor(schema));
    if (isPk) pk.push(name);
  };
  const rowFields = rowSchema.fields ?? [];
  switch (s.pkMode) {
    case 'kafka':
      add('__connect_topic', Schemas.string(), { from: 'kafka', what: 'topic' }, true);
      add('__connect_partition', Schemas.int32(), { from: 'kafka', what: 'partition' }, true);
      add('__connect_offset', Schemas.int64(), { from: 'kafka', what: 'offset' }, true);
      break;
    case 'record_key': {
      if (keySchema === null) throw new ConnectError('data', 'pk.mode=record_key needs record keys; this record has none');
      const keyFields: ConnectField[] =
        keySchema.type === 'struct'
          ? (keySchema.fields ?? []).filter((f) => s.pkFields.length === 0 || s.pkFields.includes(f.name))
          : [Schemas.field(s.pkFields[0] ?? '__connect_key', keySchema)];
      for (const f of keyFields) {
        // A key field the value also has is written from the value (same data, the row's type).
        if (rowFields.some((rf) => rf.name === f.name)) {
          pk.push(f.name);
          continue;
        }
        add(f.name, f.schema, { from: 'key', field: keySchema.type === 'struct' ? f.name : null }, true);
      }
      break;
    }
    case 'record_value':
      if (s.pkFields.length === 0) throw new ConnectError('config', 'pk.mode=record_value needs pk.fields');
      pk.push(...s.pkFields);
      break;
    case 'none':
      break;
    default: {
      const never: never = s.pkMode;
      throw new Error(String(never));
    }
  }
  for (const f of rowFields) add(f.name, f.schema, { from: 'row', field: f.name }, false);
  // pk columns from the row are NOT NULL.
  const pkSet = new Set(pk);
  const finalColumns = columns.map((c) => (pkSet.has(c.name) ? { ...c, nullable: false } : c));
  const pkIndexes = pk.map((name) => {
    const i = finalColumns.findIndex((c) => c.name === name);
    if (i < 0) throw new ConnectError('data', `primary key field '${name}' is not in the record`);
    return i;
  });
  return { columns: finalColumns, sources, normalizers, pk, pkIndexes };
}
