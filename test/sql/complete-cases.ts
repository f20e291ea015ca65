/**
 * Fills in the expected output of cases in a test/sql/parse/*.txt file from
 * what the parser does now, like sqllogictest's --complete mode. Review the
 * diff before committing: the file is the specification, not a snapshot.
 *
 *     node --import tsx test/sql/complete-cases.ts test/sql/parse/new.txt
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { formatSql, parseSql } from '../../src/sql/index.ts';
import { readCases } from './sql-cases.ts';

function actual(sql: string): string {
  try {
    return parseSql(sql)
      .map((s) => formatSql(s))
      .join('\n');
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

const path = process.argv[2];
if (path === undefined) throw new Error('usage: complete-cases.ts <file.txt>');
const outputs = readCases(path).map((c) => actual(c.sql));
const lines = readFileSync(path, 'utf8').split('\n');
const out: string[] = [];
let next = 0;
for (let i = 0; i < lines.length; i++) {
  const line = lines[i] ?? '';
  out.push(line);
  if (line === '----') {
    out.push(outputs[next++] ?? '');
    while (i + 1 < lines.length && (lines[i + 1] ?? '').trim() !== '') i++;
  }
}
writeFileSync(path, out.join('\n'));
