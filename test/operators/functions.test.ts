import { describe, expect, test } from 'vitest';
import { E } from '../../src/operators/expr/ir.ts';
import type { PhysicalExpr } from '../../src/operators/expr/ir.ts';
import { T } from '../../src/operators/types.ts';
import type { SqlType } from '../../src/operators/types.ts';
import { evaluateConstant, evaluateRows } from '../../src/operators/expr/evaluate.ts';
import { ExecutionError } from '../../src/operators/errors.ts';
import { fold } from '../../src/planner/optimizer/constant-folding.ts';

const s = (v: string | null): PhysicalExpr => E.lit(v, T.string());
const i = (v: number | null): PhysicalExpr => E.lit(v, T.int());
const bi = (v: number): PhysicalExpr => E.lit(v, T.bigint());
const d = (v: string, p: number, sc: number): PhysicalExpr => E.lit(v, T.decimal(p, sc));
const dbl = (v: number): PhysicalExpr => E.lit(v, T.double());
const ts = (text: string): PhysicalExpr => E.cast(s(text), T.timestamp(3));
const f = (name: string, ...args: PhysicalExpr[]): PhysicalExpr => E.call(name, ...args);

type Case = [string, PhysicalExpr, unknown];
const check = (cases: Case[]): void => {
  test.each(cases)('%s', (_name, e, expected) => expect(evaluateConstant(e)).toEqual(expected));
};

describe('arithmetic', () => {
  check([
    ['INT + INT', f('+', i(2), i(3)), 5],
    ['INT overflow wraps like Java', f('+', i(2147483647), i(1)), -2147483648],
    ['INT * INT overflow wraps', f('*', i(65536), i(65536)), 0],
    ['integer division truncates', f('/', i(7), i(2)), 3],
    ['negative integer division truncates toward zero', f('/', i(-7), i(2)), -3],
    ['MOD keeps the dividend sign', f('MOD', i(-7), i(3)), -1],
    ['MOD(BIGINT, INT)', f('MOD', bi(1246), i(123)), 16],
    ['DOUBLE division', f('/', dbl(1), dbl(4)), 0.25],
    ['DOUBLE division by zero is Infinity', f('/', dbl(1), dbl(0)), Infinity],
    ['unary minus', f('-', i(5)), -5],
    ['NULL propagates', f('+', i(1), i(null)), null],
    ['BIGINT + INT', f('+', bi(9007199254740990), i(1)), 9007199254740991],
  ]);
  test('integer division by zero fails', () => {
    expect(() => evaluateConstant(f('/', i(1), i(0)))).toThrow(ExecutionError);
    expect(() => evaluateConstant(f('MOD', i(1), i(0)))).toThrow(/Division by zero/);
  });
  test('BIGINT results leave the exact range loudly', () => {
    expect(() => evaluateConstant(f('*', bi(9007199254740991), bi(2)))).toThrow(/NUMERIC_OVERFLOW|outside/);
  });
});

