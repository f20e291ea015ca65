/**
 * Debezium's `io.debezium.transforms.ExtractNewRecordState`: flattens a change event envelope
 * (`before`, `after`, `source`, `op`, `ts_ms`) to the row state after the change, so sinks that
 * expect plain rows can consume CDC topics.
 *
 * Options (Debezium's names): `drop.tombstones` (true), `delete.handling.mode` (drop | none |
 * rewrite; default drop), its successor `delete.tombstone.handling.mode` (drop | tombstone |
 * rewrite | rewrite-with-tombstone), `add.fields` (e.g. `op,table,lsn,source.ts_ms` → `__op`,
 * `__table`, `__lsn`, `__source_ts_ms`), `add.fields.prefix` (`__`), `add.headers`,
 * `add.headers.prefix` (`__`). Records that are not envelopes (heartbeats, schema changes) pass
 * through unchanged.
 */
import type { ConnectHeader, ConnectorConfig, ConnectRecord, Transformation } from '../api.ts';
import { ConfigDef, oneOf, parseOrThrow } from '../config-def.ts';
import type { ConnectField, ConnectSchema } from '../data.ts';
import { Schemas, fieldOf } from '../data.ts';
import { SchemaCache, isObject, rebuildStruct } from './struct-ops.ts';

export const extractNewRecordStateConfig = new ConfigDef()
  .define({ name: 'drop.tombstones', type: 'boolean', default: true, importance: 'low', doc: 'Drop tombstone records (deprecated by delete.tombstone.handling.mode).' })
  .define({ name: 'delete.handling.mode', type: 'string', default: 'drop', importance: 'medium', doc: 'drop, none or rewrite delete events.', validator: oneOf('drop', 'none', 'rewrite') })
  .define({ name: 'delete.tombstone.handling.mode', type: 'string', default: null, importance: 'medium', doc: 'drop, tombstone, rewrite or rewrite-with-tombstone.', validator: oneOf('drop', 'tombstone', 'rewrite', 'rewrite-with-tombstone') })
  .define({ name: 'add.fields', type: 'list', default: [], importance: 'low', doc: 'Envelope or source fields to add to the row, e.g. op,table,source.ts_ms.' })
  .define({ name: 'add.fields.prefix', type: 'string', default: '__', importance: 'low', doc: 'Prefix of added fields.' })
  .define({ name: 'add.headers', type: 'list', default: [], importance: 'low', doc: 'Envelope or source fields to add as headers.' })
  .define({ name: 'add.headers.prefix', type: 'string', default: '__', importance: 'low', doc: 'Prefix of added headers.' });

type DeleteMode = 'drop' | 'tombstone' | 'rewrite' | 'rewrite-with-tombstone';

export class ExtractNewRecordState implements Transformation {
  private deleteMode: DeleteMode = 'drop';
  private dropTombstones = true;
  private addFields: string[] = [];
  private fieldPrefix = '__';
  private addHeaders: string[] = [];
  private headerPrefix = '__';
  private readonly schemas = new SchemaCache();

  configure(config: ConnectorConfig): void {
    const v = parseOrThrow(extractNewRecordStateConfig, config, 'ExtractNewRecordState');
    const modern = v.getOptionalString('delete.tombstone.handling.mode');
    if (modern !== null) {
      this.deleteMode = modern as DeleteMode;
      this.dropTombstones = modern !== 'tombstone' && modern !== 'rewrite-with-tombstone';
    } else {
      const legacy = v.getString('delete.handling.mode');
      this.deleteMode = legacy === 'none' ? 'tombstone' : (legacy as DeleteMode);
      this.dropTombstones = v.getBoolean('drop.tombstones');
    }
    this.addFields = v.getList('add.fields');
    this.fieldPrefix = v.getString('add.fields.prefix');
    this.addHeaders = v.getList('add.headers');
    this.headerPrefix = v.getString('add.headers.prefix');
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    if (record.value === null || record.value === undefined) return this.dropTombstones ? null : record;
    if (!isEnvelope(record.valueSchema, record.value)) return record;
    const env = record.value as Record<string, unknown>;
    const op = env.op as string;
    const headers = this.headers(record, env);
    const rewrite = this.deleteMode === 'rewrite' || this.deleteMode === 'rewrite-with-tombstone';
    if (op === 'd') {
      if (this.deleteMode === 'drop') return null;
      if (this.deleteMode === 'tombstone') return { ...record, valueSchema: null, value: null, headers };
      return { ...this.row(record, env, 'before', true), headers };
    }
    return { ...this.row(record, env, 'after', rewrite ? false : null), headers };
  }

