/**
 * `runnel sql`: Flink SQL against a running platform, over its HTTP API (`--http`, default
 * http://127.0.0.1:8080).
 *
 *   runnel sql -e "SHOW TABLES"            one or more statements, then exit
 *   runnel sql -f queries/nexmark/q0.sql   a script (statements end with `;`)
 *   runnel sql                             the interactive shell: history, multi-line
 *                                          statements ending with `;`, SELECT results as a live
 *                                          table, Ctrl-C cancels the running query
 *
 * Session properties (`SET 'k' = 'v'`) live in the shell and go with every statement. A script
 * stops at its first error and exits 1, naming the file, line and column.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { CliError } from './cli-error.ts';
import { boxTable, cell, MaterializedRows } from './sql-render.ts';
import type { ResultColumn } from './sql-render.ts';
import { splitStatements } from './sql-script.ts';
import type { ScriptStatement } from './sql-script.ts';

interface SqlOptions {
  http: string;
  execute?: string;
  file?: string;
}

/** History lines kept in ~/.runnel_sql_history. */
const historyMax = 1000;
/** Redraws of the live table per second at most. */
const redrawPerSecond = 10;

export function registerSql(program: Command): void {
  program
    .command('sql')
    .description('run Flink SQL statements: -e for one-liners, -f for scripts, or an interactive shell')
    .option('--http <url>', 'Runnel HTTP API', process.env.RUNNEL_HTTP ?? 'http://127.0.0.1:8080')
    .option('-e, --execute <sql>', 'statements to run (separated by ;), then exit')
    .option('-f, --file <path>', 'a SQL script to run, then exit')
    .action(async (o: SqlOptions) => {
      const client = new SqlClient(o.http.replace(/\/+$/, ''));
      if (o.execute !== undefined || o.file !== undefined) {
        const text = o.execute ?? readScript(o.file as string);
        process.exitCode = await runScript(client, text, o.file ?? '<-e>');
      } else if (process.stdin.isTTY !== true) {
        process.exitCode = await runScript(client, await readStdin(), '<stdin>');
      } else {
        await shell(client);
      }
    });
}

function readScript(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// ------------------------------------------------------------------------------------------
// HTTP

type Answer =
  | { kind: 'table'; columns: string[]; rows: unknown[][]; properties?: Record<string, string> }
  | { kind: 'message'; message: string; properties?: Record<string, string> }
  | { kind: 'statement'; statement: { id: string; name: string; status: string }; message?: string; action?: string }
  | { kind: 'stream'; columns: ResultColumn[]; changes: AsyncIterable<{ op: string; row: Record<string, unknown> }> }
  | { kind: 'error'; code: number; message: string; line?: number; column?: number };

class SqlClient {
  properties: Record<string, string> = {};
  constructor(readonly base: string) {}

  async send(statement: string, signal: AbortSignal): Promise<Answer> {
    let res: Response;
    try {
      res = await fetch(`${this.base}/v1/statements`, {
        method: 'POST', signal, headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ statement, properties: this.properties }),
      });
    } catch (err) {
      if (signal.aborted) throw err;
      throw new CliError(`cannot reach the Runnel HTTP API at ${this.base} (is 'runnel start' running? use --http to point elsewhere): ${causeOf(err)}`);
    }
    const type = res.headers.get('content-type') ?? '';
    if (type.includes('application/x-ndjson') && res.body !== null) return this.stream(res.body);
    const body = (await res.json()) as Record<string, unknown>;
    if (!res.ok) {
      return { kind: 'error', code: Number(body.error_code), message: String(body.message), ...(typeof body.line === 'number' ? { line: body.line } : {}), ...(typeof body.column === 'number' ? { column: body.column } : {}) };
    }
    const properties = body.properties as Record<string, string> | undefined;
    if (properties !== undefined) this.properties = { ...properties };
    if (Array.isArray(body.columns)) return { kind: 'table', columns: body.columns as string[], rows: body.rows as unknown[][] };
    if (typeof body.id === 'string') {
      return {
        kind: 'statement', statement: body as { id: string; name: string; status: string },
        ...(typeof body.message === 'string' ? { message: body.message } : {}),
        ...(typeof body.action === 'string' ? { action: body.action } : {}),
      };
    }
    return { kind: 'message', message: String(body.message ?? '') };
  }

  private async stream(body: ReadableStream<Uint8Array>): Promise<Answer> {
    const lines = ndjsonLines(body);
    const first = await lines.next();
    if (first.done === true) return { kind: 'error', code: 50001, message: 'the query stream ended before its header' };
    const head = first.value as { columns?: ResultColumn[] } & { error_code?: number; message?: string };
    if (head.columns === undefined) return { kind: 'error', code: Number(head.error_code), message: String(head.message) };
    const changes = (async function* () {
      for await (const v of { [Symbol.asyncIterator]: () => lines }) {
        const change = v as { op?: string; row?: Record<string, unknown>; error_code?: number; message?: string };
        if (change.op === undefined) throw new QueryFailed(Number(change.error_code), String(change.message));
        yield change as { op: string; row: Record<string, unknown> };
      }
    })();
    return { kind: 'stream', columns: head.columns, changes };
  }
}

