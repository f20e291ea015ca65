/**
 * Implicit type widening (Flink's `LogicalTypeMerging.findCommonType`, simplified): the type two
 * or more values are brought to before they are compared, unioned in CASE branches or combined.
 */
import {
  T, integerDecimalPrecision, isApproxKind, isCharacterKind, isIntegerKind, isTimestampKind, withNullable,
  withoutTimeAttribute, typesEqual,
} from '../types.ts';
import type { SqlType } from '../types.ts';
import { adjustPrecisionScale } from '../functions/decimal.ts';

const INT_RANK = { TINYINT: 1, SMALLINT: 2, INT: 3, BIGINT: 4 } as const;

/** The common type of `types`, or null if they do not share one. */
export function commonType(types: readonly SqlType[]): SqlType | null {
  const nullable = types.some((t) => t.nullable);
  const real = types.filter((t) => t.kind !== 'NULL').map(withoutTimeAttribute);
  if (real.length === 0) return T.null();
  let acc: SqlType = real[0];
  for (let i = 1; i < real.length; i++) {
    const next = commonOfTwo(acc, real[i]);
    if (next === null) return null;
    acc = next;
  }
  return withNullable(acc, nullable);
}

function commonOfTwo(a: SqlType, b: SqlType): SqlType | null {
  if (typesEqual(a, b, true)) return a;
  if (isIntegerKind(a.kind) && isIntegerKind(b.kind)) {
    return INT_RANK[a.kind as keyof typeof INT_RANK] >= INT_RANK[b.kind as keyof typeof INT_RANK] ? a : b;
  }
  const numeric = (t: SqlType): boolean => isIntegerKind(t.kind) || isApproxKind(t.kind) || t.kind === 'DECIMAL';
  if (numeric(a) && numeric(b)) {
    if (isApproxKind(a.kind) || isApproxKind(b.kind)) {
      return a.kind === 'DOUBLE' || b.kind === 'DOUBLE' || a.kind === 'DECIMAL' || b.kind === 'DECIMAL' ? T.double() : T.float();
    }
    const [pa, sa] = decimalShape(a);
    const [pb, sb] = decimalShape(b);
    const scale = Math.max(sa, sb);
    const shape = adjustPrecisionScale(Math.max(pa - sa, pb - sb) + scale, scale);
    return T.decimal(shape.precision, shape.scale);
  }
  if (isCharacterKind(a.kind) && isCharacterKind(b.kind)) {
    const la = (a as { length: number }).length, lb = (b as { length: number }).length;
    if (a.kind === 'CHAR' && b.kind === 'CHAR') return T.char(Math.max(la, lb));
    return T.varchar(Math.max(la, lb));
  }
  if ((a.kind === 'BINARY' || a.kind === 'VARBINARY') && (b.kind === 'BINARY' || b.kind === 'VARBINARY')) return T.bytes();
  if (isTimestampKind(a.kind) && isTimestampKind(b.kind)) {
    const p = Math.max((a as { precision: number }).precision, (b as { precision: number }).precision);
    return a.kind === 'TIMESTAMP_LTZ' || b.kind === 'TIMESTAMP_LTZ' ? T.timestampLtz(p) : T.timestamp(p);
  }
  if (a.kind === 'DATE' && isTimestampKind(b.kind)) return b;
  if (b.kind === 'DATE' && isTimestampKind(a.kind)) return a;
  return null;
}

/** (precision, scale) of an exact numeric seen as DECIMAL. */
export function decimalShape(t: SqlType): [number, number] {
  if (t.kind === 'DECIMAL') return [t.precision, t.scale];
  return [integerDecimalPrecision(t.kind), 0];
}

/**
 * Whether a value of `from` can be used as `to` without a conversion at run time: both are
 * JavaScript numbers of compatible meaning, both strings, or both epoch-ms timestamps.
 */
export function sameRepresentation(from: SqlType, to: SqlType): boolean {
  const num = (t: SqlType): boolean => isIntegerKind(t.kind) || isApproxKind(t.kind);
  if (num(from) && num(to)) return !(isApproxKind(from.kind) && isIntegerKind(to.kind));
  if (isCharacterKind(from.kind) && to.kind === 'VARCHAR') return true;
  if (isTimestampKind(from.kind) && isTimestampKind(to.kind)) return true;
  if (from.kind === 'DECIMAL' && to.kind === 'DECIMAL') return from.scale === to.scale;
  return typesEqual(from, to, true);
}
