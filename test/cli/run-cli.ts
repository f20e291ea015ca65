/**
 * Test helpers for the CLI: an embedded broker in a temp dir on a free port, and the real
 * `runnel` command run as a subprocess (`node bin/runnel.mjs ...`) with stdin.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { Broker } from '../../src/broker/index.ts';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export const BIN = new URL('../../bin/runnel.mjs', import.meta.url).pathname;

/** Runs `runnel ...args` to completion; rejects if it outlives `timeoutMs`. */
export function runCommand(cmd: string, args: readonly string[], opts: { input?: string | Buffer; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} timed out after ${timeoutMs} ms\nstdout: ${Buffer.concat(out)}\nstderr: ${Buffer.concat(err)}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

export function runCli(args: readonly string[], opts: { input?: string | Buffer; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return runCommand(process.execPath, [BIN, ...args], opts);
}

export interface CliTestBroker {
  bootstrap: string;
  stop(): Promise<void>;
}

export async function startBroker(): Promise<CliTestBroker> {
  const dataDir = await mkdtemp(join(tmpdir(), 'runnel-cli-test-'));
  const broker = await Broker.start({ dataDir, host: '127.0.0.1', port: 0, groupInitialRebalanceDelayMs: 0 });
  return {
    bootstrap: `127.0.0.1:${broker.port}`,
    async stop() {
      await broker.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export function randomName(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

/**
 * Creates a topic from the test process, for tests whose subject is not `runnel topic create`:
 * one CLI process fewer (about a second each on a busy two-core machine).
 */
export async function createTopic(bootstrap: string, topic: string, partitions = 1): Promise<void> {
  const admin = new kafkajs.Kafka({ brokers: [bootstrap], logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}
