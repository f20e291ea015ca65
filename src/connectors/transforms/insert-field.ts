/**
 * Kafka's `org.apache.kafka.connect.transforms.InsertField$Value` / `$Key`: adds the record's
 * topic, partition, offset, timestamp or a static value as fields. A field name ending in `!` is
 * required, in `?` (or nothing) optional.
 */
import type { ConnectorConfig, ConnectRecord, SinkRecord, Transformation } from '../api.ts';
import { ConfigDef, parseOrThrow } from '../config-def.ts';
import type { ConnectField, ConnectSchema } from '../data.ts';
import { Schemas } from '../data.ts';
import { ConnectError } from '../errors.ts';
import { SchemaCache, isObject, isStruct, rebuildStruct, sideOf, withSide, type Side } from './struct-ops.ts';

export const insertFieldConfig = new ConfigDef()
  .define({ name: 'topic.field', type: 'string', default: null, importance: 'medium', doc: 'Field name for the Kafka topic.' })
  .define({ name: 'partition.field', type: 'string', default: null, importance: 'medium', doc: 'Field name for the Kafka partition.' })
  .define({ name: 'offset.field', type: 'string', default: null, importance: 'medium', doc: 'Field name for the Kafka offset (sink connectors only).' })
  .define({ name: 'timestamp.field', type: 'string', default: null, importance: 'medium', doc: 'Field name for the record timestamp.' })
  .define({ name: 'static.field', type: 'string', default: null, importance: 'medium', doc: 'Field name for the static value.' })
  .define({ name: 'static.value', type: 'string', default: null, importance: 'medium', doc: 'Static field value.' });

interface Added {
  name: string;
  optional: boolean;
  kind: 'topic' | 'partition' | 'offset' | 'timestamp' | 'static';
}

export class InsertField implements Transformation {
  private added: Added[] = [];
  private staticValue: string | null = null;
  private readonly schemas = new SchemaCache();
  constructor(private readonly side: Side) {}

  configure(config: ConnectorConfig): void {
    const v = parseOrThrow(insertFieldConfig, config, `InsertField$${this.side === 'key' ? 'Key' : 'Value'}`);
    this.added = [];
    for (const kind of ['topic', 'partition', 'offset', 'timestamp', 'static'] as const) {
      const spec = v.getOptionalString(`${kind}.field`);
      if (spec === null) continue;
      const required = spec.endsWith('!');
      const name = spec.endsWith('!') || spec.endsWith('?') ? spec.slice(0, -1) : spec;
      this.added.push({ name, optional: !required, kind });
    }
    this.staticValue = v.getOptionalString('static.value');
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const { schema, value } = sideOf(record, this.side);
    if (value === null || value === undefined) return record;
    const values = this.added.map((a) => this.valueFor(a, record));
    if (schema === null) {
      if (!isObject(value)) throw new ConnectError('data', `InsertField: only structs and maps are supported, got ${typeof value}`);
      const out = { ...value };
      this.added.forEach((a, i) => (out[a.name] = values[i]));
      return withSide(record, this.side, null, out);
    }
    if (!isStruct(schema)) throw new ConnectError('data', `InsertField: only struct schemas are supported, got ${schema.type}`);
    const outSchema = this.schemas.get(schema, (s) => {
      const fields: ConnectField[] = [...(s.fields ?? []), ...this.added.map((a) => Schemas.field(a.name, this.schemaFor(a)))];
      return rebuildStruct(s, fields);
    });
    const out = { ...(value as Record<string, unknown>) };
    this.added.forEach((a, i) => (out[a.name] = values[i]));
    return withSide(record, this.side, outSchema, out);
  }

  private schemaFor(a: Added): ConnectSchema {
    const o = { optional: a.optional };
    switch (a.kind) {
      case 'topic':
      case 'static':
        return Schemas.string(o);
      case 'partition':
        return Schemas.int32(o);
      case 'offset':
        return Schemas.int64(o);
      case 'timestamp':
        return Schemas.timestamp(o);
      default: {
        const never: never = a.kind;
        throw new Error(String(never));
      }
    }
  }

  private valueFor(a: Added, record: ConnectRecord): unknown {
    switch (a.kind) {
      case 'topic':
        return record.topic;
      case 'partition':
        return record.kafkaPartition ?? null;
      case 'offset': {
        const off = (record as Partial<SinkRecord>).kafkaOffset;
        if (off === undefined && !a.optional) throw new ConnectError('data', 'InsertField: offset.field is only available to sink connectors');
        return off === undefined ? null : Number(off);
      }
      case 'timestamp':
        return record.timestamp ?? null;
      case 'static':
        return this.staticValue;
      default: {
        const never: never = a.kind;
        throw new Error(String(never));
      }
    }
  }
}
