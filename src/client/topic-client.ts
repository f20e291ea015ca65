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

/**
 * Kafka's `isolation.level`: read_uncommitted returns every data record (records of open and
 * aborted transactions too); read_committed stops at the last stable offset (the first offset of
 * the oldest open transaction) and drops the records of aborted transactions.
 */
export type IsolationLevel = 'read_uncommitted' | 'read_committed';

export interface FetchOptions {
  maxBytes?: number;
  /** Wait up to this long for records when none are available at `offset`. */
  maxWaitMs?: number;
  /** Default read_uncommitted, as Kafka's consumers. */
  isolationLevel?: IsolationLevel;
}

export interface FetchResult {
  /** Data records at or after the requested offset, in order (never transaction markers). */
  records: KafkaRecord[];
  /**
   * Where the next fetch should start: past the last record returned and past the markers and
   * aborted records skipped after it, so a reader never stalls on a stretch with no data.
   */
  nextOffset: bigint;
  highWatermark: bigint;
  /** read_committed reads never go past this; equal to the high watermark without open transactions. */
  lastStableOffset: bigint;
  logStartOffset: bigint;
}

export interface PartitionOffsets {
  /** The first offset still in the log. */
  start: bigint;
  /**
   * The offset the next record will get (the high watermark); asked with read_committed, the
   * last stable offset (as Kafka's ListOffsets latest).
   */
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
  offsets(topic: string, partition: number, isolationLevel?: IsolationLevel): Promise<PartitionOffsets>;
  close(): Promise<void>;
}

/** Who a transaction belongs to: enough to finish it from another process (see commitPrepared). */
export interface TransactionRef {
  readonly transactionalId: string;
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

export interface TransactionalProducerOptions {
  /** The coordinator aborts a transaction open longer than this (transaction.timeout.ms). */
  timeoutMs?: number;
}

/**
 * A transactional producer (KIP-98) as Kafka's clients have it: created with a
 * `transactional.id` (InitProducerId: a new epoch, which fences every older producer of that id
 * and aborts its open transaction), then begin / produce / commit or abort.
 */
export interface TransactionalProducer extends TransactionRef {
  /** Starts a transaction; partitions join it as `produce` first writes to them. */
  begin(): void;
  /** Writes into the open transaction; throws when this producer has been fenced. */
  produce(topic: string, records: readonly ProduceRecord[]): Promise<ProducedOffset[]>;
  /** True when the open transaction holds records (commit/abort then talk to the coordinator). */
  readonly hasWrites: boolean;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** The outcome of finishing a prepared transaction after a restart. */
export type PreparedCommit = 'committed' | 'already-completed-or-fenced';

/** A TopicClient that also writes transactionally. */
export interface TransactionalTopicClient extends TopicClient {
  transactionalProducer(transactionalId: string, options?: TransactionalProducerOptions): Promise<TransactionalProducer>;
  /**
   * Commits a transaction a producer left open (EndTxn with its id and epoch, as Flink's Kafka
   * sink does when it restores a checkpoint whose transaction was pre-committed but not yet
   * committed). Must come before a new producer of the id is created, which would abort it.
   */
  commitPrepared(ref: TransactionRef): Promise<PreparedCommit>;
}

export function isTransactional(client: TopicClient): client is TransactionalTopicClient {
  return typeof (client as Partial<TransactionalTopicClient>).transactionalProducer === 'function';
}
