/**
 * Test helper: the services Connect needs (broker, registry, Connect) started in this process as
 * the platform wires them, on free ports and a temp dir. Built here rather than through
 * `startPlatform` so these tests do not depend on the other services the platform runs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Broker } from '../../src/broker/index.ts';
import { InProcessTopicClient } from '../../src/client/in-process.ts';
import { startConnect, type ConnectService } from '../../src/connectors/index.ts';
import { createSchemaRegistry, InProcessRegistryClient, type SchemaRegistryServer } from '../../src/schema-registry/index.ts';

export interface Platform {
  broker: Broker;
  registry: SchemaRegistryServer;
  connect: ConnectService;
  stop(): Promise<void>;
}

async function startPlatform(opts: { dataDir: string; connectPort: number; logLevel: string }): Promise<Platform> {
  const logger = pino({ level: opts.logLevel }, pino.destination(2));
  const broker = await Broker.start({ host: '127.0.0.1', port: 0, dataDir: opts.dataDir, groupInitialRebalanceDelayMs: 0, logger: logger.child({ svc: 'broker' }) });
  const topics = new InProcessTopicClient(broker);
  const registry = await createSchemaRegistry({ topics, host: '127.0.0.1', port: 0, logger: logger.child({ svc: 'registry' }) });
  const connect = await startConnect({ topics, registry: new InProcessRegistryClient(registry.registry), registryUrl: registry.url, host: '127.0.0.1', port: opts.connectPort, logger: logger.child({ svc: 'connect' }) });
  return {
    broker,
    registry,
    connect,
    async stop() {
      await connect.close();
      await registry.close();
      await broker.stop();
    },
  };
}

export interface TestPlatform {
  platform: Platform;
  connectUrl: string;
  dataDir: string;
  /** Stops the platform and starts it again on the same data dir (same Connect port). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestPlatform(dataDir?: string): Promise<TestPlatform> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'runnel-connect-')));
  const opts = { dataDir: dir, connectPort: 0, logLevel: process.env.RUNNEL_TEST_LOG_LEVEL ?? 'silent' };
  let platform = await startPlatform(opts);
  const t: TestPlatform = {
    platform,
    connectUrl: platform.connect.url,
    dataDir: dir,
    async restart() {
      await platform.stop();
      platform = await startPlatform({ ...opts, connectPort: platform.connect.port });
      t.platform = platform;
      t.connectUrl = platform.connect.url;
    },
    async stop() {
      await platform.stop();
      if (dataDir === undefined) await rm(dir, { recursive: true, force: true });
    },
  };
  return t;
}

/** A JSON request to the Connect REST API: status and parsed body (null when empty). */
export async function rest(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(check: () => Promise<T> | T, timeoutMs = 20_000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last as NonNullable<T>;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
}
