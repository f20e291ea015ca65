/**
 * `runnel start` as users run it: the ready line names the HTTP API, and a running statement
 * survives a restart of the whole process, resuming from its committed offsets.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformProcess } from '../helpers/platform-process.ts';
import type { PlatformProcess } from '../helpers/platform-process.ts';

async function sql(base: string, statement: string, properties: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(`${base}/v1/statements`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ statement, properties }) });
  return { status: res.status, text: await res.text() };
}

/** Rows of a table read in bounded mode (the SELECT ends at the end offsets). */
async function readTable(base: string, table: string): Promise<unknown[]> {
  const { text } = await sql(base, `SELECT * FROM ${table}`, { 'sql.tables.scan.bounded': 'true' });
  return text.trim().split('\n').slice(1).map((l) => (JSON.parse(l) as { row: unknown }).row);
}

async function until<T>(f: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await f();
    if (ok(v)) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out; last ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('runnel start with the SQL runtime', () => {
  let dir: string;
  let platform: PlatformProcess | null = null;
  const args = () => ['--data-dir', dir, '--kafka-port', '0', '--registry-port', '0', '--connect-port', '0', '--http-port', '0'];
  beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'runnel-platform-sql-')); });
  afterAll(async () => {
    await platform?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints http= in the ready line and resumes a running statement after a restart without duplicates', async () => {
    platform = await startPlatformProcess(args(), 60_000);
    let base = platform.endpoints.http;
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    expect((await sql(base, 'CREATE TABLE src (id BIGINT, tag STRING)')).status).toBe(200);
    expect((await sql(base, 'CREATE TABLE dst (id BIGINT, tag STRING)')).status).toBe(200);
    const fill = (from: number) => sql(base, `INSERT INTO src SELECT * FROM (VALUES ${[0, 1, 2, 3, 4].map((k) => `(CAST(${from + k} AS BIGINT), 'r${from + k}')`).join(', ')})`);
    expect((await fill(0)).status).toBe(201);
    const copy = await sql(base, 'INSERT INTO dst SELECT id, tag FROM src', { 'sql.statement.name': 'copy', 'execution.checkpointing.interval': '100 ms' });
    expect(copy.status).toBe(201);
    await until(() => readTable(base, 'dst'), (rows) => rows.length === 5);

    expect(await platform.stop('SIGTERM')).toBe(0);
    platform = await startPlatformProcess(args(), 60_000);
    base = platform.endpoints.http;
    const listed = (await (await fetch(`${base}/v1/statements/copy`)).json()) as { status: string };
    expect(listed.status).toBe('RUNNING');
    await fill(100);
    const rows = await until(() => readTable(base, 'dst'), (r) => r.length >= 10);
    await new Promise((r) => setTimeout(r, 500));
    const final = (await readTable(base, 'dst')) as { id: number }[];
    expect(final.map((r) => r.id).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 100, 101, 102, 103, 104]);
    expect(rows.length).toBe(10);
  }, 180_000);
});
