/**
 * Test helper: a throwaway PostgreSQL 15 server per test file. `initdb` runs as the `postgres`
 * user into a temp directory it owns; the server listens on 127.0.0.1 at a free port and on a
 * unix socket inside the same directory, with logical replication enabled so CDC tests can
 * create slots and publications. Authentication is `trust` for every local connection.
 *
 * Example:
 *   const pg = await startTestPostgres();
 *   const client = await pg.connect();            // a connected `pg.Client` on database `postgres`
 *   await client.query('CREATE TABLE t (id int primary key)');
 *   await client.end();
 *   await pg.stop();                              // in afterAll
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmod, chown, mkdtemp, rm, appendFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface TestPostgres {
  host: string;
  port: number;
  user: string;
  database: string;
  /** `postgresql://postgres@127.0.0.1:PORT/postgres` (a JDBC-style `jdbc:` prefix is accepted by our sinks). */
  url: string;
  /** The directory holding the unix socket (`.s.PGSQL.PORT`). */
  socketDir: string;
  /** The data directory and server log live under this temp directory. */
  baseDir: string;
  /** A new, connected client; the caller ends it. */
  connect(database?: string): Promise<pg.Client>;
  /** Creates a database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** The server log, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

export interface TestPostgresOptions {
  /** Extra postgresql.conf settings; merged over the defaults below. */
  settings?: Readonly<Record<string, string>>;
  /** Milliseconds to wait for the server to accept connections. */
  startTimeoutMs?: number;
}

const binDir = '/usr/local/bin';
const osUser = 'postgres';

/** Defaults chosen for CDC tests (logical decoding) and for speed (no fsync in a throwaway server). */
const defaultSettings: Readonly<Record<string, string>> = {
  wal_level: 'logical',
  max_replication_slots: '20',
  max_wal_senders: '20',
  max_connections: '100',
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  shared_buffers: '64MB',
  listen_addresses: "'127.0.0.1'",
  logging_collector: 'off',
  log_min_messages: 'warning',
};

/** Servers still running, stopped synchronously if the test process exits without afterAll. */
const running = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const dataDir of running) {
      spawnSync('runuser', ['-u', osUser, '--', join(binDir, 'pg_ctl'), '-D', dataDir, '-m', 'immediate', 'stop'], { stdio: 'ignore' });
    }
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function runAsPostgres(args: readonly string[], timeoutMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('runuser', ['-u', osUser, '--', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} timed out after ${timeoutMs} ms\n${out}`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const r = spawnSync('id', ['-u', osUser], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', osUser], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) throw new Error(`no '${osUser}' OS user on this machine`);
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/** Starts a fresh PostgreSQL server; call `stop()` in afterAll. */
export async function startTestPostgres(options: TestPostgresOptions = {}): Promise<TestPostgres> {
  const baseDir = await mkdtemp(join(tmpdir(), 'runnel-pg-'));
  const { uid, gid } = await postgresIds();
  await chown(baseDir, uid, gid);
  await chmod(baseDir, 0o700);
  const dataDir = join(baseDir, 'data');
  const logFile = join(baseDir, 'server.log');

  const init = await runAsPostgres([join(binDir, 'initdb'), '-D', dataDir, '-U', osUser, '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'], 120_000);
  if (init.code !== 0) throw new Error(`initdb failed (${init.code}):\n${init.out}`);

  const port = await freePort();
  const settings = { ...defaultSettings, port: String(port), unix_socket_directories: `'${baseDir}'`, ...(options.settings ?? {}) };
  await appendFile(join(dataDir, 'postgresql.conf'), Object.entries(settings).map(([k, v]) => `${k} = ${v}\n`).join(''));

  const start = await runAsPostgres([join(binDir, 'pg_ctl'), '-D', dataDir, '-l', logFile, '-w', '-t', String(Math.ceil((options.startTimeoutMs ?? 60_000) / 1000)), 'start'], (options.startTimeoutMs ?? 60_000) + 5_000);
  installExitHook();
  running.add(dataDir);
  if (start.code !== 0) {
    const log = readLog(logFile);
    await stopServer(dataDir, baseDir);
    throw new Error(`pg_ctl start failed (${start.code}):\n${start.out}\n${log}`);
  }

  const host = '127.0.0.1';
  const connect = async (database = 'postgres') => {
    const client = new pg.Client({ host, port, user: osUser, database });
    await client.connect();
    return client;
  };
  return {
    host,
    port,
    user: osUser,
    database: 'postgres',
    url: `postgresql://${osUser}@${host}:${port}/postgres`,
    socketDir: baseDir,
    baseDir,
    connect,
    async createDatabase(name: string) {
      const c = await connect();
      try {
        await c.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      } finally {
        await c.end();
      }
      return `postgresql://${osUser}@${host}:${port}/${name}`;
    },
    log: () => readLog(logFile),
    stop: () => stopServer(dataDir, baseDir),
  };
}

function readLog(file: string): string {
  const r = spawnSync('cat', [file], { encoding: 'utf8' });
  return r.stdout ?? '';
}

async function stopServer(dataDir: string, baseDir: string): Promise<void> {
  if (running.has(dataDir)) {
    await runAsPostgres([join(binDir, 'pg_ctl'), '-D', dataDir, '-m', 'fast', '-w', 'stop'], 60_000).catch(() => undefined);
    running.delete(dataDir);
  }
  await rm(baseDir, { recursive: true, force: true });
}
