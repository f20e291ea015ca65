import { describe, expect, test } from 'vitest';
import { E } from '../../src/operators/expr/ir.ts';
import type { PhysicalExpr } from '../../src/operators/expr/ir.ts';
import { T } from '../../src/operators/types.ts';
import { bindExpr } from '../../src/operators/expr/bind.ts';
import { compileCalc, readInputs } from '../../src/operators/expr/compile.ts';
import { generatedFactory } from '../../src/operators/expr/generated-code.ts';
import { evaluateConstant, evaluateRows } from '../../src/operators/expr/evaluate.ts';
import { batchFromRows } from '../../src/operators/batch.ts';
import { InvalidPlanError } from '../../src/operators/errors.ts';
import { builtinFunctions } from '../../src/operators/functions/index.ts';

const B = T.boolean();
const TRUTH = [true, false, null];
const pairs = TRUTH.flatMap((a) => TRUTH.map((b) => [a, b]));

describe('three-valued logic', () => {
  // The SQL truth tables: FALSE dominates AND, TRUE dominates OR, otherwise NULL is contagious.
  const and = (a: boolean | null, b: boolean | null): boolean | null => (a === false || b === false ? false : a === null || b === null ? null : true);
  const or = (a: boolean | null, b: boolean | null): boolean | null => (a === true || b === true ? true : a === null || b === null ? null : false);
  test('AND', () => expect(evaluateRows(E.and(E.col(0), E.col(1)), [B, B], pairs)).toEqual(pairs.map(([a, b]) => and(a, b))));
  test('OR', () => expect(evaluateRows(E.or(E.col(0), E.col(1)), [B, B], pairs)).toEqual(pairs.map(([a, b]) => or(a, b))));
  test('NOT', () => expect(evaluateRows(E.not(E.col(0)), [B], TRUTH.map((t) => [t]))).toEqual([false, true, null]));
  test('IS NULL / IS NOT NULL never return NULL', () => {
    expect(evaluateRows(E.isNull(E.col(0)), [B], TRUTH.map((t) => [t]))).toEqual([false, false, true]);
    expect(evaluateRows(E.isNull(E.col(0), true), [B], TRUTH.map((t) => [t]))).toEqual([true, true, false]);
  });
  test('AND short-circuits: a FALSE left side skips a failing right side', () => {
    const div = E.call('=', E.call('/', E.lit(1, T.int()), E.col(0)), E.lit(1, T.int()));
    expect(evaluateRows(E.and(E.call('<>', E.col(0), E.lit(0, T.int())), div), [T.int()], [[0], [1]])).toEqual([false, true]);
  });
});

