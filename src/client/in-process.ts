/**
 * TopicClient over the embedded broker: no sockets, no copies beyond the record batches
 * themselves. Writes go through the same append path as the Produce API (validation, group
 * commit), reads through the same partition logs as Fetch.
 */
import type { Broker } from '../broker/index.ts';
import { appendRecordSet } from '../broker/append.ts';
import { ErrorCode, KafkaProtocolError } from '../broker/protocol/error-codes.ts';
import { decodeBatchRecords, encodeBatch, isControlBatch, storedBatches, type KafkaRecord } from '../broker/protocol/record-batch.ts';
import { partitionForKey } from './partitioner.ts';
import type {
  CreateTopicOptions,
  FetchOptions,
  FetchResult,
  PartitionOffsets,
  ProduceRecord,
  ProducedOffset,
  TopicClient,
} from './topic-client.ts';

const fetchBytesDefault = 1024 * 1024;
/** Longest a fetch may wait for new records. */
const fetchWaitMsMax = 30_000;

export class InProcessTopicClient implements TopicClient {
  private roundRobin = 0;

  constructor(private readonly broker: Broker) {}

  async createTopic(name: string, options: CreateTopicOptions = {}): Promise<void> {
    if (options.ifNotExists && this.broker.topics.get(name)) return;
    try {
      await this.broker.topics.create(name, options.partitions ?? 1, { ...(options.configs ?? {}) });
    } catch (err) {
      if (options.ifNotExists && err instanceof KafkaProtocolError && err.code === ErrorCode.TOPIC_ALREADY_EXISTS) return;
      throw err;
    }
  }

  async deleteTopic(name: string): Promise<void> {
    await this.broker.topics.delete(name);
  }

  async listTopics(): Promise<string[]> {
    return this.broker.topics
      .list()
      .filter((t) => !t.internal)
      .map((t) => t.name)
      .sort();
  }

  async partitionCount(topic: string): Promise<number | null> {
    return this.broker.topics.get(topic)?.partitions.length ?? null;
  }

  private topic(name: string) {
    const topic = this.broker.topics.get(name);
    if (!topic) throw new KafkaProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic '${name}' does not exist`);
    return topic;
  }

  async produce(topicName: string, records: readonly ProduceRecord[]): Promise<ProducedOffset[]> {
    const topic = this.broker.options.autoCreateTopics
      ? await this.broker.topics.getOrCreate(topicName, this.broker.options.defaultPartitions)
      : this.topic(topicName);
    const n = topic.partitions.length;
    const byPartition = new Map<number, number[]>();
    records.forEach((r, i) => {
      const p = r.partition ?? (r.key !== null ? partitionForKey(r.key, n) : this.roundRobin++ % n);
      if (p < 0 || p >= n) throw new KafkaProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic '${topicName}' has no partition ${p}`);
      let list = byPartition.get(p);
      if (!list) byPartition.set(p, (list = []));
      list.push(i);
    });
    const out: ProducedOffset[] = new Array(records.length);
    await Promise.all(
      [...byPartition].map(async ([partition, indexes]) => {
        const batch = await encodeBatch({ records: indexes.map((i) => records[i]) });
        const result = await appendRecordSet(this.broker, topic, partition, batch, -1);
        indexes.forEach((recordIndex, k) => {
          out[recordIndex] = { partition, offset: result.baseOffset + BigInt(k) };
        });
      }),
    );
    return out;
  }

  async fetch(topicName: string, partition: number, offset: bigint, options: FetchOptions = {}): Promise<FetchResult> {
    const topic = this.topic(topicName);
    const log = topic.partitions[partition];
    if (!log) throw new KafkaProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic '${topicName}' has no partition ${partition}`);
    const waitMs = Math.min(options.maxWaitMs ?? 0, fetchWaitMsMax);
    if (waitMs > 0 && offset >= log.logEndOffset) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, waitMs);
        const off = this.broker.topics.onAppend(topicName, partition, done);
        function done() {
          clearTimeout(timer);
          off();
          resolve();
        }
      });
    }
    const read = log.read(offset, options.maxBytes ?? fetchBytesDefault);
    const records: KafkaRecord[] = [];
    for (const batch of storedBatches(read.data)) {
      // Transaction markers are control records for the broker and clients, not data.
      if (isControlBatch(batch)) continue;
      for (const r of await decodeBatchRecords(batch)) {
        if (r.offset >= offset) records.push(r);
      }
    }
    return { records, highWatermark: read.highWatermark, logStartOffset: read.logStartOffset };
  }

  async offsets(topicName: string, partition: number): Promise<PartitionOffsets> {
    const log = this.topic(topicName).partitions[partition];
    if (!log) throw new KafkaProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic '${topicName}' has no partition ${partition}`);
    return { start: log.logStartOffset, end: log.logEndOffset };
  }

  async close(): Promise<void> {
    // The broker's lifetime is the platform's; nothing is owned here.
  }
}