class QueryFailed extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

async function* ndjsonLines(body: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.trim() !== '') yield JSON.parse(line) as unknown;
      }
    }
    if (buf.trim() !== '') yield JSON.parse(buf) as unknown;
  } finally {
    reader.releaseLock();
  }
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}

// ------------------------------------------------------------------------------------------
// Running statements

interface Out {
  write(s: string): void;
  readonly tty: boolean;
  readonly rows: number;
}

const stdout: Out = {
  write: (s) => process.stdout.write(s),
  get tty() { return process.stdout.isTTY === true; },
  get rows() { return process.stdout.rows ?? 24; },
};

/** Runs one statement and prints its answer; false when it failed. */
async function runOne(client: SqlClient, stmt: ScriptStatement, where: string, signal: AbortSignal, out: Out): Promise<boolean> {
  let answer: Answer;
  try {
    answer = await client.send(stmt.text, signal);
  } catch (err) {
    if (signal.aborted) return true;
    throw err;
  }
  switch (answer.kind) {
    case 'table':
      out.write(answer.rows.length === 0 ? 'Empty set\n' : boxTable(answer.columns, answer.rows));
      return true;
    case 'message':
      out.write(`${answer.message}\n`);
      return true;
    case 'statement':
      if (answer.message !== undefined) out.write(`${answer.message}\n`);
      // STOP / RESUME act on an existing statement: only a new one was "submitted".
      if (answer.action === undefined) out.write(`Statement '${answer.statement.name}' submitted (id ${answer.statement.id}, ${answer.statement.status}).\n`);
      return true;
    case 'error': {
      const at = answer.line === undefined ? '' : ` at ${where}:${stmt.line + answer.line - 1}${answer.column === undefined ? '' : `:${answer.column}`}`;
      // The location is given once, mapped to the script; the server's own prefix is dropped.
      const message = at === '' ? answer.message : answer.message.replace(/^line \d+, column \d+: /, '');
      process.stderr.write(`ERROR ${answer.code}${at}: ${message}\n`);
      return false;
    }
    case 'stream':
      try {
        if (out.tty) await liveTable(answer.columns, answer.changes, out, signal);
        else await changelog(answer.columns, answer.changes, out);
      } catch (err) {
        if (signal.aborted) return true;
        if (err instanceof QueryFailed) {
          process.stderr.write(`ERROR ${err.code}: ${err.message}\n`);
          return false;
        }
        throw err;
      }
      return true;
    default: {
      const never: never = answer;
      throw new Error(`unexpected answer ${JSON.stringify(never)}`);
    }
  }
}

/** Non-terminal output: the changelog, one `op | values` line per change. */
async function changelog(columns: readonly ResultColumn[], changes: AsyncIterable<{ op: string; row: Record<string, unknown> }>, out: Out): Promise<void> {
  out.write(['op', ...columns.map((c) => c.name)].join(' | ') + '\n');
  for await (const c of changes) out.write([c.op, ...columns.map((col) => cell(c.row[col.name]))].join(' | ') + '\n');
}

