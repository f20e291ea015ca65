/** Every query in queries/ parses, and formatting it gives SQL that parses to the same tree. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSql, parseSql } from '../../src/sql/index.ts';
import { withoutPositions } from './sql-cases.ts';

const dir = new URL('../../queries/nexmark/', import.meta.url).pathname;
const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();

describe('queries/nexmark', () => {
  it('has q0 to q23 and the setup', () => {
    const expected = ['setup.sql', ...Array.from({ length: 24 }, (_, i) => `q${i}.sql`)].sort();
    expect(files).toEqual(expected);
  });

  for (const file of files) {
    it(`${file} parses and round-trips`, () => {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text.startsWith('-- ')).toBe(true);
      const statements = parseSql(text);
      expect(statements.length).toBeGreaterThan(0);
      for (const statement of statements) {
        const again = parseSql(formatSql(statement));
        expect(again).toHaveLength(1);
        expect(withoutPositions(again[0])).toEqual(withoutPositions(statement));
      }
    });
  }

  it('q5 reads bids through a HOP window table function', () => {
    const insert = parseSql(readFileSync(join(dir, 'q5.sql'), 'utf8'))[1];
    expect(insert?.kind).toBe('Insert');
    expect(formatSql(insert ?? parseSql('SELECT 1')[0]!)).toContain(
      "FROM TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '10' SECOND))",
    );
  });
});
