import { describe, expect, test } from 'vitest';
import { E } from '../../src/operators/expr/ir.ts';
import { T } from '../../src/operators/types.ts';
import type { SqlType } from '../../src/operators/types.ts';
import { evaluateConstant } from '../../src/operators/expr/evaluate.ts';
import { bindExpr } from '../../src/operators/expr/bind.ts';

type Case = [unknown, SqlType, SqlType, unknown];
const cast = (v: unknown, from: SqlType, to: SqlType, safe = false): unknown => evaluateConstant(E.cast(E.lit(v, from), to, safe));

describe('CAST', () => {
  const cases: Case[] = [
    ['123', T.string(), T.int(), 123],
    [' 42 ', T.string(), T.bigint(), 42],
    ['1.5', T.string(), T.double(), 1.5],
    ['1e3', T.string(), T.double(), 1000],
    ['12.345', T.string(), T.decimal(5, 2), '12.35'],
    ['TRUE', T.string(), T.boolean(), true],
    ['f', T.string(), T.boolean(), false],
    [300, T.int(), T.tinyint(), 44],
    [-129, T.int(), T.tinyint(), 127],
    [70000, T.int(), T.smallint(), 4464],
    [3.99, T.double(), T.int(), 3],
    [-3.99, T.double(), T.int(), -3],
    ['-3.99', T.decimal(3, 2), T.int(), -3],
    [5, T.int(), T.decimal(5, 2), '5.00'],
    [0.1, T.double(), T.decimal(10, 5), '0.10000'],
    [2.5, T.double(), T.decimal(2, 0), '3'],
    ['123.45', T.decimal(5, 2), T.decimal(4, 1), '123.5'],
    ['123.45', T.decimal(5, 2), T.decimal(3, 1), null],
    ['1.25', T.decimal(3, 2), T.double(), 1.25],
    [true, T.boolean(), T.int(), 1],
    [0, T.int(), T.boolean(), false],
    [true, T.boolean(), T.string(), 'TRUE'],
    [42, T.int(), T.string(), '42'],
    [1.5, T.double(), T.string(), '1.5'],
    [1, T.double(), T.string(), '1.0'],
    [1e20, T.double(), T.string(), '1.0E20'],
    ['-0.05', T.decimal(3, 2), T.string(), '-0.05'],
    ['hello', T.string(), T.varchar(3), 'hel'],
    ['ab', T.string(), T.char(4), 'ab  '],
    ['2024-02-29', T.string(), T.date(), 19782],
    [19782, T.date(), T.string(), '2024-02-29'],
    ['12:34:56', T.string(), T.time(0), 45296000],
    [45296000, T.time(0), T.string(), '12:34:56'],
    ['2024-02-29 12:34:56.789', T.string(), T.timestamp(3), 1709210096789],
    ['2024-02-29T12:34:56', T.string(), T.timestamp(3), 1709210096000],
    [1709210096789, T.timestamp(3), T.string(), '2024-02-29 12:34:56.789'],
    [1709210096789, T.timestamp(3), T.timestamp(0), 1709210096000],
    [1709210096789, T.timestamp(3), T.date(), 19782],
    [19782, T.date(), T.timestamp(3), 1709164800000],
    [1709210096789, T.timestamp(3), T.timestampLtz(3), 1709210096789],
    [1709210096789, T.timestampLtz(3), T.string(), '2024-02-29 12:34:56.789'],
    [null, T.int(), T.string(), null],
  ];
  test.each(cases)('CAST(%j AS %j) from %j', (v, from, to, expected) => {
    expect(cast(v, from, to)).toEqual(expected);
  });

  test.each<[string, SqlType]>([['abc', T.int()], ['1.2.3', T.double()], ['x', T.decimal(5, 2)], ['2024-13-01', T.date()], ['maybe', T.boolean()], ['99999999999', T.int()]])(
    'CAST(%j AS %j) fails, TRY_CAST gives NULL', (v, to) => {
      expect(() => cast(v, T.string(), to)).toThrow(/cannot cast/);
      expect(cast(v, T.string(), to, true)).toBeNull();
    });

  test('unsupported casts are refused at bind time', () => {
    expect(() => bindExpr(E.cast(E.lit(1, T.date()), T.int()), [])).toThrow(/cannot cast DATE to INT/);
    expect(() => bindExpr(E.cast(E.lit('x', T.bytes()), T.double()), [])).toThrow(/cannot cast BYTES/);
  });

  test('TRY_CAST makes the result nullable', () => {
    expect(bindExpr(E.cast(E.lit('1', T.string(false)), T.int(false), true), []).type.nullable).toBe(true);
  });
});
