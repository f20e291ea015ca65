/** The shape of the AST: node kinds and fields, positions, immutability, and the public API's contracts. */
import { describe, expect, it } from 'vitest';
import {
  formatSql,
  parseSql,
  parseStatement,
  RunnelError,
  SqlSyntaxError,
} from '../../src/sql/index.ts';
import type { Expression, QueryNode, SelectNode, Statement } from '../../src/sql/index.ts';
import { parenDepthMax, sqlTextCharsMax } from '../../src/sql/lexer.ts';
import { SqlParser } from '../../src/sql/parser.ts';
import { withoutPositions } from './sql-cases.ts';

function select(sql: string): SelectNode {
  const s = parseStatement(sql);
  if (s.kind !== 'Query' || s.body.kind !== 'Select') throw new Error(`not a plain SELECT: ${sql}`);
  return s.body;
}

function expr(sql: string): Expression {
  const item = select(`SELECT ${sql}`).items[0];
  if (item?.kind !== 'SelectExpr') throw new Error('not an expression');
  return item.expr;
}

function syntaxError(sql: string): SqlSyntaxError {
  try {
    parseSql(sql);
  } catch (e) {
    if (e instanceof SqlSyntaxError) return e;
    throw e;
  }
  throw new Error(`parsed: ${sql}`);
}

describe('grammar', () => {
  it('passes chevrotain validation (no ambiguities, no left recursion)', () => {
    expect(() => new SqlParser({ validate: true })).not.toThrow();
  });
});

describe('expressions', () => {
  it('folds operators left to right with the right precedence', () => {
    expect(withoutPositions(expr('a - b - c * d'))).toEqual({
      kind: 'Binary',
      op: '-',
      left: { kind: 'Binary', op: '-', left: { kind: 'ColumnRef', path: ['a'] }, right: { kind: 'ColumnRef', path: ['b'] } },
      right: { kind: 'Binary', op: '*', left: { kind: 'ColumnRef', path: ['c'] }, right: { kind: 'ColumnRef', path: ['d'] } },
    });
  });

  it('reads != as <> and keeps literal text', () => {
    expect(expr('a != 1.50')).toMatchObject({ kind: 'Binary', op: '<>', right: { kind: 'NumericLiteral', text: '1.50' } });
    expect(expr("'it''s'")).toMatchObject({ kind: 'StringLiteral', value: "it's" });
  });

  it('parses names: backquotes with escapes, $ names, keywords in any case', () => {
    expect(expr('`a``b`.`c d`')).toMatchObject({ kind: 'ColumnRef', path: ['a`b', 'c d'] });
    expect(expr('t.$rowtime')).toMatchObject({ kind: 'ColumnRef', path: ['t', '$rowtime'] });
    expect(expr('Key')).toMatchObject({ kind: 'ColumnRef', path: ['Key'] });
    expect(withoutPositions(parseStatement('sElEcT a FrOm t'))).toEqual(withoutPositions(parseStatement('SELECT a FROM t')));
  });

  it('shapes aggregates: COUNT(*), DISTINCT, FILTER, OVER', () => {
    expect(expr('COUNT(*)')).toMatchObject({ kind: 'FunctionCall', name: { parts: ['COUNT'] }, star: true, args: [] });
    expect(expr('count(DISTINCT b) FILTER (WHERE p > 1)')).toMatchObject({
      kind: 'FunctionCall',
      distinct: true,
      args: [{ kind: 'ColumnRef', path: ['b'] }],
      filter: { kind: 'Binary', op: '>' },
    });
    expect(expr('AVG(p) OVER (PARTITION BY s ORDER BY ts DESC ROWS BETWEEN 10 PRECEDING AND CURRENT ROW)')).toMatchObject({
      over: {
        kind: 'WindowSpec',
        reference: false,
        partitionBy: [{ kind: 'ColumnRef', path: ['s'] }],
        orderBy: [{ kind: 'OrderItem', direction: 'DESC' }],
        frame: { units: 'ROWS', start: { type: 'PRECEDING', offset: { text: '10' } }, end: { type: 'CURRENT ROW' } },
      },
    });
    expect(expr('SUM(a) OVER w')).toMatchObject({ over: { reference: true, baseWindow: { value: 'w' } } });
  });

  it('shapes special forms', () => {
    expect(expr('CURRENT_TIMESTAMP')).toMatchObject({ kind: 'FunctionCall', noParens: true, name: { parts: ['CURRENT_TIMESTAMP'] } });
    expect(expr("INTERVAL '1:30' MINUTES TO SECOND")).toMatchObject({
      kind: 'IntervalLiteral',
      value: '1:30',
      qualifier: { from: 'MINUTE', to: 'SECOND' },
    });
    expect(expr('EXTRACT(HOUR FROM ts)')).toMatchObject({ kind: 'Extract', unit: 'HOUR' });
    expect(expr('TIMESTAMPDIFF(DAY, a, b)')).toMatchObject({ kind: 'TimestampArith', function: 'TIMESTAMPDIFF', unit: 'DAY' });
    expect(expr('SUBSTRING(s, 2, 3)')).toEqual(expect.objectContaining({ kind: 'Substring' }));
    expect(withoutPositions(expr('SUBSTRING(s, 2, 3)'))).toEqual(withoutPositions(expr('SUBSTRING(s FROM 2 FOR 3)')));
    expect(expr("TRIM(LEADING 'x' FROM s)")).toMatchObject({ kind: 'Trim', side: 'LEADING', characters: { value: 'x' } });
    expect(expr('CASE a WHEN 1 THEN 2 END')).toMatchObject({ kind: 'Case', operand: { kind: 'ColumnRef' }, whens: [{ when: { text: '1' } }] });
    expect(expr("MAP['a', 1]")).toMatchObject({ kind: 'MapConstructor', entries: [{ key: { value: 'a' }, value: { text: '1' } }] });
    expect(expr('TRY_CAST(a AS INT NOT NULL)')).toMatchObject({ kind: 'Cast', try: true, type: { kind: 'SimpleType', name: 'INT', notNull: true } });
    expect(expr('x[1].f')).toMatchObject({ kind: 'FieldAccess', field: 'f', operand: { kind: 'Index' } });
    expect(expr('a NOT IN (SELECT b FROM t)')).toMatchObject({ kind: 'InSubquery', not: true, query: { kind: 'Query' } });
  });
});

