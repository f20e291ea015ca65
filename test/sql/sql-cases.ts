/**
 * Reads the data-driven SQL test files in test/sql/parse/.
 *
 * A file is a list of cases. Each case starts with a directive line, then the
 * SQL, then a line `----`, then the expected output, and ends at a blank line:
 *
 *     # a comment
 *     parse
 *     select a+b*c from t
 *     ----
 *     SELECT a + b * c FROM t
 *
 *     error
 *     SELECT FROM t
 *     ----
 *     line 1, column 8: expected an expression after SELECT but found FROM
 *
 * `parse`: the SQL parses and `formatSql` of each statement, one per line, is
 * the expected text (which also shows the tree's shape, since formatSql adds
 * parentheses exactly where precedence needs them). `error`: parsing fails
 * with exactly the expected message.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface SqlCase {
  readonly directive: 'parse' | 'error';
  readonly sql: string;
  readonly expected: string;
  /** `file:line` of the directive, for test names. */
  readonly where: string;
}

export function readCases(path: string): SqlCase[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const cases: SqlCase[] = [];
  const name = path.split('/').pop() ?? path;
  let i = 0;
  while (i < lines.length) {
    const line = (lines[i] ?? '').trim();
    if (line === '' || line.startsWith('#')) {
      i += 1;
      continue;
    }
    if (line !== 'parse' && line !== 'error') throw new Error(`${name}:${i + 1}: unknown directive '${line}'`);
    const where = `${name}:${i + 1}`;
    const sql: string[] = [];
    i += 1;
    while (i < lines.length && lines[i] !== '----') sql.push(lines[i++] ?? '');
    if (i >= lines.length) throw new Error(`${where}: missing ----`);
    i += 1;
    const expected: string[] = [];
    while (i < lines.length && (lines[i] ?? '').trim() !== '') expected.push(lines[i++] ?? '');
    cases.push({ directive: line, sql: sql.join('\n'), expected: expected.join('\n'), where });
  }
  return cases;
}

export function caseFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => join(dir, f));
}

/** A deep copy without `pos`, to compare trees parsed from different text. */
export function withoutPositions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPositions);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== 'pos') out[k] = withoutPositions(v);
    return out;
  }
  return value;
}
