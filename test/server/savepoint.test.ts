/**
 * Savepoints through `runnel start`, as a Flink or Confluent user drives them: `STOP STATEMENT …
 * WITH SAVEPOINT` commits the output so far and stops; input that arrives meanwhile waits; after a
 * platform restart the statement is still STOPPED; `RESUME STATEMENT` continues. A plain stop
 * (HTTP DELETE) cancels — its uncommitted output is aborted — and `POST …/resume` redoes it. A
 * read_committed consumer (`runnel consume`, kafkajs) sees every count of every key exactly once;
 * kcat reading read_uncommitted counts what is in the log, aborted records included.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../helpers/broker.ts';
import { postStatement, startPlatformProcess } from '../helpers/platform-process.ts';
import type { PlatformProcess } from '../helpers/platform-process.ts';

const binPath = new URL('../../bin/runnel.mjs', import.meta.url).pathname;
const KEYS = ['a', 'b', 'c'];

describe('STOP STATEMENT … WITH SAVEPOINT and RESUME STATEMENT', () => {
  let dir: string;
  let platform: PlatformProcess | null = null;
  const args = () => ['--data-dir', dir];
  const base = () => platform!.endpoints.http;

  const sql = (statement: string, properties: Record<string, string> = {}) => postStatement(base(), statement, properties);

  /** Rows `from`..`from + n - 1` into src, keys round-robin; waits until that INSERT completed. */
  async function fill(from: number, n: number): Promise<void> {
    const rows = Array.from({ length: n }, (_, k) => `(CAST(${from + k} AS BIGINT), '${KEYS[(from + k) % KEYS.length]}')`).join(', ');
    const st = await sql(`INSERT INTO src SELECT * FROM (VALUES ${rows})`);
    await until(async () => (await (await fetch(`${base()}/v1/statements/${st.id as string}`)).json()) as { status: string }, (s) => s.status === 'COMPLETED');
  }

  /** The output as a read_committed consumer sees it: per key, the counts in log order. */
  async function counts(): Promise<Record<string, number[]>> {
    const res = await run(process.execPath, [binPath, 'consume', 'cnt', '-b', platform!.endpoints.kafka, '--registry', platform!.endpoints.registry,
      '-e', '-J', '--key-format', 'avro', '--value-format', 'avro', '-X', 'isolation.level=read_committed'], { timeoutMs: 60_000 });
    if (res.code !== 0) throw new Error(`runnel consume exited ${res.code}: ${res.stderr}`);
    const out: Record<string, number[]> = {};
    for (const line of res.stdout.split('\n').filter((l) => l !== '')) {
      const r = JSON.parse(line) as { key: { k: string }; value: { n: number } };
      (out[r.key.k] ??= []).push(r.value.n);
    }
    return out;
  }

  /** Records in the log, committed or not (kcat, read_uncommitted to the high watermark). */
  async function written(): Promise<number> {
    const res = await run('kcat', ['-b', platform!.endpoints.kafka, '-C', '-t', 'cnt', '-o', 'beginning', '-e', '-f', '%o\\n', '-X', 'isolation.level=read_uncommitted'], { timeoutMs: 60_000 });
    if (res.code !== 0) throw new Error(`kcat exited ${res.code}: ${res.stderr}`);
    return res.stdout.split('\n').filter((l) => l !== '').length;
  }

  const upTo = (total: number): Record<string, number[]> =>
    Object.fromEntries(KEYS.map((k, i) => [k, Array.from({ length: Math.floor((total - i - 1) / KEYS.length) + 1 }, (_, j) => j + 1)]));

  async function until<T>(f: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
    const start = Date.now();
    for (;;) {
      const v = await f();
      if (ok(v)) return v;
      if (Date.now() - start > timeoutMs) throw new Error(`timed out; last ${JSON.stringify(v)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const statementStatus = async () => ((await (await fetch(`${base()}/v1/statements/counter`)).json()) as { status: string; savepointAt?: string });
  const total = (c: Record<string, number[]>) => Object.values(c).reduce((n, ns) => n + ns.length, 0);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'runnel-savepoint-'));
    platform = await startPlatformProcess(args(), 60_000);
    await sql('CREATE TABLE src (id BIGINT, k STRING)');
    await sql('CREATE TABLE cnt (k STRING, n BIGINT, PRIMARY KEY (k) NOT ENFORCED)');
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('stops with a savepoint, stays stopped across a restart, resumes with nothing lost or repeated; a cancel and resume too', async () => {
    // Checkpoints 14 minutes apart: output is committed only by the stops with a savepoint.
    await fill(0, 30);
    await sql('INSERT INTO cnt SELECT k, COUNT(*) AS n FROM src GROUP BY k', { 'sql.statement.name': 'counter', 'execution.checkpointing.interval': '14 min' });
    await until(written, (n) => n === 30);
    expect(await counts()).toEqual({});

    const stopped = await sql("STOP STATEMENT 'counter' WITH SAVEPOINT");
    expect(stopped).toMatchObject({ name: 'counter', status: 'STOPPED', action: 'stopped', message: expect.stringMatching(/savepoint/) });
    expect(typeof (stopped as { savepointAt?: unknown }).savepointAt).toBe('string');
    expect(await counts()).toEqual(upTo(30));
    // Stopped: new input waits, also through a restart.
    await fill(30, 30);
    expect(await platform!.stop('SIGTERM')).toBe(0);
    platform = await startPlatformProcess(args(), 60_000);
    expect((await statementStatus()).status).toBe('STOPPED');
    expect(await counts()).toEqual(upTo(30));

    const resumed = await sql("RESUME STATEMENT 'counter'");
    expect(resumed).toMatchObject({ status: 'PENDING', action: 'resumed', message: "Statement 'counter' resumed from its savepoint." });
    await until(written, (n) => n === 60);
    // A plain stop (HTTP DELETE) cancels: what was written since the savepoint is aborted.
    const del = await fetch(`${base()}/v1/statements/counter`, { method: 'DELETE' });
    expect(await del.json()).toMatchObject({ status: 'STOPPED' });
    expect(await counts()).toEqual(upTo(30));

    // Resuming (HTTP) starts from the savepoint again and redoes the aborted output.
    const res = await fetch(`${base()}/v1/statements/counter/resume`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: 'counter', status: 'PENDING' });
    await until(written, (n) => n === 90);
    await expect(sql("RESUME STATEMENT 'counter'")).rejects.toThrow(/RUNNING; only a STOPPED or FAILED statement can be resumed/);
    const saved = await fetch(`${base()}/v1/statements/counter?savepoint=true`, { method: 'DELETE' });
    expect(await saved.json()).toMatchObject({ status: 'STOPPED', savepointAt: expect.any(String) });
    expect(await counts()).toEqual(upTo(60));
  }, 300_000);
});
