/**
 * Kafka's `org.apache.kafka.connect.transforms.ReplaceField$Value` / `$Key`: keep only `include`
 * fields (formerly `whitelist`), drop `exclude` fields (formerly `blacklist`), and rename with
 * `renames=old:new,...`.
 */
import type { ConnectorConfig, ConnectRecord, Transformation } from '../api.ts';
import { ConfigDef, parseOrThrow } from '../config-def.ts';
import { Schemas } from '../data.ts';
import { ConnectError } from '../errors.ts';
import { SchemaCache, isObject, isStruct, rebuildStruct, sideOf, withSide, type Side } from './struct-ops.ts';

export const replaceFieldConfig = new ConfigDef()
  .define({ name: 'include', type: 'list', default: [], importance: 'medium', doc: 'Fields to keep; all others are dropped.' })
  .define({ name: 'exclude', type: 'list', default: [], importance: 'medium', doc: 'Fields to drop.' })
  .define({ name: 'whitelist', type: 'list', default: [], importance: 'low', doc: 'Deprecated: use include.' })
  .define({ name: 'blacklist', type: 'list', default: [], importance: 'low', doc: 'Deprecated: use exclude.' })
  .define({
    name: 'renames',
    type: 'list',
    default: [],
    importance: 'medium',
    doc: 'Field rename mappings, old:new.',
    validator: (v) => (Array.isArray(v) && v.some((p) => !/^[^:]+:[^:]+$/.test(String(p))) ? 'Invalid rename mapping: expected old:new pairs' : null),
  });

export class ReplaceField implements Transformation {
  private include = new Set<string>();
  private exclude = new Set<string>();
  private renames = new Map<string, string>();
  private readonly schemas = new SchemaCache();
  constructor(private readonly side: Side) {}

  configure(config: ConnectorConfig): void {
    const v = parseOrThrow(replaceFieldConfig, config, `ReplaceField$${this.side === 'key' ? 'Key' : 'Value'}`);
    this.include = new Set([...v.getList('include'), ...v.getList('whitelist')]);
    this.exclude = new Set([...v.getList('exclude'), ...v.getList('blacklist')]);
    this.renames = new Map(v.getList('renames').map((p) => p.split(':') as [string, string]));
  }

  private keeps(name: string): boolean {
    return !this.exclude.has(name) && (this.include.size === 0 || this.include.has(name));
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const { schema, value } = sideOf(record, this.side);
    if (value === null || value === undefined) return record;
    const out: Record<string, unknown> = {};
    if (schema === null) {
      if (!isObject(value)) throw new ConnectError('data', 'ReplaceField: only structs and maps are supported');
      for (const [k, v] of Object.entries(value)) if (this.keeps(k)) out[this.renames.get(k) ?? k] = v;
      return withSide(record, this.side, null, out);
    }
    if (!isStruct(schema)) throw new ConnectError('data', `ReplaceField: only struct schemas are supported, got ${schema.type}`);
    const outSchema = this.schemas.get(schema, (s) =>
      rebuildStruct(
        s,
        (s.fields ?? []).filter((f) => this.keeps(f.name)).map((f) => Schemas.field(this.renames.get(f.name) ?? f.name, f.schema)),
      ),
    );
    const v = value as Record<string, unknown>;
    for (const f of schema.fields ?? []) if (this.keeps(f.name)) out[this.renames.get(f.name) ?? f.name] = v[f.name];
    return withSide(record, this.side, outSchema, out);
  }
}
