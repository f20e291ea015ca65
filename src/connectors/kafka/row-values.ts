/**
 * Column values -> the JS values the registry's encoders take, by SQL type: Avro (avsc: longs as
 * numbers, decimals as big-endian bytes, timestamps in the logical type's unit, bytes as Buffers)
 * and JSON (timestamps as ISO-8601 text, decimals as numbers). The sink path, per row; the
 * decode path never builds these objects.
 */
import type { SqlType } from '../../operators/index.ts';

export type ValueFormat = 'AVRO' | 'JSON' | 'PROTOBUF';

/** Converts one value read from a column (`scalarAt`) or from a nested Arrow row (`toJSON`). */
export function toFormatValue(v: unknown, t: SqlType, format: ValueFormat): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'BIGINT': case 'INT': case 'SMALLINT': case 'TINYINT': case 'FLOAT': case 'DOUBLE':
      return typeof v === 'bigint' ? Number(v) : v;
    case 'DECIMAL': {
      const unscaled = typeof v === 'bigint' ? v : toUnscaled(v, t.scale);
      if (format === 'AVRO') return bigEndianBytes(unscaled);
      return Number(unscaled) / 10 ** t.scale;
    }
    case 'TIMESTAMP': case 'TIMESTAMP_LTZ': {
      const ms = typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.getTime() : Number(v);
      if (format === 'AVRO') return t.precision > 3 ? Math.round(ms * 1000) : Math.round(ms);
      if (format === 'PROTOBUF') return { seconds: Math.floor(ms / 1000), nanos: Math.round((ms % 1000) * 1e6) };
      const iso = new Date(ms).toISOString();
      return t.kind === 'TIMESTAMP' ? iso.slice(0, -1) : iso;
    }
    case 'DATE':
      if (format === 'AVRO' || format === 'PROTOBUF') return typeof v === 'bigint' ? Number(v) : v;
      return new Date(Number(v) * 86_400_000).toISOString().slice(0, 10);
    case 'TIME':
      if (format === 'JSON') return new Date(Number(v)).toISOString().slice(11, 23);
      return typeof v === 'bigint' ? Number(v) : v;
    case 'BINARY': case 'VARBINARY': {
      const bytes = v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : Buffer.from(String(v));
      return format === 'JSON' ? bytes.toString('base64') : bytes;
    }
    case 'ROW': {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(t.fields.map((f) => [f.name, toFormatValue(o[f.name], f.type, format)]));
    }
    case 'ARRAY': return [...(v as Iterable<unknown>)].map((x) => toFormatValue(x, t.element, format));
    case 'MAP': {
      const entries: [unknown, unknown][] = v instanceof Map ? [...v.entries()] : Object.entries(v as Record<string, unknown>);
      const keyIsString = t.key.kind === 'VARCHAR' || t.key.kind === 'CHAR';
      if (format === 'AVRO' && !keyIsString) return entries.map(([k, x]) => ({ key: toFormatValue(k, t.key, format), value: toFormatValue(x, t.value, format) }));
      return Object.fromEntries(entries.map(([k, x]) => [String(k), toFormatValue(x, t.value, format)]));
    }
    default: return v;
  }
}

function toUnscaled(v: unknown, scale: number): bigint {
  const text = String(v);
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (m === null) return 0n;
  const u = BigInt(`${m[2] || '0'}${(m[3] ?? '').padEnd(scale, '0').slice(0, scale)}`);
  return m[1] === '-' ? -u : u;
}

/** Avro's decimal bytes: the shortest big-endian two's complement of `v`. */
export function bigEndianBytes(v: bigint): Buffer {
  const bytes: number[] = [];
  let x = v;
  for (;;) {
    const b = Number(BigInt.asUintN(8, x));
    bytes.unshift(b);
    x >>= 8n;
    if ((x === 0n && (b & 0x80) === 0) || (x === -1n && (b & 0x80) !== 0)) break;
  }
  return Buffer.from(bytes);
}