describe('queries and FROM', () => {
  it('represents a window TVF as a table function with a table argument and a descriptor', () => {
    const from = select("SELECT * FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(ts), INTERVAL '10' SECOND))").from;
    expect(withoutPositions(from)).toEqual({
      kind: 'TableFunction',
      name: { kind: 'ObjectName', parts: ['TUMBLE'] },
      lateral: false,
      columnAliases: [],
      args: [
        { kind: 'TableFunctionArg', value: { kind: 'TableArg', table: { kind: 'ObjectName', parts: ['bid'] }, partitionBy: [] } },
        { kind: 'TableFunctionArg', value: { kind: 'Descriptor', columns: [{ kind: 'Identifier', value: 'ts' }] } },
        { kind: 'TableFunctionArg', value: { kind: 'IntervalLiteral', value: '10', qualifier: { from: 'SECOND' } } },
      ],
    });
  });

  it('keeps argument names and SESSION partition keys', () => {
    const from = select(
      "SELECT * FROM TABLE(SESSION(DATA => TABLE bid PARTITION BY bidder, TIMECOL => DESCRIPTOR(ts), GAP => INTERVAL '5' MINUTE))",
    ).from;
    expect(from).toMatchObject({
      kind: 'TableFunction',
      args: [
        { name: { value: 'DATA' }, value: { kind: 'TableArg', partitionBy: [{ kind: 'ColumnRef', path: ['bidder'] }] } },
        { name: { value: 'TIMECOL' }, value: { kind: 'Descriptor' } },
        { name: { value: 'GAP' }, value: { kind: 'IntervalLiteral' } },
      ],
    });
  });

  it('joins left-deep and marks comma joins and temporal joins', () => {
    const from = select('SELECT * FROM a, b JOIN c FOR SYSTEM_TIME AS OF b.ts AS c2 ON c2.k = b.k').from;
    expect(from).toMatchObject({
      kind: 'Join',
      type: 'INNER',
      left: { kind: 'Join', type: 'COMMA', left: { name: { parts: ['a'] } }, right: { name: { parts: ['b'] } } },
      right: { kind: 'TableName', alias: { value: 'c2' }, systemTimeAsOf: { kind: 'ColumnRef', path: ['b', 'ts'] } },
      on: { kind: 'Binary', op: '=' },
    });
  });

  it('wraps ORDER BY, LIMIT and WITH around the body', () => {
    const q = parseStatement('WITH x AS (SELECT 1) SELECT * FROM x ORDER BY 1 FETCH FIRST 5 ROWS ONLY') as QueryNode;
    expect(q).toMatchObject({ kind: 'Query', with: [{ name: { value: 'x' } }], body: { kind: 'Select' }, limit: { text: '5' } });
    expect(q.orderBy).toHaveLength(1);
  });

  it('groups by expressions, grouping sets, rollup and cube', () => {
    const s = select('SELECT 1 FROM t GROUP BY a, GROUPING SETS ((a, b), ()), ROLLUP (a), CUBE (a, b)');
    expect(s.groupBy.map((g) => g.kind)).toEqual(['ColumnRef', 'GroupingSets', 'Rollup', 'Cube']);
  });
});

