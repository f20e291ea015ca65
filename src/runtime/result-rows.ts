/**
 * Result batches as changelog rows for callers: `{ op: '+I', row: { col: value } }`, values made
 * JSON-friendly (timestamps as `YYYY-MM-DD HH:mm:ss.SSS`, dates as `YYYY-MM-DD`, decimals as
 * text, bytes as base64, BIGINT as a number).
 */
import type { RecordBatch } from 'apache-arrow';
import { batchToRows, fromArrowSchema, ROW_KIND_COLUMN, ROW_KIND_SHORT } from '../operators/index.ts';
import type { SqlType } from '../operators/index.ts';

export type ChangeOp = '+I' | '-U' | '+U' | '-D';

export interface ChangeRow {
  readonly op: ChangeOp;
  readonly row: Record<string, unknown>;
}

export function changeRows(batch: RecordBatch): ChangeRow[] {
  const defs = fromArrowSchema(batch.schema);
  const kindAt = defs.findIndex((d) => d.name === ROW_KIND_COLUMN);
  return batchToRows(batch).map((values) => {
    const row: Record<string, unknown> = {};
    defs.forEach((d, i) => {
      if (i !== kindAt) row[d.name] = jsonValue(values[i], d.type);
    });
    const op = kindAt < 0 ? '+I' : ROW_KIND_SHORT[values[kindAt] as number];
    return { op: op as ChangeOp, row };
  });
}

export function jsonValue(v: unknown, t: SqlType): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'TIMESTAMP': case 'TIMESTAMP_LTZ': {
      const ms = Number(v);
      if (!Number.isFinite(ms)) return String(v);
      return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
    }
    case 'DATE': return new Date(Number(v) * 86_400_000).toISOString().slice(0, 10);
    case 'TIME': return new Date(Number(v)).toISOString().slice(11, 23);
    case 'BINARY': case 'VARBINARY': return Buffer.from(v as Uint8Array).toString('base64');
    default: return plain(v);
  }
}

function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), plain(x)]));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}
