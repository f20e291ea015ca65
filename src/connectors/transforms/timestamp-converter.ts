/**
 * Kafka's `org.apache.kafka.connect.transforms.TimestampConverter$Value` / `$Key`: converts a
 * field (or the whole key/value when `field` is empty) between `string` (with `format`, a
 * SimpleDateFormat pattern), `unix` (number, `unix.precision`), `Date`, `Time` and `Timestamp`.
 * Debezium's MicroTimestamp/NanoTimestamp/Timestamp inputs are recognised by their schema names.
 */
import type { ConnectorConfig, ConnectRecord, Transformation } from '../api.ts';
import { ConfigDef, oneOf, parseOrThrow } from '../config-def.ts';
import type { ConnectSchema } from '../data.ts';
import { Schemas, SemanticTypes, toNumber } from '../data.ts';
import { ConnectError } from '../errors.ts';
import { formatDate, parseDate } from './simple-date-format.ts';
import { SchemaCache, isObject, isStruct, rebuildStruct, sideOf, withSide, type Side } from './struct-ops.ts';

export const timestampConverterConfig = new ConfigDef()
  .define({ name: 'field', type: 'string', default: '', importance: 'high', doc: 'The field containing the timestamp, or empty for the entire value.' })
  .define({ name: 'target.type', type: 'string', importance: 'high', doc: 'string, unix, Date, Time or Timestamp.', validator: oneOf('string', 'unix', 'Date', 'Time', 'Timestamp') })
  .define({ name: 'format', type: 'string', default: '', importance: 'medium', doc: 'SimpleDateFormat pattern for string input or output.' })
  .define({ name: 'unix.precision', type: 'string', default: 'milliseconds', importance: 'low', doc: 'seconds, milliseconds, microseconds or nanoseconds.', validator: oneOf('seconds', 'milliseconds', 'microseconds', 'nanoseconds') });

type Target = 'string' | 'unix' | 'Date' | 'Time' | 'Timestamp';
const unitsPerMs: Record<string, number> = { seconds: 1 / 1000, milliseconds: 1, microseconds: 1000, nanoseconds: 1_000_000 };
const msPerDay = 86_400_000;

export class TimestampConverter implements Transformation {
  private field = '';
  private target: Target = 'Timestamp';
  private format = '';
  private precision = 'milliseconds';
  private readonly schemas = new SchemaCache();
  constructor(private readonly side: Side) {}

  configure(config: ConnectorConfig): void {
    const v = parseOrThrow(timestampConverterConfig, config, 'TimestampConverter');
    this.field = v.getString('field');
    this.target = v.getString('target.type') as Target;
    this.format = v.getString('format');
    this.precision = v.getString('unix.precision');
    if (this.target === 'string' && this.format === '') throw new ConnectError('config', 'TimestampConverter requires format option to be specified when using string timestamps');
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const { schema, value } = sideOf(record, this.side);
    if (value === null || value === undefined) return record;
    if (this.field === '') return withSide(record, this.side, schema === null ? null : this.targetSchema(schema.optional), this.convert(schema, value));
    if (schema === null) {
      if (!isObject(value)) throw new ConnectError('data', 'TimestampConverter: only structs and maps are supported');
      return withSide(record, this.side, null, { ...value, [this.field]: value[this.field] == null ? null : this.convert(null, value[this.field]) });
    }
    if (!isStruct(schema)) throw new ConnectError('data', `TimestampConverter: field '${this.field}' needs a struct, got ${schema.type}`);
    const fieldSchema = schema.fields?.find((f) => f.name === this.field)?.schema ?? null;
    const outSchema = this.schemas.get(schema, (s) =>
      rebuildStruct(
        s,
        (s.fields ?? []).map((f) => (f.name === this.field ? Schemas.field(f.name, this.targetSchema(f.schema.optional)) : f)),
      ),
    );
    const v = value as Record<string, unknown>;
    const fv = v[this.field];
    return withSide(record, this.side, outSchema, { ...v, [this.field]: fv === null || fv === undefined ? null : this.convert(fieldSchema, fv) });
  }

  private targetSchema(optional: boolean): ConnectSchema {
    switch (this.target) {
      case 'string':
        return Schemas.string({ optional });
      case 'unix':
        return Schemas.int64({ optional });
      case 'Date':
        return Schemas.int32({ optional, name: SemanticTypes.Date, version: 1 });
      case 'Time':
        return Schemas.int32({ optional, name: SemanticTypes.Time, version: 1 });
      case 'Timestamp':
        return Schemas.timestamp({ optional });
      default: {
        const never: never = this.target;
        throw new Error(String(never));
      }
    }
  }

  /** Any input to epoch milliseconds, then to the target. */
  private convert(schema: ConnectSchema | null, value: unknown): unknown {
    const ms = this.toEpochMs(schema, value);
    switch (this.target) {
      case 'string':
        return formatDate(ms, this.format);
      case 'unix':
        return Math.floor(ms * unitsPerMs[this.precision]);
      case 'Date':
        return Math.floor(ms / msPerDay);
      case 'Time':
        return ((ms % msPerDay) + msPerDay) % msPerDay;
      case 'Timestamp':
        return ms;
      default: {
        const never: never = this.target;
        throw new Error(String(never));
      }
    }
  }

  private toEpochMs(schema: ConnectSchema | null, value: unknown): number {
    if (typeof value === 'string') {
      if (this.format === '') {
        const t = Date.parse(value);
        if (Number.isNaN(t)) throw new ConnectError('data', `TimestampConverter: could not parse '${value}' (set format)`);
        return t;
      }
      try {
        return parseDate(value, this.format);
      } catch (err) {
        throw new ConnectError('data', err instanceof Error ? err.message : String(err));
      }
    }
    if (value instanceof Date) return value.getTime();
    const n = toNumber(value);
    switch (schema?.name) {
      case SemanticTypes.Date:
      case SemanticTypes.DebeziumDate:
        return n * msPerDay;
      case SemanticTypes.Time:
      case SemanticTypes.Timestamp:
      case SemanticTypes.DebeziumTimestamp:
      case SemanticTypes.DebeziumTime:
        return n;
      case SemanticTypes.MicroTimestamp:
      case SemanticTypes.MicroTime:
        return Math.floor(n / 1000);
      case SemanticTypes.NanoTimestamp:
      case SemanticTypes.NanoTime:
        return Math.floor(n / 1_000_000);
      default:
        return n / unitsPerMs[this.precision];
    }
  }
}
