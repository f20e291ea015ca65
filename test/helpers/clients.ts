/**
 * Drivers for the real Kafka clients the broker must serve unchanged: kcat and
 * python3-confluent-kafka (librdkafka 2.0.2), kafka-python 2.0.2, and kafkajs 2.2.4.
 */
import { CompressionCodecs, CompressionTypes, Kafka, logLevel } from 'kafkajs';
import * as lz4 from 'lz4-napi';
import * as snappy from 'snappy';
import * as zstd from '@mongodb-js/zstd';
import { clientsDir, debianPython, run } from './broker.ts';

export interface TestRecord {
  key: string | null;
  value: string | null;
  headers?: [string, string][];
  partition?: number;
  timestamp?: number;
}

export interface ConsumedRecord extends TestRecord {
  partition: number;
  offset: number;
}

export type Codec = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

export interface ClientDriver {
  name: string;
  codecs: readonly Codec[];
  /** Whether the client sends the records' own timestamps (kcat stamps the send time). */
  setsTimestamps: boolean;
  produce(bootstrap: string, topic: string, records: readonly TestRecord[], opts?: { compression?: Codec; idempotent?: boolean }): Promise<void>;
  consume(bootstrap: string, topic: string, count: number, opts?: { group?: string }): Promise<ConsumedRecord[]>;
}

function jsonLines<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

async function python(script: string, args: string[], input?: string, timeoutMs = 90_000) {
  const res = await run(debianPython, [clientsDir + script, ...args], { input, timeoutMs });
  if (res.code !== 0) throw new Error(`${script} ${args[0]} exited ${res.code}: ${res.stderr}`);
  return res.stdout;
}

export const confluentPython: ClientDriver = {
  name: 'python3-confluent-kafka',
  setsTimestamps: true,
  codecs: ['none', 'gzip', 'snappy', 'lz4', 'zstd'],
  async produce(bootstrap, topic, records, opts = {}) {
    const config: Record<string, unknown> = { 'compression.codec': opts.compression ?? 'none', 'linger.ms': 5 };
    if (opts.idempotent) config['enable.idempotence'] = true;
    await python('confluent_client.py', ['produce', bootstrap, topic, JSON.stringify(config)], records.map((r) => JSON.stringify(r)).join('\n'));
  },
  async consume(bootstrap, topic, count, opts = {}) {
    const config = opts.group ? { 'group.id': opts.group } : {};
    return jsonLines<ConsumedRecord>(await python('confluent_client.py', ['consume', bootstrap, topic, JSON.stringify(config), String(count), '60']));
  },
};

export const kafkaPython: ClientDriver = {
  name: 'kafka-python',
  setsTimestamps: true,
  codecs: ['none', 'gzip'],
  async produce(bootstrap, topic, records, opts = {}) {
    const config: Record<string, unknown> = { acks: 'all' };
    if (opts.compression && opts.compression !== 'none') config.compression_type = opts.compression;
    await python('kafka_python_client.py', ['produce', bootstrap, topic, JSON.stringify(config)], records.map((r) => JSON.stringify(r)).join('\n'));
  },
  async consume(bootstrap, topic, count, opts = {}) {
    const config = opts.group ? { group_id: opts.group } : {};
    return jsonLines<ConsumedRecord>(await python('kafka_python_client.py', ['consume', bootstrap, topic, JSON.stringify(config), String(count), '60']));
  },
};

interface KcatMessage {
  topic: string;
  partition: number;
  offset: number;
  ts: number;
  key: string | null;
  payload: string | null;
  headers?: string[];
}

/**
 * kcat takes one set of headers and one partition per invocation, so records are produced in
 * groups of equal (headers, partition); keys and values go through `-K` with a tab separator.
 */