describe('statements', () => {
  it('splits CREATE TABLE into columns, watermark, primary key and options', () => {
    const s = parseStatement(`CREATE TABLE t (
      id BIGINT PRIMARY KEY NOT ENFORCED,
      ts TIMESTAMP(3) WITH LOCAL TIME ZONE,
      v AS id * 2,
      p INT METADATA FROM 'partition' VIRTUAL,
      WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
    ) WITH ('connector' = 'kafka')`);
    expect(s).toMatchObject({
      kind: 'CreateTable',
      columns: [
        { kind: 'PhysicalColumn', name: { value: 'id' }, type: { kind: 'SimpleType', name: 'BIGINT' } },
        { kind: 'PhysicalColumn', type: { kind: 'TimestampType', precision: 3, withLocalTimeZone: true } },
        { kind: 'ComputedColumn', expr: { kind: 'Binary', op: '*' } },
        { kind: 'MetadataColumn', metadataKey: 'partition', virtual: true },
      ],
      watermark: { column: { value: 'ts' }, strategy: { kind: 'Binary', op: '-' } },
      primaryKey: { columns: [{ value: 'id' }] },
      options: [{ key: 'connector', value: 'kafka' }],
    });
  });

  it('treats equivalent spellings of a type as the same type', () => {
    const a = parseStatement('CREATE TABLE t (a TIMESTAMP_LTZ(3), b INTEGER, c DEC(5,2), d CHARACTER VARYING(3))');
    const b = parseStatement('CREATE TABLE t (a TIMESTAMP(3) WITH LOCAL TIME ZONE, b INT, c NUMERIC(5, 2), d VARCHAR(3))');
    expect(withoutPositions(a)).toEqual(withoutPositions(b));
  });

  it('parses a statement set, SET, STOP STATEMENT and EXPLAIN', () => {
    const [set, exec, stop, explain] = parseSql(`
      SET 'sql.state-ttl' = '1 h';
      EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1; INSERT INTO b (x) SELECT 2; END;
      STOP STATEMENT 'q5' WITH SAVEPOINT;
      EXPLAIN CHANGELOG_MODE SELECT 1;
    `);
    expect(set).toMatchObject({ kind: 'Set', key: 'sql.state-ttl', value: '1 h' });
    expect(exec).toMatchObject({ kind: 'StatementSet', inserts: [{ table: { parts: ['a'] } }, { columns: [{ value: 'x' }] }] });
    expect(stop).toMatchObject({ kind: 'StopStatement', name: 'q5', withSavepoint: true });
    expect(explain).toMatchObject({ kind: 'Explain', details: ['CHANGELOG_MODE'], statement: { kind: 'Query' } });
  });
});

describe('positions', () => {
  it('records line and column of every node', () => {
    const [first, second] = parseSql('SELECT a,\n  b + 1 AS c\nFROM t;\n\nINSERT INTO u SELECT 1');
    const body = (first as QueryNode).body as SelectNode;
    expect(first?.pos).toEqual({ line: 1, column: 1, offset: 0 });
    expect(body.items[1]).toMatchObject({ pos: { line: 2, column: 3 }, alias: { pos: { line: 2, column: 12 } } });
    const item = body.items[1];
    expect(item?.kind === 'SelectExpr' ? item.expr : undefined).toMatchObject({
      kind: 'Binary',
      pos: { line: 2, column: 3 },
      right: { pos: { line: 2, column: 7 } },
    });
    expect(body.from?.pos).toMatchObject({ line: 3, column: 6 });
    expect(second?.pos).toMatchObject({ line: 5, column: 1 });
  });

  it('gives every node with a kind a position', () => {
    const missing: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v !== null && typeof v === 'object') {
        const record = v as Record<string, unknown>;
        if (typeof record.kind === 'string' && record.pos === undefined) missing.push(record.kind);
        Object.values(record).forEach(walk);
      }
    };
    walk(parseSql(`CREATE TABLE t (a INT, WATERMARK FOR a AS a, PRIMARY KEY (a) NOT ENFORCED) WITH ('k' = 'v');
      ALTER TABLE t DROP WATERMARK; ALTER TABLE t RESET ('k');
      SELECT a, count(*) OVER w FROM TABLE(HOP(TABLE t, DESCRIPTOR(a), INTERVAL '1' SECOND, INTERVAL '2' SECOND))
      WINDOW w AS (ORDER BY a) ORDER BY a`));
    expect(missing).toEqual([]);
  });
});

