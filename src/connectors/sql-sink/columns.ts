/**
 * From Connect schemas to table columns: the column kinds the sinks know, each Connect type's
 * kind (semantic types first: Decimal, dates, times, timestamps, JSON), and the per-kind value
 * normalisation (timestamps to microseconds, dates to days, nested data to JSON text).
 */
import type { ConnectSchema } from '../data.ts';
import { SemanticTypes, toBigInt, toNumber } from '../data.ts';
import { connectToJsonValue } from '../converters/json-data.ts';

export type ColumnKind =
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'float32'
  | 'float64'
  | 'boolean'
  | 'string'
  | 'bytes'
  | 'decimal'
  | 'date'
  | 'time'
  | 'timestamp'
  | 'timestamptz'
  | 'json';

export interface ColumnSpec {
  readonly name: string;
  readonly kind: ColumnKind;
  /** Decimal scale. */
  readonly scale?: number;
  readonly nullable: boolean;
}

export function kindOf(s: ConnectSchema): { kind: ColumnKind; scale?: number } {
  switch (s.name) {
    case SemanticTypes.Decimal:
      return { kind: 'decimal', scale: Number(s.parameters?.scale ?? '0') };
    case SemanticTypes.VariableScaleDecimal:
      return { kind: 'string' };
    case SemanticTypes.Date:
    case SemanticTypes.DebeziumDate:
      return { kind: 'date' };
    case SemanticTypes.Time:
    case SemanticTypes.DebeziumTime:
    case SemanticTypes.MicroTime:
    case SemanticTypes.NanoTime:
      return { kind: 'time' };
    case SemanticTypes.Timestamp:
    case SemanticTypes.DebeziumTimestamp:
    case SemanticTypes.MicroTimestamp:
    case SemanticTypes.NanoTimestamp:
      return { kind: 'timestamp' };
    case SemanticTypes.ZonedTimestamp:
      return { kind: 'timestamptz' };
    case SemanticTypes.Json:
      return { kind: 'json' };
    default:
      break;
  }
  switch (s.type) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
    case 'float32':
    case 'float64':
    case 'boolean':
    case 'string':
    case 'bytes':
      return { kind: s.type };
    case 'array':
    case 'map':
    case 'struct':
      return { kind: 'json' };
    default: {
      const never: never = s.type;
      throw new Error(`unknown Connect type ${String(never)}`);
    }
  }
}

/** Normalises one value for a column: the representation both dialects write. */
export type Normalizer = (v: unknown) => unknown;

/**
 * - timestamp: bigint microseconds since the epoch; timestamptz: ISO string;
 * - date: number of days; time: bigint microseconds since midnight;
 * - int64: bigint; decimal: string; json: JSON text; bytes: Buffer; others as they are.
 */
export function normalizerFor(s: ConnectSchema): Normalizer {
  const { kind } = kindOf(s);
  const nullable = (f: Normalizer): Normalizer => (v) => (v === null || v === undefined ? null : f(v));
  switch (kind) {
    case 'timestamp': {
      const perMicro = s.name === SemanticTypes.MicroTimestamp ? 1n : s.name === SemanticTypes.NanoTimestamp ? -1000n : 1000n;
      return nullable((v) => (perMicro === -1000n ? toBigInt(v) / 1000n : toBigInt(v) * perMicro));
    }
    case 'time': {
      const unit = s.name === SemanticTypes.MicroTime ? 1n : s.name === SemanticTypes.NanoTime ? -1000n : 1000n;
      return nullable((v) => (unit === -1000n ? toBigInt(v) / 1000n : toBigInt(v) * unit));
    }
    case 'date':
      return nullable((v) => toNumber(v));
    case 'int64':
      return nullable((v) => toBigInt(v));
    case 'decimal':
      return nullable((v) => String(v));
    case 'json':
      return nullable((v) => (typeof v === 'string' && s.type === 'string' ? v : JSON.stringify(connectToJsonValue(s, v))));
    case 'bytes':
      return nullable((v) => (Buffer.isBuffer(v) ? v : Buffer.from(String(v))));
    case 'string':
      return nullable((v) => (typeof v === 'string' ? v : String(v)));
    default:
      return nullable((v) => v);
  }
}
