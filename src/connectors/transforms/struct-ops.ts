/**
 * Helpers the transforms share: reading the key or value side of a record, and rebuilding a
 * struct schema and value with fields added, dropped or renamed. Schemas are cached per input
 * schema object so a transform builds its output schema once, not per record.
 */
import type { ConnectRecord } from '../api.ts';
import type { ConnectField, ConnectSchema } from '../data.ts';
import { Schemas } from '../data.ts';

export type Side = 'key' | 'value';

export function sideOf<R extends ConnectRecord>(r: R, side: Side): { schema: ConnectSchema | null; value: unknown } {
  return side === 'key' ? { schema: r.keySchema, value: r.key } : { schema: r.valueSchema, value: r.value };
}

export function withSide<R extends ConnectRecord>(r: R, side: Side, schema: ConnectSchema | null, value: unknown): R {
  return side === 'key' ? { ...r, keySchema: schema, key: value } : { ...r, valueSchema: schema, value };
}

/** Memoizes a schema rewrite by input schema identity. */
export class SchemaCache {
  private readonly cache = new WeakMap<ConnectSchema, ConnectSchema>();
  get(input: ConnectSchema, build: (s: ConnectSchema) => ConnectSchema): ConnectSchema {
    let out = this.cache.get(input);
    if (out === undefined) {
      out = build(input);
      this.cache.set(input, out);
    }
    return out;
  }
}

export function rebuildStruct(schema: ConnectSchema, fields: readonly ConnectField[]): ConnectSchema {
  return Schemas.struct(schema.name, fields, { optional: schema.optional, version: schema.version, doc: schema.doc, parameters: schema.parameters as Record<string, string> | undefined });
}

export function isStruct(schema: ConnectSchema | null): boolean {
  return schema !== null && schema.type === 'struct';
}

/** A plain object (struct value or schemaless map)? */
export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v) && !(v instanceof Map);
}
