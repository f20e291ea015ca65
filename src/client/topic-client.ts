/**
 * The one narrow interface through which the SQL runtime, the schema registry and connectors
 * read and write topics. Two implementations: in-process (the embedded broker, no sockets) and
 * remote (an existing Kafka cluster through a maintained client library), so everything built
 * on it runs the same against Runnel's broker or Apache Kafka, Redpanda and Confluent Cloud.
 */
import type { KafkaRecord, RecordHeader } from '../broker/protocol/record-batch.ts';

export type { KafkaRecord, RecordHeader };

export interface ProduceRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers?: readonly RecordHeader[];
  /** Milliseconds since the epoch; the broker's clock when absent. */
  timestamp?: bigint;
  /** Explicit partition; otherwise murmur2 of the key (as Kafka's Java client), round-robin for null keys. */
  partition?: number;
}

export interface ProducedOffset {
  partition: number;
  offset: bigint;
}

export interface CreateTopicOptions {
  partitions?: number;
  /** Topic configs by Kafka's names (`cleanup.policy`, `retention.ms`, ...). */
  configs?: Readonly<Record<string, string>>;
  /** Succeed quietly when the topic already exists. */
  ifNotExists?: boolean;
}

export interface FetchOptions {
  maxBytes?: number;
  /** Wait up to this long for records when none are available at `offset`. */
  maxWaitMs?: number;
}

export interface FetchResult {
  /** Records at or after the requested offset, in order. */
  records: KafkaRecord[];
  highWatermark: bigint;
  logStartOffset: bigint;
}

export interface PartitionOffsets {
  /** The first offset still in the log. */
  start: bigint;
  /** The offset the next record will get (the high watermark). */
  end: bigint;
}

export interface TopicClient {
  createTopic(name: string, options?: CreateTopicOptions): Promise<void>;
  deleteTopic(name: string): Promise<void>;
  listTopics(): Promise<string[]>;
  /** Partition count, or null when the topic does not exist. */
  partitionCount(topic: string): Promise<number | null>;
  /** Writes records durably (acks=all) and returns where each landed, in input order. */
  produce(topic: string, records: readonly ProduceRecord[]): Promise<ProducedOffset[]>;
  fetch(topic: string, partition: number, offset: bigint, options?: FetchOptions): Promise<FetchResult>;
  offsets(topic: string, partition: number): Promise<PartitionOffsets>;
  close(): Promise<void>;
}