describe('DECIMAL is exact', () => {
  check([
    ['0.1 + 0.2 = 0.3 exactly', f('+', d('0.1', 2, 1), d('0.2', 2, 1)), '0.3'],
    ['Nexmark q1: 0.908 * BIGINT -> DECIMAL(23, 3)', f('*', d('0.908', 3, 3), bi(12345)), '11209.260'],
    ['scales align on addition', f('+', d('1.5', 2, 1), d('0.25', 3, 2)), '1.75'],
    ['subtraction to negative', f('-', d('1.00', 3, 2), d('1.01', 3, 2)), '-0.01'],
    ['division rounds HALF_UP at scale max(6, s1 + p2 + 1)', f('/', d('1', 1, 0), d('3', 1, 0)), '0.333333'],
    ['2/3 rounds up', f('/', d('2', 1, 0), d('3', 1, 0)), '0.666667'],
    ['INT + DECIMAL', f('+', i(1), d('0.5', 2, 1)), '1.5'],
    ['DECIMAL * DOUBLE is DOUBLE', f('*', d('0.5', 2, 1), dbl(3)), 1.5],
    ['MOD on DECIMAL', f('MOD', d('7.5', 2, 1), d('2', 1, 0)), '1.5'],
    ['38 digits fit', f('+', d('12345678901234567890123456789012345678', 38, 0), d('1', 1, 0)), '12345678901234567890123456789012345679'],
    ['overflow past 38 digits is NULL (Flink)', f('+', d('99999999999999999999999999999999999999', 38, 0), d('1', 1, 0)), null],
    ['large values stay exact', f('*', d('123456789012345678.9', 19, 1), d('10', 2, 0)), '1234567890123456789.0'],
    ['ROUND HALF_UP', f('ROUND', d('2.345', 4, 3), i(2)), '2.350'],
    ['ROUND negative', f('ROUND', d('-2.345', 4, 3), i(2)), '-2.350'],
    ['FLOOR', f('FLOOR', d('-1.5', 2, 1)), '-2'],
    ['CEIL', f('CEIL', d('1.1', 2, 1)), '2'],
    ['ABS', f('ABS', d('-3.25', 3, 2)), '3.25'],
  ]);
  test('DECIMAL(23, 3) type of Nexmark q1', async () => {
    const { bindExpr } = await import('../../src/operators/expr/bind.ts');
    expect(bindExpr(f('*', d('0.908', 3, 3), E.col(0)), [T.bigint()]).type).toEqual(T.decimal(23, 3));
  });
  test('DECIMAL division by zero fails', () => {
    expect(() => evaluateConstant(f('/', d('1', 1, 0), d('0', 1, 0)))).toThrow(/Division by zero/);
  });
});

describe('math', () => {
  check([
    ['ROUND(DOUBLE) goes through the decimal value', f('ROUND', dbl(2.675), i(2)), 2.68],
    ['ROUND(DOUBLE) half away from zero', f('ROUND', dbl(-0.5)), -1],
    ['ROUND(INT, -1)', f('ROUND', i(15), i(-1)), 20],
    ['ABS', f('ABS', i(-3)), 3],
    ['POWER', f('POWER', i(2), i(10)), 1024],
    ['SQRT', f('SQRT', dbl(16)), 4],
    ['LN(1)', f('LN', dbl(1)), 0],
    ['LOG10', f('LOG10', i(1000)), 3],
    ['LOG(b, x)', f('LOG', i(2), i(8)), 3],
    ['EXP(0)', f('EXP', i(0)), 1],
    ['SIGN', f('SIGN', dbl(-2.5)), -1],
    ['FLOOR(DOUBLE)', f('FLOOR', dbl(-1.5)), -2],
    ['CEIL(DOUBLE)', f('CEIL', dbl(1.2)), 2],
    ['TRUNCATE', f('TRUNCATE', dbl(1.29), i(1)), 1.2],
  ]);
  test('RAND with a seed repeats its sequence; without, stays in [0, 1)', () => {
    const rows = [[1], [2], [3]];
    const a = evaluateRows(f('RAND', i(42)), [T.int()], rows);
    const b = evaluateRows(f('RAND', i(42)), [T.int()], rows);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(3);
    for (const v of evaluateRows(f('RAND'), [T.int()], rows)) expect(v as number).toBeGreaterThanOrEqual(0);
  });
});

