/**
 * Log sequence numbers: PostgreSQL's 64-bit WAL positions, written `X/Y` (two hex halves) in SQL
 * and as Int64 on the replication wire. Kept as `bigint` everywhere; Debezium's offsets and
 * `source.lsn` carry them as plain 64-bit integers.
 */

export type Lsn = bigint;

export const LSN_ZERO: Lsn = 0n;

/** `16/B374D848` → 0x16B374D848n. */
export function parseLsn(text: string): Lsn {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text.trim());
  if (!m) throw new Error(`not an LSN: '${text}'`);
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

/** 0x16B374D848n → `16/B374D848`, the form SQL functions and replication commands take. */
export function formatLsn(lsn: Lsn): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** An LSN from an offset map: numbers, bigints and decimal strings are accepted. */
export function lsnFromOffset(v: unknown): Lsn | null {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.trunc(v));
  if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v);
  if (typeof v === 'string' && v.includes('/')) return parseLsn(v);
  return null;
}

/** An LSN for JSON offsets: a number while it is exact, else a decimal string. */
export function lsnToOffset(lsn: Lsn): number | string {
  return lsn <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(lsn) : lsn.toString();
}
