import { describe, expect, test } from 'vitest';
import { Field, TimestampMillisecond, Int64, Utf8 } from 'apache-arrow';
import { T, displayType } from '../../src/operators/types.ts';
import type { SqlType } from '../../src/operators/types.ts';
import { fromArrowField, fromArrowType, toArrowField, toArrowType } from '../../src/operators/arrow-types.ts';
import { batchFromRows, batchToRows } from '../../src/operators/batch.ts';

describe('display names as Flink prints them', () => {
  const cases: [SqlType, string][] = [
    [T.timestampLtz(3, false), 'TIMESTAMP_LTZ(3) NOT NULL'],
    [T.string(), 'STRING'],
    [T.varchar(10), 'VARCHAR(10)'],
    [T.bytes(false), 'BYTES NOT NULL'],
    [T.decimal(10, 2), 'DECIMAL(10, 2)'],
    [T.timestamp(3, true, 'ROWTIME'), 'TIMESTAMP(3) *ROWTIME*'],
    [T.array(T.int(false)), 'ARRAY<INT NOT NULL>'],
    [T.map(T.string(false), T.bigint()), 'MAP<STRING NOT NULL, BIGINT>'],
    [T.row([{ name: 'a', type: T.int() }, { name: 'b', type: T.string() }]), 'ROW<`a` INT, `b` STRING>'],
    [T.intervalDayTime(), 'INTERVAL DAY(2) TO SECOND(3)'],
    [T.null(), 'NULL'],
  ];
  test.each(cases)('%j', (t, s) => expect(displayType(t)).toBe(s));
});

describe('Arrow mapping', () => {
  const types: SqlType[] = [
    T.boolean(), T.tinyint(), T.smallint(false), T.int(), T.bigint(), T.float(), T.double(), T.decimal(38, 10),
    T.char(3), T.varchar(20), T.string(), T.bytes(), T.date(), T.time(3), T.timestamp(3), T.timestamp(6), T.timestamp(9),
    T.timestampLtz(3, false), T.intervalYearMonth(), T.intervalDayTime(), T.array(T.int()),
  ];
  test.each(types.map((t) => [displayType(t), t] as const))('%s round-trips through a Field', (_n, t) => {
    expect(fromArrowField(toArrowField('c', t))).toEqual(t);
  });

  test('representation choices', () => {
    expect(toArrowType(T.timestamp(3))).toBeInstanceOf(TimestampMillisecond);
    expect(String(toArrowType(T.timestampLtz(3)))).toContain('UTC');
    expect(toArrowType(T.decimal(23, 3))).toMatchObject({ precision: 23, scale: 3, bitWidth: 128 });
    expect(fromArrowType(new Int64())).toEqual(T.bigint());
    expect(fromArrowField(new Field('s', new Utf8(), false))).toEqual(T.string(false));
  });

  test('values round-trip through batches, including NULLs and decimals', () => {
    const cols = [
      { name: 'b', type: T.bigint() }, { name: 'd', type: T.decimal(38, 3) }, { name: 's', type: T.string() },
      { name: 'ts', type: T.timestamp(6) }, { name: 'ok', type: T.boolean() }, { name: 'day', type: T.date() },
    ];
    const rows = [
      [9007199254740991, '-12345678901234567890123.456', 'héllo', 1_700_000_000_123.456, true, 19000],
      [null, null, null, null, null, null],
      [-1, '0.001', '', -1, false, -1],
    ];
    expect(batchToRows(batchFromRows(cols, rows))).toEqual(rows);
  });
});