describe('string functions', () => {
  check([
    ['UPPER', f('UPPER', s('hello')), 'HELLO'],
    ['LOWER', f('LOWER', s('HeLLo')), 'hello'],
    ['TRIM removes spaces', f('TRIM', s('  a b  ')), 'a b'],
    ['TRIM characters', f('TRIM', s('xxaxx'), s('x')), 'a'],
    ['LTRIM', f('LTRIM', s('  a ')), 'a '],
    ['RTRIM', f('RTRIM', s('  a ')), '  a'],
    ['SUBSTRING from 2', f('SUBSTRING', s('Hello World'), i(2)), 'ello World'],
    ['SUBSTRING with length', f('SUBSTRING', s('Hello World'), i(1), i(5)), 'Hello'],
    ['SUBSTRING negative start counts from the end', f('SUBSTRING', s('Hello'), i(-3), i(2)), 'll'],
    ['SUBSTRING past the end', f('SUBSTRING', s('Hello'), i(10)), ''],
    ['CONCAT', f('CONCAT', s('a'), s('b'), s('c')), 'abc'],
    ['CONCAT with NULL is NULL', f('CONCAT', s('a'), s(null)), null],
    ['|| operator', f('||', s('a'), s('b')), 'ab'],
    ['CONCAT_WS skips NULLs', f('CONCAT_WS', s('-'), s('a'), s(null), s('c')), 'a-c'],
    ['CONCAT_WS NULL separator', f('CONCAT_WS', s(null), s('a')), null],
    ['REPLACE all occurrences', f('REPLACE', s('aXbXc'), s('X'), s('--')), 'a--b--c'],
    ['SPLIT_INDEX', f('SPLIT_INDEX', s('Jack,John,Mary'), s(','), i(2)), 'Mary'],
    ['SPLIT_INDEX out of range is NULL', f('SPLIT_INDEX', s('Jack,John,Mary'), s(','), i(3)), null],
    ['SPLIT_INDEX keeps empty tokens', f('SPLIT_INDEX', s('https://www.nexmark.com/a/b'), s('/'), i(3)), 'a'],
    ['REGEXP_EXTRACT group', f('REGEXP_EXTRACT', s('foothebar'), s('foo(.*?)(bar)'), i(2)), 'bar'],
    ['REGEXP_EXTRACT default group 1', f('REGEXP_EXTRACT', s('foothebar'), s('foo(.*?)(bar)')), 'the'],
    ['REGEXP_EXTRACT Nexmark q21', f('REGEXP_EXTRACT', s('https://x/item.htm?query=1&channel_id=1234'), s('(&|^)channel_id=([^&]*)'), i(2)), '1234'],
    ['REGEXP_EXTRACT no match is NULL', f('REGEXP_EXTRACT', s('abc'), s('x(y)'), i(1)), null],
    ['REGEXP_EXTRACT invalid pattern is NULL', f('REGEXP_EXTRACT', s('abc'), s('(')), null],
    ['REGEXP_REPLACE', f('REGEXP_REPLACE', s('foobar'), s('oo|ar'), s('')), 'fb'],
    ['REGEXP_REPLACE with group reference', f('REGEXP_REPLACE', s('2024-01-02'), s('(\\d+)-(\\d+)-(\\d+)'), s('$3/$2/$1')), '02/01/2024'],
    ['REGEXP finds a substring', f('REGEXP', s('abc123'), s('[0-9]+')), true],
    ['CHAR_LENGTH', f('CHAR_LENGTH', s('héllo')), 5],
    ['POSITION', f('POSITION', s('lo'), s('hello')), 4],
    ['POSITION absent', f('POSITION', s('x'), s('hello')), 0],
    ['LOCATE from a position', f('LOCATE', s('l'), s('hello'), i(4)), 4],
    ['INITCAP', f('INITCAP', s('hello wORLD-foo')), 'Hello World-Foo'],
    ['LPAD', f('LPAD', s('hi'), i(4), s('??')), '??hi'],
    ['LPAD truncates', f('LPAD', s('hi'), i(1), s('??')), 'h'],
    ['RPAD', f('RPAD', s('hi'), i(5), s('ab')), 'hiaba'],
    ['LPAD negative length is NULL', f('LPAD', s('hi'), i(-1), s('?')), null],
    ['REVERSE', f('REVERSE', s('abc')), 'cba'],
    ['REPEAT', f('REPEAT', s('ab'), i(3)), 'ababab'],
    ['MD5', f('MD5', s('')), 'd41d8cd98f00b204e9800998ecf8427e'],
    ['SHA256', f('SHA256', s('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['UPPER of NULL', f('UPPER', s(null)), null],
    ['TO_BASE64', f('TO_BASE64', s('hello world')), 'aGVsbG8gd29ybGQ='],
    ['TO_BASE64 of UTF-8', f('TO_BASE64', s('é')), 'w6k='],
    ['FROM_BASE64', f('FROM_BASE64', s('aGVsbG8gd29ybGQ=')), 'hello world'],
    ['FROM_BASE64 of what is not base64 is NULL', f('FROM_BASE64', s('not base64!')), null],
    ['FROM_BASE64 of NULL', f('FROM_BASE64', s(null)), null],
    ['INSTR', f('INSTR', s('hello world'), s('o')), 5],
    ['INSTR absent', f('INSTR', s('hello'), s('x')), 0],
    ['INSTR with NULL', f('INSTR', s(null), s('x')), null],
    ['STARTSWITH', f('STARTSWITH', s('Flink SQL'), s('Flink')), true],
    ['ENDSWITH', f('ENDSWITH', s('Flink SQL'), s('Flink')), false],
    ['HEX of an integer', f('HEX', i(100)), '64'],
    ['HEX of a negative integer is its 64-bit two\'s complement', f('HEX', i(-1)), 'FFFFFFFFFFFFFFFF'],
    ['HEX of a string', f('HEX', s('hello,world')), '68656C6C6F2C776F726C64'],
    ['URL_ENCODE as Java\'s URLEncoder', f('URL_ENCODE', s("a b&c=d/é!*'")), 'a+b%26c%3Dd%2F%C3%A9%21*%27'],
    ['URL_DECODE', f('URL_DECODE', s('a+b%26c%3Dd%2F%C3%A9')), 'a b&c=d/é'],
    ['URL_DECODE of a malformed escape is NULL', f('URL_DECODE', s('%E0%A4%A')), null],
    ['PARSE_URL HOST', f('PARSE_URL', s('http://facebook.com/path1/p.php?k1=v1&k2=v2#Ref1'), s('HOST')), 'facebook.com'],
    ['PARSE_URL PATH', f('PARSE_URL', s('http://facebook.com/path1/p.php?k1=v1&k2=v2#Ref1'), s('PATH')), '/path1/p.php'],
    ['PARSE_URL QUERY', f('PARSE_URL', s('http://facebook.com/path1/p.php?k1=v1&k2=v2#Ref1'), s('QUERY')), 'k1=v1&k2=v2'],
    ['PARSE_URL QUERY key', f('PARSE_URL', s('http://facebook.com/path1/p.php?k1=v1&k2=v2#Ref1'), s('QUERY'), s('k2')), 'v2'],
    ['PARSE_URL QUERY absent key', f('PARSE_URL', s('http://facebook.com/p?k1=v1'), s('QUERY'), s('k9')), null],
    ['PARSE_URL REF', f('PARSE_URL', s('http://facebook.com/path1/p.php?k1=v1&k2=v2#Ref1'), s('REF')), 'Ref1'],
    ['PARSE_URL PROTOCOL', f('PARSE_URL', s('https://a.com/x'), s('PROTOCOL')), 'https'],
    ['PARSE_URL FILE', f('PARSE_URL', s('http://a.com/p.php?k=v#r'), s('FILE')), '/p.php?k=v'],
    ['PARSE_URL AUTHORITY', f('PARSE_URL', s('http://u:p@a.com:8080/x'), s('AUTHORITY')), 'u:p@a.com:8080'],
    ['PARSE_URL USERINFO', f('PARSE_URL', s('http://u:p@a.com:8080/x'), s('USERINFO')), 'u:p'],
    ['PARSE_URL of what is not a URL is NULL', f('PARSE_URL', s('not a url'), s('HOST')), null],
    ['PARSE_URL unknown part is NULL', f('PARSE_URL', s('http://a.com'), s('PORTX')), null],
    ['TRANSLATE', f('TRANSLATE', s('AaBbCc'), s('abc'), s('123')), 'A1B2C3'],
    ['TRANSLATE drops characters without a counterpart', f('TRANSLATE', s('AaBbCc'), s('abc'), s('1')), 'A1BC'],
    ['REGEXP_COUNT', f('REGEXP_COUNT', s('Steven Jones and Stephen Smith are the best players'), s('Ste(v|ph)en')), 2],
    ['REGEXP_COUNT invalid pattern is NULL', f('REGEXP_COUNT', s('abc'), s('(')), null],
  ]);
  test('UUID() is a version 4 UUID, another each call, and not folded into a constant', () => {
    const a = evaluateConstant(f('UUID'));
    const b = evaluateConstant(f('UUID'));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
    // The planner leaves it a call: each row gets its own.
    expect(fold(f('UUID')).kind).not.toBe('literal');
    expect(fold(f('UPPER', s('a'))).kind).toBe('literal');
  });
});

describe('conditional functions', () => {
  check([
    ['COALESCE first non-NULL', f('COALESCE', i(null), i(2), i(3)), 2],
    ['COALESCE all NULL', f('COALESCE', i(null), i(null)), null],
    ['COALESCE widens', f('COALESCE', i(null), d('1.5', 2, 1)), '1.5'],
    ['IFNULL', f('IFNULL', s(null), s('x')), 'x'],
    ['NULLIF equal', f('NULLIF', i(1), i(1)), null],
    ['NULLIF different', f('NULLIF', i(1), i(2)), 1],
    ['IF true', f('IF', E.lit(true, T.boolean()), s('y'), s('n')), 'y'],
    ['IF NULL condition takes the else branch', f('IF', E.lit(null, T.boolean()), s('y'), s('n')), 'n'],
    ['GREATEST', f('GREATEST', i(1), i(5), i(3)), 5],
    ['LEAST strings', f('LEAST', s('b'), s('a')), 'a'],
    ['GREATEST with NULL is NULL', f('GREATEST', i(1), i(null)), null],
  ]);
  test('COALESCE is lazy: a later failing argument is not evaluated', () => {
    expect(evaluateConstant(f('COALESCE', i(1), f('/', i(1), i(0))))).toBe(1);
  });
});

describe('JSON', () => {
  const doc = '{"a": {"b": [10, 20, {"c": "x"}]}, "n": 1.5, "t": true, "z": null}';
  check([
    ['JSON_VALUE nested', f('JSON_VALUE', s(doc), s('$.a.b[1]')), '20'],
    ['JSON_VALUE string', f('JSON_VALUE', s(doc), s('$.a.b[2].c')), 'x'],
    ['JSON_VALUE number', f('JSON_VALUE', s(doc), s('$.n')), '1.5'],
    ['JSON_VALUE boolean', f('JSON_VALUE', s(doc), s("$['t']")), 'true'],
    ['JSON_VALUE of an object is NULL', f('JSON_VALUE', s(doc), s('$.a')), null],
    ['JSON_VALUE missing is NULL', f('JSON_VALUE', s(doc), s('$.missing')), null],
    ['JSON_VALUE lax prefix', f('JSON_VALUE', s(doc), s('lax $.n')), '1.5'],
    ['JSON_VALUE bad JSON is NULL', f('JSON_VALUE', s('{oops'), s('$.a')), null],
    ['JSON_EXISTS', f('JSON_EXISTS', s(doc), s('$.a.b')), true],
    ['JSON_EXISTS missing', f('JSON_EXISTS', s(doc), s('$.q')), false],
    ['JSON_EXISTS null value exists', f('JSON_EXISTS', s(doc), s('$.z')), true],
    ['JSON_QUERY object', f('JSON_QUERY', s(doc), s('$.a')), '{"b":[10,20,{"c":"x"}]}'],
    ['JSON_QUERY array', f('JSON_QUERY', s(doc), s('lax $.a.b')), '[10,20,{"c":"x"}]'],
    ['JSON_QUERY root', f('JSON_QUERY', s('{"foo": 100}'), s('lax $')), '{"foo":100}'],
    ['JSON_QUERY of a scalar is NULL (no wrapper)', f('JSON_QUERY', s('{"foo": 100}'), s('lax $.foo')), null],
    ['JSON_QUERY of a JSON null is NULL', f('JSON_QUERY', s(doc), s('$.z')), null],
    ['JSON_QUERY missing is NULL', f('JSON_QUERY', s(doc), s('$.q')), null],
    ['JSON_QUERY wildcard collects', f('JSON_QUERY', s('{"a":[{"c":"c1"},{"c":"c2"}]}'), s('lax $.a[*].c')), '["c1","c2"]'],
    ['JSON_QUERY wildcard with no match is NULL', f('JSON_QUERY', s('{"a":[]}'), s('$.a[*].c')), null],
    ['JSON_QUERY bad JSON is NULL', f('JSON_QUERY', s('{oops'), s('$')), null],
    ['JSON_QUERY bad path is NULL', f('JSON_QUERY', s(doc), s('invalid $.a')), null],
    ['JSON_QUERY NULL document is NULL', f('JSON_QUERY', s(null), s('$.a')), null],
  ]);
});

describe('temporal functions', () => {
  const T0 = '2024-03-05 07:08:09.123';
  check([
    ['DATE_FORMAT yyyy-MM-dd', f('DATE_FORMAT', ts(T0), s('yyyy-MM-dd')), '2024-03-05'],
    ['DATE_FORMAT HH:mm', f('DATE_FORMAT', ts(T0), s('HH:mm')), '07:08'],
    ['DATE_FORMAT full', f('DATE_FORMAT', ts(T0), s('yyyy/MM/dd HH:mm:ss.SSS')), '2024/03/05 07:08:09.123'],
    ['DATE_FORMAT names and quotes', f('DATE_FORMAT', ts(T0), s("EEE, d MMM yy 'at' h a")), 'Tue, 5 Mar 24 at 7 AM'],
    ['DATE_FORMAT of a string', f('DATE_FORMAT', s('2024-03-05 07:08:09'), s('yyyyMMdd')), '20240305'],
    ['EXTRACT YEAR', f('EXTRACT', s('YEAR'), ts(T0)), 2024],
    ['EXTRACT DOW (Sunday = 1)', f('EXTRACT', s('DOW'), ts(T0)), 3],
    ['EXTRACT DOY', f('EXTRACT', s('DOY'), ts(T0)), 65],
    ['EXTRACT WEEK (ISO)', f('EXTRACT', s('WEEK'), ts('2021-01-03 00:00:00')), 53],
    ['EXTRACT MILLISECOND includes seconds', f('EXTRACT', s('MILLISECOND'), ts(T0)), 9123],
    ['EXTRACT from DATE', f('EXTRACT', s('MONTH'), E.cast(s('2024-12-31'), T.date())), 12],
    ['YEAR', f('YEAR', ts(T0)), 2024],
    ['MONTH', f('MONTH', ts(T0)), 3],
    ['DAYOFMONTH', f('DAYOFMONTH', ts(T0)), 5],
    ['HOUR', f('HOUR', ts(T0)), 7],
    ['MINUTE', f('MINUTE', ts(T0)), 8],
    ['SECOND', f('SECOND', ts(T0)), 9],
    ['QUARTER', f('QUARTER', ts(T0)), 1],
    ['TIMESTAMPADD DAY', E.cast(f('TIMESTAMPADD', s('DAY'), i(30), ts(T0)), T.string()), '2024-04-04 07:08:09.123'],
    ['TIMESTAMPADD MONTH clamps the day', E.cast(f('TIMESTAMPADD', s('MONTH'), i(1), ts('2024-01-31 00:00:00')), T.string()), '2024-02-29 00:00:00.000'],
    ['TIMESTAMPDIFF HOUR', f('TIMESTAMPDIFF', s('HOUR'), ts('2024-01-01 00:00:00'), ts('2024-01-02 01:59:00')), 25],
    ['TIMESTAMPDIFF MONTH counts whole months', f('TIMESTAMPDIFF', s('MONTH'), ts('2024-01-15 00:00:00'), ts('2024-02-14 23:00:00')), 0],
    ['TIMESTAMPDIFF MONTH to a month end', f('TIMESTAMPDIFF', s('MONTH'), ts('2024-01-31 00:00:00'), ts('2024-02-29 00:00:00')), 1],
    ['TIMESTAMPDIFF negative', f('TIMESTAMPDIFF', s('DAY'), ts('2024-01-03 00:00:00'), ts('2024-01-01 12:00:00')), -1],
    ['TO_TIMESTAMP default format', E.cast(f('TO_TIMESTAMP', s('2024-03-05 07:08:09')), T.string()), '2024-03-05 07:08:09.000'],
    ['TO_TIMESTAMP with format', E.cast(f('TO_TIMESTAMP', s('05/03/2024 07h'), s("dd/MM/yyyy HH'h'")), T.string()), '2024-03-05 07:00:00.000'],
    ['TO_TIMESTAMP unparsable is NULL', f('TO_TIMESTAMP', s('nope')), null],
    ['CONVERT_TZ (Flink\'s example)', f('CONVERT_TZ', s('1970-01-01 00:00:00'), s('UTC'), s('America/Los_Angeles')), '1969-12-31 16:00:00'],
    ['CONVERT_TZ in summer time', f('CONVERT_TZ', s('2024-07-01 12:00:00'), s('Europe/Berlin'), s('Asia/Kolkata')), '2024-07-01 15:30:00'],
    ['CONVERT_TZ across a DST change', f('CONVERT_TZ', s('2024-03-31 03:30:00'), s('Europe/Berlin'), s('UTC')), '2024-03-31 01:30:00'],
    ['CONVERT_TZ with an offset zone', f('CONVERT_TZ', s('2024-01-01 00:00:00'), s('GMT+05:00'), s('UTC')), '2023-12-31 19:00:00'],
    ['CONVERT_TZ with Java\'s three-letter ids', f('CONVERT_TZ', s('2024-07-01 12:00:00'), s('PST'), s('EST')), '2024-07-01 14:00:00'],
    ['CONVERT_TZ of an unknown zone treats it as UTC', f('CONVERT_TZ', s('2024-01-01 00:00:00'), s('Nowhere/Land'), s('UTC')), '2024-01-01 00:00:00'],
    ['CONVERT_TZ of unparsable text is NULL', f('CONVERT_TZ', s('yesterday'), s('UTC'), s('UTC')), null],
    ['TO_TIMESTAMP_LTZ seconds', E.cast(f('TO_TIMESTAMP_LTZ', bi(1700000000), i(0)), T.string()), '2023-11-14 22:13:20.000'],
    ['TO_TIMESTAMP_LTZ millis', f('TO_TIMESTAMP_LTZ', bi(1700000000123), i(3)), 1700000000123],
    ['UNIX_TIMESTAMP of a string', f('UNIX_TIMESTAMP', s('1970-01-01 00:01:00')), 60],
    ['UNIX_TIMESTAMP with format', f('UNIX_TIMESTAMP', s('1970/01/02'), s('yyyy/MM/dd')), 86400],
    ['FROM_UNIXTIME', f('FROM_UNIXTIME', bi(86461)), '1970-01-02 00:01:01'],
    ['FROM_UNIXTIME with format', f('FROM_UNIXTIME', bi(0), s('yyyy')), '1970'],
    ['FLOOR(ts TO HOUR)', E.cast(f('FLOOR', ts(T0), s('HOUR')), T.string()), '2024-03-05 07:00:00.000'],
    ['CEIL(ts TO HOUR)', E.cast(f('CEIL', ts(T0), s('HOUR')), T.string()), '2024-03-05 08:00:00.000'],
    ['FLOOR(ts TO MONTH)', E.cast(f('FLOOR', ts(T0), s('MONTH')), T.string()), '2024-03-01 00:00:00.000'],
    ['CEIL(ts TO YEAR)', E.cast(f('CEIL', ts(T0), s('YEAR')), T.string()), '2025-01-01 00:00:00.000'],
    ['FLOOR(ts TO WEEK) starts on Sunday', E.cast(f('FLOOR', ts(T0), s('WEEK')), T.string()), '2024-03-03 00:00:00.000'],
    ['TIMESTAMP + INTERVAL', E.cast(f('+', ts(T0), E.lit(1000, T.intervalDayTime())), T.string()), '2024-03-05 07:08:10.123'],
    ['TIMESTAMP - INTERVAL YEAR TO MONTH', E.cast(f('-', ts('2024-03-31 00:00:00'), E.lit(1, T.intervalYearMonth())), T.string()), '2024-02-29 00:00:00.000'],
    ['DATE + INTERVAL', E.cast(f('+', E.cast(s('2024-02-28'), T.date()), E.lit(86_400_000, T.intervalDayTime())), T.string()), '2024-02-29'],
    ['dates before 1970', f('DATE_FORMAT', ts('1969-12-31 23:59:59'), s('yyyy-MM-dd HH:mm:ss')), '1969-12-31 23:59:59'],
  ]);
  test('bad unit is an execution error', () => {
    expect(() => evaluateConstant(f('TIMESTAMPADD', s('FORTNIGHT'), i(1), ts(T0)))).toThrow(/FORTNIGHT/);
  });
});

describe('functions over columns with NULLs', () => {
  const rows = [['a,b'], [null], ['x']];
  test.each<[string, PhysicalExpr, SqlType[], unknown[]]>([
    ['SPLIT_INDEX', f('SPLIT_INDEX', E.col(0), s(','), i(1)), [T.string()], ['b', null, null]],
    ['UPPER', f('UPPER', E.col(0)), [T.string()], ['A,B', null, 'X']],
    ['COALESCE', f('COALESCE', E.col(0), s('-')), [T.string()], ['a,b', '-', 'x']],
    ['CHAR_LENGTH', f('CHAR_LENGTH', E.col(0)), [T.string()], [3, null, 1]],
  ])('%s', (_n, e, types, expected) => expect(evaluateRows(e, types, rows)).toEqual(expected));
});

describe('functions over many rows give what each row computes alone', () => {
  test('SPLIT_INDEX and REGEXP_EXTRACT over repeating and unique inputs', () => {
    const urls = Array.from({ length: 60_000 }, (_, k) => (k % 3 === 0 ? `https://h/d${k}/e/f?x=1&channel_id=${k}` : `https://h/a${k % 7}/b/c?channel_id=${k % 7}`));
    const rows = urls.map((u) => [u]);
    const split = evaluateRows(f('SPLIT_INDEX', E.col(0), s('/'), i(3)), [T.string()], rows);
    expect(split).toEqual(urls.map((u) => u.split('/')[3]));
    const re = evaluateRows(f('REGEXP_EXTRACT', E.col(0), s('(&|^)channel_id=([^&]*)'), i(2)), [T.string()], rows);
    expect(re).toEqual(urls.map((u) => /(&|^)channel_id=([^&]*)/.exec(u)?.[2] ?? null));
    const unique = Array.from({ length: 60_000 }, (_, k) => [`a/${k}/b`]);
    expect(evaluateRows(f('SPLIT_INDEX', E.col(0), s('/'), i(1)), [T.string()], unique)).toEqual(unique.map(([u]) => String(u).split('/')[1]));
  });

  test('DATE_FORMAT over times crossing minutes, days and 1970 backwards and forwards', () => {
    const base = Date.UTC(1969, 11, 31, 23, 58, 0);
    const times = Array.from({ length: 400 }, (_, k) => base + (k % 2 === 0 ? k * 29_999 : -k * 61_001) + (k % 5) * 86_400_000);
    const rows = times.map((t) => [t]);
    const iso = (t: number) => new Date(t).toISOString();
    expect(evaluateRows(f('DATE_FORMAT', E.col(0), s('yyyy-MM-dd')), [T.timestamp(3)], rows)).toEqual(times.map((t) => iso(t).slice(0, 10)));
    expect(evaluateRows(f('DATE_FORMAT', E.col(0), s('HH:mm')), [T.timestamp(3)], rows)).toEqual(times.map((t) => iso(t).slice(11, 16)));
    expect(evaluateRows(f('DATE_FORMAT', E.col(0), s('ss.SSS')), [T.timestamp(3)], rows)).toEqual(times.map((t) => iso(t).slice(17, 23)));
  });
});
