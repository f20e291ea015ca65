/**
 * A TopicClient kept in memory, for unit tests of the registry that need no broker. Topics are
 * shared through the `store` passed in, so a "restart" is a new client over the same store.
 */
import type {
  CreateTopicOptions,
  FetchOptions,
  FetchResult,
  KafkaRecord,
  PartitionOffsets,
  ProduceRecord,
  ProducedOffset,
  TopicClient,
} from '../../../src/client/topic-client.ts';

export type MemoryStore = Map<string, KafkaRecord[][]>;

export class MemoryTopicClient implements TopicClient {
  constructor(readonly store: MemoryStore = new Map()) {}

  async createTopic(name: string, options: CreateTopicOptions = {}): Promise<void> {
    if (this.store.has(name)) {
      if (options.ifNotExists) return;
      throw new Error(`topic ${name} exists`);
    }
    this.store.set(name, Array.from({ length: options.partitions ?? 1 }, () => []));
  }
  async deleteTopic(name: string): Promise<void> {
    this.store.delete(name);
  }
  async listTopics(): Promise<string[]> {
    return [...this.store.keys()].sort();
  }
  async partitionCount(topic: string): Promise<number | null> {
    return this.store.get(topic)?.length ?? null;
  }
  async produce(topic: string, records: readonly ProduceRecord[]): Promise<ProducedOffset[]> {
    if (!this.store.has(topic)) await this.createTopic(topic);
    const partitions = this.store.get(topic) as KafkaRecord[][];
    return records.map((r) => {
      const partition = r.partition ?? 0;
      const log = partitions[partition];
      const offset = BigInt(log.length);
      log.push({ offset, timestamp: BigInt(Date.now()), key: r.key, value: r.value, headers: [...(r.headers ?? [])] });
      return { partition, offset };
    });
  }
  async fetch(topic: string, partition: number, offset: bigint, _options?: FetchOptions): Promise<FetchResult> {
    const log = this.store.get(topic)?.[partition] ?? [];
    const records = log.slice(Number(offset), Number(offset) + 500);
    const end = BigInt(log.length);
    return { records, nextOffset: offset + BigInt(records.length), highWatermark: end, lastStableOffset: end, logStartOffset: 0n };
  }
  async offsets(topic: string, partition: number): Promise<PartitionOffsets> {
    return { start: 0n, end: BigInt(this.store.get(topic)?.[partition]?.length ?? 0) };
  }
  async close(): Promise<void> {}
}
