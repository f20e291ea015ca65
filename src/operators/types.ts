/**
 * Runnel's SQL data types, as Flink defines them (Flink docs, "Data Types"), with nullability,
 * and how each is shown (`TIMESTAMP_LTZ(3) NOT NULL`, `VARCHAR(2147483647)` as `STRING`).
 *
 * Types are frozen plain objects tagged with `kind`. The Arrow mapping lives in `arrow-types.ts`,
 * the in-memory column layout in `column.ts`.
 *
 * @example
 *   const t = T.timestampLtz(3, false);
 *   displayType(t);            // 'TIMESTAMP_LTZ(3) NOT NULL'
 *   displayType(T.string());   // 'STRING'
 */

export const VARCHAR_LENGTH_MAX = 2_147_483_647;
export const DECIMAL_PRECISION_MAX = 38;
export const TIMESTAMP_PRECISION_MAX = 9;

export type TimeAttribute = 'ROWTIME' | 'PROCTIME';

export type SqlType =
  | { readonly kind: 'BOOLEAN'; readonly nullable: boolean }
  | { readonly kind: 'TINYINT' | 'SMALLINT' | 'INT' | 'BIGINT'; readonly nullable: boolean }
  | { readonly kind: 'FLOAT' | 'DOUBLE'; readonly nullable: boolean }
  | { readonly kind: 'DECIMAL'; readonly precision: number; readonly scale: number; readonly nullable: boolean }
  | { readonly kind: 'CHAR' | 'VARCHAR'; readonly length: number; readonly nullable: boolean }
  | { readonly kind: 'BINARY' | 'VARBINARY'; readonly length: number; readonly nullable: boolean }
  | { readonly kind: 'DATE'; readonly nullable: boolean }
  | { readonly kind: 'TIME'; readonly precision: number; readonly nullable: boolean }
  | {
      readonly kind: 'TIMESTAMP' | 'TIMESTAMP_LTZ';
      readonly precision: number;
      readonly nullable: boolean;
      readonly timeAttribute?: TimeAttribute;
    }
  | { readonly kind: 'INTERVAL_YEAR_MONTH'; readonly nullable: boolean }
  | { readonly kind: 'INTERVAL_DAY_TIME'; readonly nullable: boolean }
  | { readonly kind: 'ARRAY'; readonly element: SqlType; readonly nullable: boolean }
  | { readonly kind: 'MAP'; readonly key: SqlType; readonly value: SqlType; readonly nullable: boolean }
  | { readonly kind: 'ROW'; readonly fields: readonly RowField[]; readonly nullable: boolean }
  | { readonly kind: 'NULL'; readonly nullable: true };

export interface RowField {
  readonly name: string;
  readonly type: SqlType;
}

export type SqlTypeKind = SqlType['kind'];

/** Constructors. Every type is nullable unless `nullable` is false, as in Flink. */
export const T = {
  boolean: (nullable = true): SqlType => Object.freeze({ kind: 'BOOLEAN', nullable }),
  tinyint: (nullable = true): SqlType => Object.freeze({ kind: 'TINYINT', nullable }),
  smallint: (nullable = true): SqlType => Object.freeze({ kind: 'SMALLINT', nullable }),
  int: (nullable = true): SqlType => Object.freeze({ kind: 'INT', nullable }),
  bigint: (nullable = true): SqlType => Object.freeze({ kind: 'BIGINT', nullable }),
  float: (nullable = true): SqlType => Object.freeze({ kind: 'FLOAT', nullable }),
  double: (nullable = true): SqlType => Object.freeze({ kind: 'DOUBLE', nullable }),
  decimal: (precision = 10, scale = 0, nullable = true): SqlType =>
    Object.freeze({ kind: 'DECIMAL', precision, scale, nullable }),
  char: (length = 1, nullable = true): SqlType => Object.freeze({ kind: 'CHAR', length, nullable }),
  varchar: (length = 1, nullable = true): SqlType => Object.freeze({ kind: 'VARCHAR', length, nullable }),
  string: (nullable = true): SqlType => Object.freeze({ kind: 'VARCHAR', length: VARCHAR_LENGTH_MAX, nullable }),
  binary: (length = 1, nullable = true): SqlType => Object.freeze({ kind: 'BINARY', length, nullable }),
  varbinary: (length = 1, nullable = true): SqlType => Object.freeze({ kind: 'VARBINARY', length, nullable }),
  bytes: (nullable = true): SqlType => Object.freeze({ kind: 'VARBINARY', length: VARCHAR_LENGTH_MAX, nullable }),
  date: (nullable = true): SqlType => Object.freeze({ kind: 'DATE', nullable }),
  time: (precision = 0, nullable = true): SqlType => Object.freeze({ kind: 'TIME', precision, nullable }),
  timestamp: (precision = 6, nullable = true, timeAttribute?: TimeAttribute): SqlType =>
    Object.freeze(timeAttribute === undefined
      ? { kind: 'TIMESTAMP', precision, nullable }
      : { kind: 'TIMESTAMP', precision, nullable, timeAttribute }),
  timestampLtz: (precision = 6, nullable = true, timeAttribute?: TimeAttribute): SqlType =>
    Object.freeze(timeAttribute === undefined
      ? { kind: 'TIMESTAMP_LTZ', precision, nullable }
      : { kind: 'TIMESTAMP_LTZ', precision, nullable, timeAttribute }),
  intervalYearMonth: (nullable = true): SqlType => Object.freeze({ kind: 'INTERVAL_YEAR_MONTH', nullable }),
  intervalDayTime: (nullable = true): SqlType => Object.freeze({ kind: 'INTERVAL_DAY_TIME', nullable }),
  array: (element: SqlType, nullable = true): SqlType => Object.freeze({ kind: 'ARRAY', element, nullable }),
  map: (key: SqlType, value: SqlType, nullable = true): SqlType => Object.freeze({ kind: 'MAP', key, value, nullable }),
  row: (fields: readonly RowField[], nullable = true): SqlType =>
    Object.freeze({ kind: 'ROW', fields: Object.freeze([...fields]), nullable }),
  null: (): SqlType => Object.freeze({ kind: 'NULL', nullable: true }),
} as const;

