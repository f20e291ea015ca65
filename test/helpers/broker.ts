/**
 * Test helpers: an embedded broker on 127.0.0.1 with a free port and a temp data dir, and
 * runners for the real client programs (kcat, python3-confluent-kafka, kafka-python).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Broker, type BrokerOptions } from '../../src/broker/index.ts';

export interface TestBroker {
  broker: Broker;
  bootstrap: string;
  dataDir: string;
  /** Stops the broker and starts a new one on the same data dir and port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestBroker(options: Partial<BrokerOptions> = {}): Promise<TestBroker> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'runnel-test-')));
  let broker = await Broker.start({ host: '127.0.0.1', port: 0, groupInitialRebalanceDelayMs: 0, ...options, dataDir });
  const port = broker.port;
  const t: TestBroker = {
    broker,
    bootstrap: `127.0.0.1:${port}`,
    dataDir,
    async restart() {
      await broker.stop();
      broker = await Broker.start({ host: '127.0.0.1', groupInitialRebalanceDelayMs: 0, ...options, port, dataDir });
      t.broker = broker;
    },
    async stop() {
      await broker.stop();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}

export function randomTopic(prefix = 't'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to completion with optional stdin; rejects on timeout. */
export function run(cmd: string, args: readonly string[], opts: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} timed out after ${opts.timeoutMs ?? 60_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Debian's Python, which has python3-confluent-kafka and python3-kafka. */
export const debianPython = '/usr/bin/python3';
export const clientsDir = new URL('../broker/clients/', import.meta.url).pathname;
