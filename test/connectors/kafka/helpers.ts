/** An embedded broker and an in-process schema registry on it, for connector and runtime tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Broker } from '../../../src/broker/index.ts';
import { InProcessTopicClient } from '../../../src/client/in-process.ts';
import { InProcessRegistryClient, SchemaRegistry, Serializer } from '../../../src/schema-registry/index.ts';

export interface Env {
  broker: Broker;
  topics: InProcessTopicClient;
  registry: SchemaRegistry;
  client: InProcessRegistryClient;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startEnv(dataDir?: string): Promise<Env> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'runnel-sql-test-')));
  const broker = await Broker.start({ dataDir: dir, host: '127.0.0.1', port: 0, groupInitialRebalanceDelayMs: 0 });
  const topics = new InProcessTopicClient(broker);
  const registry = await SchemaRegistry.open(topics);
  return {
    broker, topics, registry, client: new InProcessRegistryClient(registry), dataDir: dir,
    async stop() {
      await broker.stop();
      if (dataDir === undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Produces Avro values (and optional keys) with registered schemas. */
export async function produceAvro(env: Env, topic: string, valueSchema: object, values: readonly unknown[], opts: { keySchema?: object; keys?: readonly unknown[]; timestamps?: readonly number[]; partitions?: readonly number[] } = {}): Promise<void> {
  const vs = await new Serializer(env.client, { schemaType: 'AVRO', schema: JSON.stringify(valueSchema) }).forTopic(topic);
  const ks = opts.keySchema === undefined ? null : await new Serializer(env.client, { schemaType: 'AVRO', schema: JSON.stringify(opts.keySchema), isKey: true }).forTopic(topic);
  await env.topics.produce(topic, values.map((v, i) => ({
    key: ks === null ? null : ks.encode(opts.keys?.[i]),
    value: vs.encode(v),
    ...(opts.timestamps === undefined ? {} : { timestamp: BigInt(opts.timestamps[i]) }),
    ...(opts.partitions === undefined ? {} : { partition: opts.partitions[i] }),
  })));
}