/** Terminal output: the rows the changelog leaves, redrawn in place. */
async function liveTable(columns: readonly ResultColumn[], changes: AsyncIterable<{ op: string; row: Record<string, unknown> }>, out: Out, signal: AbortSignal): Promise<void> {
  const rows = new MaterializedRows();
  let printed = 0;
  let last = 0;
  const draw = (final: boolean) => {
    const room = Math.max(3, out.rows - 6);
    const shown = rows.rows.slice(-room);
    const status = final
      ? `${rows.rows.length} row(s) (${rows.changes} change(s))${signal.aborted ? ', cancelled' : ''}`
      : `${rows.rows.length} row(s), ${rows.changes} change(s)${rows.rows.length > shown.length ? `, last ${shown.length} shown` : ''} -- Ctrl-C to cancel`;
    const text = boxTable(columns.map((c) => c.name), shown) + status + '\n';
    out.write((printed > 0 ? `\x1b[${printed}F\x1b[J` : '') + text);
    printed = (text.match(/\n/g) ?? []).length;
  };
  draw(false);
  // Changes that arrive between redraws are shown by the next tick.
  let dirty = false;
  const tick = setInterval(() => {
    if (dirty) {
      dirty = false;
      last = Date.now();
      draw(false);
    }
  }, 1000 / redrawPerSecond);
  try {
    for await (const c of changes) {
      rows.apply(c.op, columns.map((col) => c.row[col.name]));
      const now = Date.now();
      if (now - last >= 1000 / redrawPerSecond) {
        last = now;
        dirty = false;
        draw(false);
      } else dirty = true;
    }
  } finally {
    clearInterval(tick);
    draw(true);
  }
}

/** -e, -f and piped scripts: statements in order, stopping at the first error (exit code 1). */
async function runScript(client: SqlClient, script: string, where: string): Promise<number> {
  const { statements, rest } = splitStatements(script);
  const all = rest === '' ? statements : [...statements, { text: rest, line: script.slice(0, script.lastIndexOf(rest)).split('\n').length }];
  const abort = new AbortController();
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    for (const stmt of all) {
      if (!(await runOne(client, stmt, where, abort.signal, stdout))) return 1;
      if (interrupted) return 130;
    }
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

// ------------------------------------------------------------------------------------------
// The interactive shell

function historyPath(): string {
  return process.env.RUNNEL_SQL_HISTORY ?? join(homedir(), '.runnel_sql_history');
}

function loadHistory(): string[] {
  try {
    return readFileSync(historyPath(), 'utf8').split('\n').filter((l) => l !== '').reverse().slice(0, historyMax);
  } catch {
    return [];
  }
}

async function shell(client: SqlClient): Promise<void> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true, history: loadHistory(), historySize: historyMax, removeHistoryDuplicates: true });
  process.stdout.write(`Runnel SQL shell on ${client.base}. Statements end with ';'. Ctrl-C cancels a query, Ctrl-D or 'quit;' exits.\n`);
  let buffer = '';
  let running: AbortController | null = null;
  const prompt = () => {
    rl.setPrompt(buffer === '' ? 'runnel> ' : '     -> ');
    rl.prompt();
  };
  rl.on('SIGINT', () => {
    if (running !== null) {
      running.abort();
      return;
    }
    if (buffer !== '') {
      buffer = '';
      process.stdout.write('^C\n');
      prompt();
      return;
    }
    process.stdout.write("\n(type 'quit;' or press Ctrl-D to exit)\n");
    prompt();
  });
  const lines = rl[Symbol.asyncIterator]();
  prompt();
  try {
    for (;;) {
      const next = await lines.next();
      if (next.done === true) break;
      buffer += (buffer === '' ? '' : '\n') + next.value;
      const { statements, rest } = splitStatements(buffer);
      if (statements.length === 0) {
        if (rest === '') buffer = '';
        prompt();
        continue;
      }
      buffer = rest;
      for (const stmt of statements) {
        if (/^(quit|exit)$/i.test(stmt.text)) return;
        const abort = new AbortController();
        running = abort;
        // While a statement runs, readline is paused and the terminal stays raw: Ctrl-C arrives
        // as a byte on stdin, not as a signal, and cancels the query.
        rl.pause();
        const onKey = (d: Buffer) => {
          if (d.includes(3)) abort.abort();
        };
        process.stdin.on('data', onKey);
        process.stdin.resume();
        try {
          await runOne(client, stmt, 'statement', abort.signal, stdout);
        } catch (err) {
          process.stderr.write(`ERROR: ${err instanceof Error ? err.message : String(err)}\n`);
        } finally {
          process.stdin.off('data', onKey);
          running = null;
          rl.resume();
        }
      }
      prompt();
    }
  } finally {
    try {
      const h = (rl as unknown as { history: string[] }).history;
      writeFileSync(historyPath(), [...h].reverse().join('\n') + '\n');
    } catch {
      // history is a convenience
    }
    rl.close();
    process.stdout.write('\n');
  }
}
