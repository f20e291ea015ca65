/**
 * SQL type <-> Arrow type mapping, both ways.
 *
 * Representation choices (and why):
 * - TIMESTAMP(p) / TIMESTAMP_LTZ(p): Arrow Timestamp with the unit that holds p digits
 *   (p <= 3 millisecond, p <= 6 microsecond, else nanosecond). TIMESTAMP has no time zone
 *   (wall-clock, Arrow's "naive" timestamp); TIMESTAMP_LTZ is an instant, so it carries 'UTC'.
 * - DECIMAL(p, s): Arrow Decimal128 with the same precision and scale. Flink allows p <= 38,
 *   exactly what 128 bits hold, and every Arrow consumer (DuckDB, Parquet) reads it exactly.
 *   In memory the operators use scaled `bigint`s (see column.ts), which keep arithmetic exact.
 * - CHAR/VARCHAR/STRING: Utf8. BINARY/VARBINARY/BYTES: Binary. Lengths are not enforced by Arrow,
 *   so the exact SQL type travels in the field metadata under `runnel.sql.type` and comes back.
 * - DATE: DateDay (int32 days). TIME(p): TimeMillisecond (Flink's runtime keeps milliseconds).
 * - INTERVAL YEAR TO MONTH: IntervalYearMonth (int32 months). INTERVAL DAY TO SECOND:
 *   DurationMillisecond (int64 ms) -- one number is simpler than Arrow's (days, ms) pairs.
 * - ARRAY: List, MAP: Map, ROW: Struct, NULL: Null.
 */
import {
  Binary, Bool, DataType, DateDay, Decimal, DurationMillisecond, Field, Float32, Float64, Int16, Int32, Int64,
  Int8, IntervalYearMonth, List, Map_, Null, Struct, TimeMillisecond, TimestampMicrosecond, TimestampMillisecond,
  TimestampNanosecond, Type, TimeUnit, Utf8, Schema,
} from 'apache-arrow';
import type { Timestamp, Interval } from 'apache-arrow';
import { InvalidPlanError } from './errors.ts';
import { T, assertNever, withNullable } from './types.ts';
import type { SqlType } from './types.ts';

export const SQL_TYPE_METADATA_KEY = 'runnel.sql.type';

/** One named, typed column as operators see it. */
export interface ColumnDef {
  readonly name: string;
  readonly type: SqlType;
}

export function toArrowType(t: SqlType): DataType {
  switch (t.kind) {
    case 'BOOLEAN': return new Bool();
    case 'TINYINT': return new Int8();
    case 'SMALLINT': return new Int16();
    case 'INT': return new Int32();
    case 'BIGINT': return new Int64();
    case 'FLOAT': return new Float32();
    case 'DOUBLE': return new Float64();
    case 'DECIMAL': return new Decimal(t.scale, t.precision, 128);
    case 'CHAR': case 'VARCHAR': return new Utf8();
    case 'BINARY': case 'VARBINARY': return new Binary();
    case 'DATE': return new DateDay();
    case 'TIME': return new TimeMillisecond();
    case 'TIMESTAMP': case 'TIMESTAMP_LTZ': {
      const tz = t.kind === 'TIMESTAMP_LTZ' ? 'UTC' : null;
      if (t.precision <= 3) return new TimestampMillisecond(tz);
      if (t.precision <= 6) return new TimestampMicrosecond(tz);
      return new TimestampNanosecond(tz);
    }
    case 'INTERVAL_YEAR_MONTH': return new IntervalYearMonth();
    case 'INTERVAL_DAY_TIME': return new DurationMillisecond();
    case 'ARRAY': return new List(new Field('element', toArrowType(t.element), t.element.nullable));
    case 'MAP': {
      const entries = new Struct([
        new Field('key', toArrowType(t.key), false),
        new Field('value', toArrowType(t.value), t.value.nullable),
      ]);
      return new Map_(new Field('entries', entries, false) as never);
    }
    case 'ROW': return new Struct(t.fields.map((f) => toArrowField(f.name, f.type)));
    case 'NULL': return new Null();
    default: return assertNever(t);
  }
}

export function toArrowField(name: string, t: SqlType): Field {
  const metadata = new Map([[SQL_TYPE_METADATA_KEY, JSON.stringify(t)]]);
  return new Field(name, toArrowType(t), t.nullable, metadata);
}

export function toArrowSchema(columns: readonly ColumnDef[]): Schema {
  return new Schema(columns.map((c) => toArrowField(c.name, c.type)));
}

/** The SQL type of an Arrow field: the exact type from metadata when present, else inferred. */
export function fromArrowField(field: Field): SqlType {
  const meta = field.metadata.get(SQL_TYPE_METADATA_KEY);
  if (meta !== undefined) return JSON.parse(meta) as SqlType;
  return withNullable(fromArrowType(field.type), field.nullable);
}

export function fromArrowSchema(schema: Schema): ColumnDef[] {
  return schema.fields.map((f) => ({ name: f.name, type: fromArrowField(f) }));
}

/** Infers the SQL type of an Arrow type (always nullable; the field decides). */
export function fromArrowType(a: DataType): SqlType {
  switch (a.typeId) {
    case Type.Null: return T.null();
    case Type.Bool: return T.boolean();
    case Type.Int: return fromArrowInt((a as unknown as { bitWidth: number }).bitWidth, (a as unknown as { isSigned: boolean }).isSigned);
    case Type.Float: return (a as unknown as { precision: number }).precision === 2 ? T.double() : T.float();
    case Type.Decimal: return T.decimal((a as Decimal).precision, (a as Decimal).scale);
    case Type.Utf8: case Type.LargeUtf8: case Type.Utf8View: return T.string();
    case Type.Binary: case Type.LargeBinary: case Type.BinaryView: case Type.FixedSizeBinary: return T.bytes();
    case Type.Date: return T.date();
    case Type.Time: return T.time((a as unknown as { unit: number }).unit === TimeUnit.SECOND ? 0 : 3);
    case Type.Timestamp: {
      const ts = a as Timestamp;
      const p = ts.unit === TimeUnit.SECOND ? 0 : ts.unit === TimeUnit.MILLISECOND ? 3 : ts.unit === TimeUnit.MICROSECOND ? 6 : 9;
      return ts.timezone ? T.timestampLtz(p) : T.timestamp(p);
    }
    case Type.Interval: return (a as Interval).unit === 0 ? T.intervalYearMonth() : T.intervalDayTime();
    case Type.Duration: return T.intervalDayTime();
    case Type.List: case Type.LargeList: case Type.FixedSizeList:
      return T.array(fromArrowField(a.children[0] as Field));
    case Type.Map: {
      const entries = (a.children[0] as Field).type as Struct;
      return T.map(fromArrowField(entries.children[0] as Field), fromArrowField(entries.children[1] as Field));
    }
    case Type.Struct: return T.row((a.children as Field[]).map((f) => ({ name: f.name, type: fromArrowField(f) })));
    default:
      throw new InvalidPlanError('TYPE_MISMATCH', `Arrow type ${String(a)} has no SQL equivalent in Runnel`);
  }
}

function fromArrowInt(bitWidth: number, signed: boolean): SqlType {
  // Unsigned integers widen to the next signed type that holds every value.
  const bits = signed ? bitWidth : bitWidth * 2;
  if (bits <= 8) return T.tinyint();
  if (bits <= 16) return T.smallint();
  if (bits <= 32) return T.int();
  if (bits <= 64) return T.bigint();
  return T.decimal(20, 0);
}