  /** The `before` or `after` struct plus added fields; `deleted` adds `__deleted` when not null. */
  private row<R extends ConnectRecord>(record: R, env: Record<string, unknown>, side: 'before' | 'after', deleted: boolean | null): R {
    const envSchema = record.valueSchema;
    const rowSchema = envSchema === null ? null : (fieldOf(envSchema, side)?.schema ?? null);
    const row = isObject(env[side]) ? { ...(env[side] as Record<string, unknown>) } : {};
    const extra: { name: string; schema: ConnectSchema; value: unknown }[] = [];
    for (const f of this.addFields) extra.push({ name: this.fieldPrefix + f.replace(/\./g, '_'), schema: Schemas.optional(schemaOfPath(envSchema, f)), value: valueAt(env, f) });
    if (deleted !== null) extra.push({ name: `${this.fieldPrefix}deleted`, schema: Schemas.string({ optional: true }), value: String(deleted) });
    for (const e of extra) row[e.name] = e.value;
    if (rowSchema === null) return { ...record, valueSchema: null, value: row };
    const outSchema = this.schemas.get(rowSchema, (s) => {
      const fields: ConnectField[] = [...(s.fields ?? []), ...extra.map((e) => Schemas.field(e.name, e.schema))];
      return rebuildStruct({ ...s, optional: false }, fields);
    });
    return { ...record, valueSchema: outSchema, value: row };
  }

  private headers<R extends ConnectRecord>(record: R, env: Record<string, unknown>): readonly ConnectHeader[] | undefined {
    if (this.addHeaders.length === 0) return record.headers;
    const added = this.addHeaders.map((f) => {
      const v = valueAt(env, f);
      return { key: this.headerPrefix + f.replace(/\./g, '_'), value: v === null || v === undefined ? null : String(v) };
    });
    return [...(record.headers ?? []), ...added];
  }
}

/** A Debezium envelope: a struct with `op` and `after`/`before`, or a schemaless object with `op`. */
function isEnvelope(schema: ConnectSchema | null, value: unknown): boolean {
  if (!isObject(value) || typeof value.op !== 'string') return false;
  if (schema === null) return 'after' in value || 'before' in value;
  return schema.type === 'struct' && fieldOf(schema, 'op') !== undefined && (fieldOf(schema, 'after') !== undefined || fieldOf(schema, 'before') !== undefined);
}

/** `op`, `ts_ms` (envelope) or `source.lsn`; a bare name not in the envelope is read from `source`. */
function valueAt(env: Record<string, unknown>, path: string): unknown {
  const parts = path.split('.');
  if (parts.length === 1 && !(path in env) && isObject(env.source)) return (env.source as Record<string, unknown>)[path] ?? null;
  let v: unknown = env;
  for (const p of parts) v = isObject(v) ? v[p] : undefined;
  return v ?? null;
}

function schemaOfPath(envSchema: ConnectSchema | null, path: string): ConnectSchema {
  if (envSchema === null) return Schemas.string({ optional: true });
  const parts = path.split('.');
  if (parts.length === 1 && fieldOf(envSchema, path) === undefined) parts.unshift('source');
  let s: ConnectSchema | undefined = envSchema;
  for (const p of parts) s = s === undefined ? undefined : fieldOf(s, p)?.schema;
  return s ?? Schemas.string({ optional: true });
}
