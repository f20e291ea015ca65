/** Runs every test/sql-logic/*.slt file: one test per record, in order, sharing a session per file. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SltSession, loadSlt } from './runner.ts';

const dir = join(import.meta.dirname, '.');
const files = readdirSync(dir).filter((f) => f.endsWith('.slt')).sort();

for (const file of files) {
  describe(file, () => {
    const session = new SltSession();
    for (const record of loadSlt(join(dir, file))) {
      it(`line ${record.line}: ${record.kind} ${record.sql.split('\n')[0].slice(0, 60)}`, async () => {
        const got = await session.run(record);
        if (record.kind === 'statement') expect(got).toEqual([]);
        else expect(got).toEqual(record.expected);
      });
    }
  });
}