/** Returns the same type with the given nullability. */
export function withNullable(t: SqlType, nullable: boolean): SqlType {
  if (t.kind === 'NULL' || t.nullable === nullable) return t;
  return Object.freeze({ ...t, nullable }) as SqlType;
}

/** Drops a time attribute marker (`*ROWTIME*`), e.g. after an expression consumes the column. */
export function withoutTimeAttribute(t: SqlType): SqlType {
  if ((t.kind === 'TIMESTAMP' || t.kind === 'TIMESTAMP_LTZ') && t.timeAttribute !== undefined) {
    return Object.freeze({ kind: t.kind, precision: t.precision, nullable: t.nullable });
  }
  return t;
}

export const isIntegerKind = (k: SqlTypeKind): boolean =>
  k === 'TINYINT' || k === 'SMALLINT' || k === 'INT' || k === 'BIGINT';
export const isApproxKind = (k: SqlTypeKind): boolean => k === 'FLOAT' || k === 'DOUBLE';
export const isNumericKind = (k: SqlTypeKind): boolean => isIntegerKind(k) || isApproxKind(k) || k === 'DECIMAL';
export const isCharacterKind = (k: SqlTypeKind): boolean => k === 'CHAR' || k === 'VARCHAR';
export const isBinaryKind = (k: SqlTypeKind): boolean => k === 'BINARY' || k === 'VARBINARY';
export const isTimestampKind = (k: SqlTypeKind): boolean => k === 'TIMESTAMP' || k === 'TIMESTAMP_LTZ';
export const isTemporalKind = (k: SqlTypeKind): boolean => k === 'DATE' || k === 'TIME' || isTimestampKind(k);
export const isIntervalKind = (k: SqlTypeKind): boolean => k === 'INTERVAL_YEAR_MONTH' || k === 'INTERVAL_DAY_TIME';

/** Precision of an exact numeric when widened to DECIMAL (Flink: INT is DECIMAL(10, 0)). */
export function integerDecimalPrecision(k: SqlTypeKind): number {
  switch (k) {
    case 'TINYINT': return 3;
    case 'SMALLINT': return 5;
    case 'INT': return 10;
    case 'BIGINT': return 19;
    default: return 0;
  }
}

/** Flink's display, e.g. `DECIMAL(10, 2) NOT NULL`, `STRING`, `TIMESTAMP(3) *ROWTIME*`. */
export function displayType(t: SqlType): string {
  const base = displayBase(t);
  return t.nullable ? base : `${base} NOT NULL`;
}

function displayBase(t: SqlType): string {
  switch (t.kind) {
    case 'BOOLEAN': case 'TINYINT': case 'SMALLINT': case 'INT': case 'BIGINT':
    case 'FLOAT': case 'DOUBLE': case 'DATE': case 'NULL':
      return t.kind;
    case 'DECIMAL': return `DECIMAL(${t.precision}, ${t.scale})`;
    case 'CHAR': return `CHAR(${t.length})`;
    case 'VARCHAR': return t.length === VARCHAR_LENGTH_MAX ? 'STRING' : `VARCHAR(${t.length})`;
    case 'BINARY': return `BINARY(${t.length})`;
    case 'VARBINARY': return t.length === VARCHAR_LENGTH_MAX ? 'BYTES' : `VARBINARY(${t.length})`;
    case 'TIME': return `TIME(${t.precision})`;
    case 'TIMESTAMP': case 'TIMESTAMP_LTZ': {
      const attr = t.timeAttribute === undefined ? '' : ` *${t.timeAttribute}*`;
      return `${t.kind}(${t.precision})${attr}`;
    }
    case 'INTERVAL_YEAR_MONTH': return 'INTERVAL YEAR(2) TO MONTH';
    case 'INTERVAL_DAY_TIME': return 'INTERVAL DAY(2) TO SECOND(3)';
    case 'ARRAY': return `ARRAY<${displayType(t.element)}>`;
    case 'MAP': return `MAP<${displayType(t.key)}, ${displayType(t.value)}>`;
    case 'ROW': return `ROW<${t.fields.map((f) => `\`${f.name}\` ${displayType(f.type)}`).join(', ')}>`;
    default: return assertNever(t);
  }
}

/** Structural equality, ignoring nullability and time attributes when `loose` is set. */
export function typesEqual(a: SqlType, b: SqlType, loose = false): boolean {
  if (!loose) return displayType(a) === displayType(b);
  return displayType(withoutTimeAttribute(withNullable(a, true))) === displayType(withoutTimeAttribute(withNullable(b, true)));
}

export function assertNever(x: never): never {
  throw new Error(`unexpected value ${JSON.stringify(x)}`);
}