describe('predicates', () => {
  const I = T.int();
  const cases: [string, PhysicalExpr, unknown[][], unknown[]][] = [
    ['= with NULL is NULL', E.call('=', E.col(0), E.lit(1, I)), [[1], [2], [null]], [true, false, null]],
    ['IN list', E.inList(E.col(0), [E.lit(1, I), E.lit(3, I)]), [[1], [2], [null]], [true, false, null]],
    ['IN list with NULL member', E.inList(E.col(0), [E.lit(1, I), E.lit(null, I)]), [[1], [2]], [true, null]],
    ['NOT IN list with NULL member', E.inList(E.col(0), [E.lit(1, I), E.lit(null, I)], true), [[1], [2]], [false, null]],
    ['BETWEEN', E.between(E.col(0), E.lit(1, I), E.lit(3, I)), [[0], [1], [3], [4], [null]], [false, true, true, false, null]],
    ['NOT BETWEEN', E.between(E.col(0), E.lit(1, I), E.lit(3, I), true), [[0], [2]], [true, false]],
    ['BETWEEN SYMMETRIC', E.between(E.col(0), E.lit(3, I), E.lit(1, I), false, true), [[2], [4]], [true, false]],
    ['IS DISTINCT FROM', E.call('IS DISTINCT FROM', E.col(0), E.col(1)), [[1, 1], [1, null], [null, null]], [false, true, false]],
    ['IS NOT DISTINCT FROM', E.call('IS NOT DISTINCT FROM', E.col(0), E.col(1)), [[1, 1], [1, null], [null, null]], [true, false, true]],
    ['INT compared with DECIMAL', E.call('<', E.col(0), E.lit('1.5', T.decimal(2, 1))), [[1], [2]], [true, false]],
    ['BIGINT compared with DOUBLE', E.call('>=', E.col(0), E.lit(2.5, T.double())), [[2], [3]], [false, true]],
  ];
  test.each(cases)('%s', (_n, e, rows, expected) => {
    expect(evaluateRows(e, [I, I], rows.map((r) => [r[0], r[1] ?? null]))).toEqual(expected);
  });

  const S = T.string();
  const like: [string, string, string | null, boolean][] = [
    ['Google', 'Goo%', null, true], ['Google', '%gle', null, true], ['Google', '%oog%', null, true], ['Google', 'G_ogle', null, true],
    ['Google', 'goo%', null, false], ['a%b', 'a!%b', '!', true], ['axb', 'a!%b', '!', false], ['line\nbreak', 'line%', null, true],
    ['50%', '50\\%', '\\', true], ['', '%', null, true], ['abc', 'abc', null, true], ['abc', 'ab', null, false],
  ];
  test.each(like)('%j LIKE %j ESCAPE %j', (s, p, esc, expected) => {
    const e = E.like(E.col(0), E.lit(p, S), esc === null ? {} : { escape: esc });
    expect(evaluateRows(e, [S], [[s], [null]])).toEqual([expected, null]);
    // The same pattern from a column (not compiled ahead of time) agrees.
    const dyn = E.like(E.col(0), E.col(1), esc === null ? {} : { escape: esc });
    expect(evaluateRows(dyn, [S, S], [[s, p]])).toEqual([expected]);
  });
  test('NOT LIKE and SIMILAR TO', () => {
    expect(evaluateRows(E.like(E.col(0), E.lit('a%', S), { negated: true }), [S], [['ab'], ['ba']])).toEqual([false, true]);
    expect(evaluateRows(E.like(E.col(0), E.lit('(ab|cd)%', S), { similar: true }), [S], [['abx'], ['cdy'], ['xab']])).toEqual([true, true, false]);
  });
});

describe('CASE', () => {
  const I = T.int();
  test('searched CASE evaluates the first TRUE branch; NULL conditions do not match', () => {
    const e = E.case([
      { when: E.call('>', E.col(0), E.lit(10, I)), then: E.lit('big', T.string()) },
      { when: E.call('>', E.col(0), E.lit(0, I)), then: E.lit('small', T.string()) },
    ], E.lit('other', T.string()));
    expect(evaluateRows(e, [I], [[20], [5], [-1], [null]])).toEqual(['big', 'small', 'other', 'other']);
  });
  test('simple CASE without ELSE gives NULL', () => {
    const e = E.case([{ when: E.lit(1, I), then: E.lit('one', T.string()) }], null, E.col(0));
    expect(evaluateRows(e, [I], [[1], [2]])).toEqual(['one', null]);
  });
  test('branches are widened to a common type (INT and DECIMAL -> DECIMAL)', () => {
    const e = E.case([{ when: E.col(0), then: E.lit(1, I) }], E.lit('2.50', T.decimal(3, 2)));
    const b = bindExpr(e, [T.boolean()]);
    expect(b.type).toMatchObject({ kind: 'DECIMAL', scale: 2 });
    expect(evaluateRows(e, [T.boolean()], [[true], [false]])).toEqual(['1.00', '2.50']);
  });
  test('only the taken branch runs (no division by zero)', () => {
    const e = E.case([{ when: E.call('=', E.col(0), E.lit(0, I)), then: E.lit(0, I) }], E.call('/', E.lit(10, I), E.col(0)));
    expect(evaluateRows(e, [I], [[0], [5]])).toEqual([0, 2]);
  });
});

