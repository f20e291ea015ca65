import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlRuntime } from '../../src/runtime/index.ts';
import { startHttpServer } from '../../src/server/index.ts';
import type { HttpServer } from '../../src/server/index.ts';
import { produceAvro, startEnv, type Env } from '../connectors/kafka/helpers.ts';
import { BIN, runCli } from './run-cli.ts';

const bidSchema = { type: 'record', name: 'Bid', fields: [{ name: 'auction', type: 'long' }, { name: 'price', type: 'long' }] };

const hasTmux = spawnSync('tmux', ['-V']).status === 0;

describe('runnel sql', () => {
  let env: Env;
  let sql: SqlRuntime;
  let http: HttpServer;
  let url: string;
  let dir: string;
  beforeAll(async () => {
    env = await startEnv();
    await env.topics.createTopic('bid', { partitions: 1 });
    await produceAvro(env, 'bid', bidSchema, Array.from({ length: 20 }, (_, i) => ({ auction: i % 3, price: i })));
    sql = await SqlRuntime.open({ topics: env.topics, registry: env.registry });
    http = await startHttpServer({ host: '127.0.0.1', port: 0, runtime: sql });
    url = `http://127.0.0.1:${http.port}`;
    dir = await mkdtemp(join(tmpdir(), 'runnel-sql-cli-'));
  });
  afterAll(async () => {
    await http.close();
    await sql.close();
    await env.stop();
  });

  it('-e runs several statements and prints tables and messages', async () => {
    const r = await runCli(['sql', '--http', url, '-e', "CREATE TABLE e1 (id BIGINT, name STRING); SHOW TABLES LIKE 'e%'; DESCRIBE e1"]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe([
      "Table 'e1' created.",
      '+------------+', '| Table Name |', '+------------+', '| e1         |', '+------------+',
      '+-------------+-----------+----------+--------+', '| Column Name | Data Type | Nullable | Extras |', '+-------------+-----------+----------+--------+',
      '| id          | BIGINT    | NULL     |        |', '| name        | STRING    | NULL     |        |', '+-------------+-----------+----------+--------+', '',
    ].join('\n'));
  });

  it('-e with a SELECT prints the changelog when stdout is not a terminal', async () => {
    const r = await runCli(['sql', '--http', url, '-e', 'SELECT auction, price FROM bid WHERE price > 15 LIMIT 3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('op | auction | price\n+I | 1 | 16\n+I | 2 | 17\n+I | 0 | 18\n');
  });

  it('-f runs a script (comments, quotes, a statement set) and stops at the first error with file:line:column', async () => {
    const file = join(dir, 'script.sql');
    await writeFile(file, [
      '-- a script; with semicolons in comments',
      "CREATE TABLE f1 (auction BIGINT, note STRING);",
      "SET 'sql.statement.name' = 'copy-bids';",
      'EXECUTE STATEMENT SET',
      'BEGIN',
      "  INSERT INTO f1 SELECT auction, 'x;y' FROM bid WHERE price < 2;",
      'END;',
      '/* block; comment */',
      'SELECT',
      '  nope',
      'FROM bid;',
      'SHOW TABLES;',
    ].join('\n'));
    const r = await runCli(['sql', '--http', url, '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Table 'f1' created\.\n[\s\S]*Statement 'copy-bids' submitted \(id [0-9a-f-]+, PENDING\)\.\n$/);
    expect(r.stderr.startsWith(`ERROR 40002 at ${file}:10:3: unknown column 'nope'`)).toBe(true);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(sql.statements.get('copy-bids')?.sql).toContain("'x;y'");
  });

  it('reads a script from piped stdin and carries SET properties to later statements', async () => {
    const r = await runCli(['sql', '--http', url], { input: "SET 'sql.statement.name' = 'piped';\nINSERT INTO f1 SELECT auction, 'p' FROM bid\n" });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/Statement 'piped' submitted/);
    // STOP acts on the existing statement: its message, not a second "submitted" line.
    const stop = await runCli(['sql', '--http', url, '-e', "STOP STATEMENT 'piped' WITH SAVEPOINT"]);
    expect(stop.stderr).toBe('');
    expect(stop.stdout).toMatch(/^Statement 'piped' stopped with a savepoint/);
    expect(stop.stdout).not.toMatch(/submitted/);
  });

  it('says how to reach the platform when the HTTP API is not there', async () => {
    const r = await runCli(['sql', '--http', 'http://127.0.0.1:9', '-e', 'SHOW TABLES']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot reach the Runnel HTTP API at http:\/\/127\.0\.0\.1:9 \(is 'runnel start' running\?/);
  });

  it.skipIf(!hasTmux)('the interactive shell: multi-line statements, a live table, Ctrl-C cancels, history is saved', async () => {
    const session = `runnel-sql-${process.pid}`;
    const history = join(dir, 'history');
    const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
    const screen = () => tmux('capture-pane', '-p', '-t', session);
    const type = (line: string) => {
      tmux('send-keys', '-t', session, '-l', line.replace(/;/g, '\\;'));
      tmux('send-keys', '-t', session, 'Enter');
    };
    const waitFor = async (re: RegExp) => {
      for (let i = 0; i < 200; i++) {
        if (re.test(screen())) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`screen never matched ${re}:\n${screen()}`);
    };
    tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', `RUNNEL_SQL_HISTORY=${history} ${process.execPath} ${BIN} sql --http ${url}; sleep 30`);
    try {
      await waitFor(/runnel>\s*$/m);
      type('SELECT auction, COUNT(*) AS n');
      await waitFor(/ {5}->\s*$/m);
      type('FROM bid GROUP BY auction;');
      await waitFor(/\| 2 +\| 6 +\|[\s\S]*3 row\(s\)/);
      tmux('send-keys', '-t', session, 'C-c');
      await waitFor(/cancelled\nrunnel>\s*$/m);
      type('SHOW VIEWS;');
      await waitFor(/Empty set\nrunnel>\s*$/m);
      type('quit;');
      await waitFor(/^\s*$/m);
      for (let i = 0; i < 50; i++) {
        try {
          const saved = await readFile(history, 'utf8');
          if (saved.includes('quit;')) break;
        } catch {
          // not written yet
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      expect((await readFile(history, 'utf8')).split('\n')).toEqual(['SELECT auction, COUNT(*) AS n', 'FROM bid GROUP BY auction;', 'SHOW VIEWS;', 'quit;', '']);
    } finally {
      spawnSync('tmux', ['kill-session', '-t', session]);
    }
  });
});
