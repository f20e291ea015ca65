/**
 * Runs the data-driven cases in test/sql/parse/*.txt (format in sql-cases.ts)
 * and checks that every `parse` case survives a round trip through formatSql.
 */
import { describe, expect, it } from 'vitest';
import { formatSql, parseSql, SqlSyntaxError } from '../../src/sql/index.ts';
import { caseFiles, readCases, withoutPositions } from './sql-cases.ts';

const dir = new URL('./parse/', import.meta.url).pathname;

for (const file of caseFiles(dir)) {
  describe(file.split('/').pop() ?? file, () => {
    for (const c of readCases(file)) {
      if (c.directive === 'parse') {
        it(`${c.where} parses`, () => {
          const statements = parseSql(c.sql);
          const text = statements.map((s) => formatSql(s)).join('\n');
          expect(text).toBe(c.expected);
          const again = parseSql(statements.map((s) => formatSql(s)).join(';\n'));
          expect(withoutPositions(again)).toEqual(withoutPositions(statements));
        });
      } else {
        it(`${c.where} fails`, () => {
          let caught: unknown;
          try {
            parseSql(c.sql);
          } catch (e) {
            caught = e;
          }
          expect(caught).toBeInstanceOf(SqlSyntaxError);
          expect(caught instanceof Error ? caught.message : '').toBe(c.expected);
        });
      }
    }
  });
}

describe('parse cache', () => {
  it('a text parsed again gives the same frozen statements in a new array; errors are thrown again', () => {
    const text = 'INSERT INTO out SELECT a FROM t WHERE b = 1; SELECT 2';
    const first = parseSql(text);
    const second = parseSql(text);
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
    expect(Object.isFrozen(second[0])).toBe(true);
    second.pop();
    expect(parseSql(text)).toHaveLength(2);
    for (let i = 0; i < 2; i++) expect(() => parseSql('SELECT FROM WHERE')).toThrow(SqlSyntaxError);
  });
});