describe('compilation', () => {
  test('a filter and several projections run in one generated loop', () => {
    const types = [T.bigint(false), T.string()];
    const pred = bindExpr(E.call('=', E.call('MOD', E.col(0), E.lit(2, T.int())), E.lit(0, T.int())), types);
    const calc = compileCalc(pred, [bindExpr(E.call('UPPER', E.col(1)), types), bindExpr(E.call('*', E.col(0), E.lit(10, T.int())), types)]);
    expect(calc.source.match(/for \(/g)).toHaveLength(1);
    const batch = batchFromRows([{ name: 'a', type: types[0] }, { name: 's', type: types[1] }], [[1, 'x'], [2, 'y'], [4, null]]);
    const out = calc.run(readInputs(batch, types, calc.inputsUsed), 3);
    expect(out.count).toBe(2);
    expect([...(out.selection ?? [])]).toEqual([1, 2]);
    expect([...(out.columns[1].values as Float64Array)]).toEqual([20, 40]);
    expect(out.columns[0].nulls?.[1]).toBe(1);
  });
  test('generated code is compiled once per text; statements differing in constants keep their own', () => {
    expect(generatedFactory(['a'], 'return a + 1;')).toBe(generatedFactory(['a'], 'return a + 1;'));
    expect(generatedFactory(['a'], 'return a + 2;')).not.toBe(generatedFactory(['a'], 'return a + 1;'));
    expect(generatedFactory(['a', 'b'], 'return a + 1;')).not.toBe(generatedFactory(['a'], 'return a + 1;'));
    const types = [T.string()];
    const batch = batchFromRows([{ name: 's', type: types[0] }], [['ab'], ['cd']]);
    const concat = (suffix: string) => compileCalc(null, [bindExpr(E.call('CONCAT', E.col(0), E.lit(suffix, T.string())), types)]);
    const [x, y] = [concat('-x'), concat('-y')];
    expect(x.source).toBe(y.source);
    expect(x.run(readInputs(batch, types, x.inputsUsed), 2).columns[0].values).toEqual(['ab-x', 'cd-x']);
    expect(y.run(readInputs(batch, types, y.inputsUsed), 2).columns[0].values).toEqual(['ab-y', 'cd-y']);
  });
  test('errors name the problem', () => {
    expect(() => bindExpr(E.col(3), [T.int()])).toThrow(/column index 3 out of range/);
    expect(() => bindExpr(E.call('UPPR', E.lit('a', T.string())), [])).toThrow(/no function UPPR\(STRING\); did you mean UPPER/);
    expect(() => bindExpr(E.call('UPPER', E.lit(1, T.int())), [])).toThrow(/no function UPPER\(INT\); did you mean UPPER\(STRING\)/);
    expect(() => bindExpr(E.and(E.lit(1, T.int())), [])).toThrow(InvalidPlanError);
  });
  test('the registry resolves calls for the planner', () => {
    const r = builtinFunctions().resolve('substr', [T.string(), T.int()]);
    expect(r.ok && r.def.name).toBe('SUBSTRING');
    const bad = builtinFunctions().resolve('CONCATT', [T.string()]);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.suggestions).toContain('CONCAT');
  });
  test('deeply nested expressions are refused', () => {
    let e: PhysicalExpr = E.lit(1, T.int());
    for (let i = 0; i < 200; i++) e = E.call('+', e, E.lit(1, T.int()));
    expect(() => bindExpr(e, [])).toThrow(/exprDepthMax/);
  });
  test('constants fold through evaluateConstant', () => {
    expect(evaluateConstant(E.call('+', E.lit(1, T.int()), E.lit(2, T.int())))).toBe(3);
  });
});