describe('immutability', () => {
  it('freezes the tree and leaves no undefined properties', () => {
    const s: Statement = parseStatement('SELECT a FROM t WHERE b > 1');
    expect(Object.isFrozen(s)).toBe(true);
    const body = (s as QueryNode).body as SelectNode;
    expect(Object.isFrozen(body.items)).toBe(true);
    expect(Object.isFrozen(body.where)).toBe(true);
    expect('having' in body).toBe(false);
    expect(() => {
      (body as { distinct: boolean }).distinct = true;
    }).toThrow();
  });
});

describe('formatSql', () => {
  it('formats expressions, table references and data types on their own', () => {
    const s = select('SELECT (a + b) * -c FROM x AS y');
    const item = s.items[0];
    expect(item?.kind === 'SelectExpr' ? formatSql(item.expr) : '').toBe('(a + b) * -c');
    expect(s.from === undefined ? '' : formatSql(s.from)).toBe('x AS y');
    const t = parseStatement('CREATE TABLE t (a ROW<b ARRAY<INT NOT NULL>>)');
    expect(t.kind === 'CreateTable' && t.columns[0]?.kind === 'PhysicalColumn' ? formatSql(t.columns[0].type) : '').toBe(
      'ROW<b ARRAY<INT NOT NULL>>',
    );
  });

  it('quotes names that are keywords or not plain', () => {
    expect(formatSql(parseStatement('SELECT `from`, `a b`, `Key`, `x` FROM `t-1`'))).toBe('SELECT `from`, `a b`, `Key`, x FROM `t-1`');
  });
});

describe('errors', () => {
  it('are SqlSyntaxErrors with a code, a location, the token found and what was expected', () => {
    const e = syntaxError('SELECT a,\n  FROM t');
    expect(e).toBeInstanceOf(RunnelError);
    expect(e.code).toBe('SYNTAX_ERROR');
    expect(e.name).toBe('SqlSyntaxError');
    expect({ line: e.line, column: e.column, offset: e.offset, found: e.found, expected: e.expected }).toEqual({
      line: 2,
      column: 3,
      offset: 12,
      found: 'FROM',
      expected: 'an expression',
    });
  });

  it('parseStatement wants exactly one statement', () => {
    expect(parseStatement('SELECT 1;').kind).toBe('Query');
    expect(() => parseStatement('  ; ')).toThrow('line 1, column 1: expected a statement but found end of input');
    expect(() => parseStatement('SELECT 1; SELECT 2')).toThrow(
      'line 1, column 11: expected one statement but found 2; send them one at a time',
    );
  });

  it('an empty script is no statements', () => {
    expect(parseSql('')).toEqual([]);
    expect(parseSql(' -- just a comment\n;')).toEqual([]);
  });

  it('limits nesting and length instead of overflowing the stack', () => {
    const deep = `SELECT ${'('.repeat(parenDepthMax + 1)}1${')'.repeat(parenDepthMax + 1)}`;
    expect(syntaxError(deep).message).toBe(
      `line 1, column ${8 + parenDepthMax}: parentheses are nested more than ${parenDepthMax} deep; simplify the expression`,
    );
    const ok = `SELECT ${'CAST(('.repeat(parenDepthMax / 2)}1${') AS INT)'.repeat(parenDepthMax / 2)}`;
    expect(parseSql(ok)).toHaveLength(1);
    expect(syntaxError(`SELECT ${'NOT '.repeat(50_000)}TRUE`).message).toBe(
      'line 1, column 1: the statement is nested too deeply to parse; simplify it',
    );
    expect(parseSql('SELECT 1 + 2')).toHaveLength(1);
    expect(syntaxError(`SELECT '${'x'.repeat(sqlTextCharsMax)}'`).message).toContain('the limit is');
  });
});
