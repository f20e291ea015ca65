/**
 * Starts a registry for a test: over the embedded broker in a temp data dir (real storage), or
 * over an in-memory TopicClient for unit tests. `restart()` stops the listener and opens a new
 * registry over the same storage, as a process restart would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TopicClient } from '../../../src/client/topic-client.ts';
import { createSchemaRegistry, type SchemaRegistryServer } from '../../../src/schema-registry/index.ts';
import { MemoryTopicClient, type MemoryStore } from './memory-topic-client.ts';

export interface RegistryFixture {
  server: SchemaRegistryServer;
  url: string;
  restart(): Promise<void>;
  close(): Promise<void>;
  /** Calls the REST API; the body is sent as `application/vnd.schemaregistry.v1+json`. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown; text: string }>;
}

interface Storage {
  topics(): Promise<TopicClient>;
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

async function memoryStorage(): Promise<Storage> {
  const store: MemoryStore = new Map();
  return { topics: async () => new MemoryTopicClient(store), stop: async () => {}, dispose: async () => {} };
}

async function brokerStorage(): Promise<Storage> {
  const { Broker } = await import('../../../src/broker/index.ts');
  const { InProcessTopicClient } = await import('../../../src/client/in-process.ts');
  const dataDir = await mkdtemp(join(tmpdir(), 'runnel-registry-'));
  let broker: Awaited<ReturnType<typeof Broker.start>> | null = null;
  return {
    topics: async () => {
      broker = await Broker.start({ dataDir, host: '127.0.0.1', port: 0 });
      return new InProcessTopicClient(broker);
    },
    stop: async () => {
      await broker?.stop();
      broker = null;
    },
    dispose: async () => {
      await broker?.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startRegistry(options: { storage?: 'broker' | 'memory' } = {}): Promise<RegistryFixture> {
  const storage = options.storage === 'memory' ? await memoryStorage() : await brokerStorage();
  let server = await createSchemaRegistry({ topics: await storage.topics(), host: '127.0.0.1', port: 0 });
  const fixture: RegistryFixture = {
    get server() {
      return server;
    },
    get url() {
      return server.url;
    },
    restart: async () => {
      await server.close();
      await storage.stop();
      server = await createSchemaRegistry({ topics: await storage.topics(), host: '127.0.0.1', port: 0 });
    },
    close: async () => {
      await server.close();
      await storage.dispose();
    },
    call: async (method, path, body) => {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/vnd.schemaregistry.v1+json' },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // raw schema text
      }
      return { status: response.status, body: parsed, text };
    },
  };
  return fixture;
}