export const kcat: ClientDriver = {
  name: 'kcat',
  setsTimestamps: false,
  codecs: ['none', 'gzip', 'snappy', 'lz4', 'zstd'],
  async produce(bootstrap, topic, records, opts = {}) {
    const groups = new Map<string, TestRecord[]>();
    for (const r of records) {
      const k = JSON.stringify([r.headers ?? [], r.partition ?? -1]);
      groups.set(k, [...(groups.get(k) ?? []), r]);
    }
    for (const [k, group] of groups) {
      const [headers, partition] = JSON.parse(k) as [[string, string][], number];
      const args = ['-b', bootstrap, '-P', '-t', topic, '-K', '\t', '-z', opts.compression ?? 'none', '-X', 'linger.ms=5'];
      if (partition >= 0) args.push('-p', String(partition));
      for (const [hk, hv] of headers) args.push('-H', `${hk}=${hv}`);
      const input = group.map((r) => `${r.key ?? ''}\t${r.value ?? ''}`).join('\n') + '\n';
      const res = await run('kcat', args, { input, timeoutMs: 60_000 });
      if (res.code !== 0) throw new Error(`kcat produce exited ${res.code}: ${res.stderr}`);
    }
  },
  async consume(bootstrap, topic, count, opts = {}) {
    const args = opts.group
      ? ['-b', bootstrap, '-G', opts.group, topic, '-J', '-c', String(count), '-X', 'auto.offset.reset=earliest']
      : ['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-J', '-c', String(count), '-e'];
    const res = await run('kcat', args, { timeoutMs: 60_000 });
    if (res.code !== 0) throw new Error(`kcat consume exited ${res.code}: ${res.stderr}`);
    return jsonLines<KcatMessage>(res.stdout).map((m) => {
      const headers: [string, string][] = [];
      for (let i = 0; i + 1 < (m.headers ?? []).length; i += 2) headers.push([m.headers![i], m.headers![i + 1]]);
      return { partition: m.partition, offset: m.offset, key: m.key, value: m.payload, headers, timestamp: m.ts };
    });
  },
};

CompressionCodecs[CompressionTypes.Snappy] = () => ({
  compress: async (encoder: { buffer: Buffer }) => snappy.compressSync(encoder.buffer),
  decompress: async (buffer: Buffer) => snappy.uncompressSync(buffer) as Buffer,
});
CompressionCodecs[CompressionTypes.LZ4] = () => ({
  compress: async (encoder: { buffer: Buffer }) => lz4.compressFrameSync(encoder.buffer),
  decompress: async (buffer: Buffer) => lz4.decompressFrameSync(buffer),
});
CompressionCodecs[CompressionTypes.ZSTD] = () => ({
  compress: async (encoder: { buffer: Buffer }) => zstd.compress(encoder.buffer),
  decompress: async (buffer: Buffer) => zstd.decompress(buffer),
});

const kafkajsCodec: Record<Codec, CompressionTypes> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

function kafkajsClient(bootstrap: string): Kafka {
  return new Kafka({ clientId: 'runnel-test', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 5 } });
}

export const kafkajs: ClientDriver = {
  name: 'kafkajs',
  setsTimestamps: true,
  codecs: ['none', 'gzip', 'snappy', 'lz4', 'zstd'],
  async produce(bootstrap, topic, records, opts = {}) {
    const producer = kafkajsClient(bootstrap).producer({ idempotent: opts.idempotent ?? false, allowAutoTopicCreation: true });
    await producer.connect();
    try {
      await producer.send({
        topic,
        acks: -1,
        compression: kafkajsCodec[opts.compression ?? 'none'],
        messages: records.map((r) => ({
          key: r.key,
          value: r.value,
          partition: r.partition,
          timestamp: r.timestamp === undefined ? undefined : String(r.timestamp),
          headers: Object.fromEntries(r.headers ?? []),
        })),
      });
    } finally {
      await producer.disconnect();
    }
  },
  async consume(bootstrap, topic, count, opts = {}) {
    const consumer = kafkajsClient(bootstrap).consumer({ groupId: opts.group ?? `kafkajs-${topic}`, maxWaitTimeInMs: 200 });
    await consumer.connect();
    const out: ConsumedRecord[] = [];
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`kafkajs consumed ${out.length} of ${count} before the timeout`)), 60_000);
        consumer
          .run({
            eachMessage: async ({ partition, message }) => {
              out.push({
                partition,
                offset: Number(message.offset),
                key: message.key?.toString() ?? null,
                value: message.value?.toString() ?? null,
                headers: Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)] as [string, string]),
                timestamp: Number(message.timestamp),
              });
              if (out.length >= count) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return out;
  },
};

export const CLIENTS: readonly ClientDriver[] = [kcat, confluentPython, kafkaPython, kafkajs];
