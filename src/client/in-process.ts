/**
 * TopicClient over the embedded broker: no sockets, no copies beyond the record batches
 * themselves. Writes go through the same append path as the Produce API (validation, group
 * commit), reads through the same partition logs as Fetch.
 *
 * Reads skip transaction markers. read_uncommitted (the default) returns every other record;
 * read_committed stops at the partition's last stable offset and drops the batches of aborted
 * transactions, using the same per-partition transaction state as the Fetch handler.
 * Transactional producers talk to the broker's transaction coordinator directly (InitProducerId,
 * AddPartitionsToTxn, EndTxn) and write batches exactly as a Kafka client would: transactional
 * attribute, producer id, epoch and per-partition sequence numbers.
 */
import type { Broker } from '../broker/index.ts';
import { appendRecordSet } from '../broker/append.ts';
import { ErrorCode, KafkaProtocolError, type ErrorCodeValue } from '../broker/protocol/error-codes.ts';
import { Attributes, BatchOffsets, decodeBatchRecords, encodeBatch, isControlBatch, storedBatches, type KafkaRecord } from '../broker/protocol/record-batch.ts';
import type { Topic } from '../broker/topic-manager.ts';
import { partitionTxns, transactionTimeoutMsMax } from '../broker/txn/index.ts';
import { partitionForKey } from './partitioner.ts';
import type {
  CreateTopicOptions,
  FetchOptions,
  FetchResult,
  IsolationLevel,
  PartitionOffsets,
  PreparedCommit,
  ProduceRecord,
  ProducedOffset,
  TransactionRef,
  TransactionalProducer,
  TransactionalProducerOptions,
  TransactionalTopicClient,
} from './topic-client.ts';

const fetchBytesDefault = 1024 * 1024;
/** Longest a fetch may wait for new records. */
const fetchWaitMsMax = 30_000;

export class InProcessTopicClient implements TransactionalTopicClient {
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
    const topic = await this.topicForWrite(topicName);
    const out: ProducedOffset[] = new Array(records.length);
    await Promise.all(
      [...this.byPartition(topic, records)].map(async ([partition, indexes]) => {
        const batch = await encodeBatch({ records: indexes.map((i) => records[i]) });
        const result = await appendRecordSet(this.broker, topic, partition, batch, -1);
        indexes.forEach((recordIndex, k) => {
          out[recordIndex] = { partition, offset: result.baseOffset + BigInt(k) };
        });
      }),
    );
    return out;
  }

  /** The topic a write goes to, created first when the broker auto-creates topics. */
  private async topicForWrite(topicName: string): Promise<Topic> {
    return this.broker.options.autoCreateTopics ? await this.broker.topics.getOrCreate(topicName, this.broker.options.defaultPartitions) : this.topic(topicName);
  }

  /** Record indexes by partition: explicit, murmur2 of the key, or round-robin for null keys. */
  byPartition(topic: Topic, records: readonly ProduceRecord[]): Map<number, number[]> {
    const n = topic.partitions.length;
    const byPartition = new Map<number, number[]>();
    records.forEach((r, i) => {
      const p = r.partition ?? (r.key !== null ? partitionForKey(r.key, n) : this.roundRobin++ % n);
      if (p < 0 || p >= n) throw new KafkaProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic '${topic.name}' has no partition ${p}`);
      let list = byPartition.get(p);
      if (!list) byPartition.set(p, (list = []));
      list.push(i);
    });
    return byPartition;
  }

  async transactionalProducer(transactionalId: string, options: TransactionalProducerOptions = {}): Promise<TransactionalProducer> {
    const timeoutMs = options.timeoutMs ?? transactionTimeoutMsMax;
    const init = await this.broker.transactions.initProducerId(transactionalId, timeoutMs);
    if (init.errorCode !== ErrorCode.NONE) throw new KafkaProtocolError(init.errorCode as ErrorCodeValue, `InitProducerId for transactional id '${transactionalId}' failed`);
    return new InProcessTransactionalProducer(this, this.broker, transactionalId, init.producerId, init.producerEpoch);
  }

  async commitPrepared(ref: TransactionRef): Promise<PreparedCommit> {
    const code = await this.broker.transactions.endTxn(ref.transactionalId, ref.producerId, ref.producerEpoch, true);
    if (code === ErrorCode.NONE) return 'committed';
    // A newer epoch (or id) exists, or nothing is open: the transaction was finished before —
    // committed by an earlier recovery, or aborted by its timeout.
    if (code === ErrorCode.INVALID_PRODUCER_EPOCH || code === ErrorCode.INVALID_PRODUCER_ID_MAPPING || code === ErrorCode.INVALID_TXN_STATE) return 'already-completed-or-fenced';
    throw new KafkaProtocolError(code as ErrorCodeValue, `committing the prepared transaction of '${ref.transactionalId}' failed`);
  }

  /** @internal The write path of {@link InProcessTransactionalProducer}. */
  async topicFor(topicName: string): Promise<Topic> {
    return this.topicForWrite(topicName);
  }

  async fetch(topicName: string, partition: number, offset: bigint, options: FetchOptions = {}): Promise<FetchResult> {
    const topic = this.topic(topicName);
    const log = topic.partitions[partition];
    if (!log) throw new KafkaProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic '${topicName}' has no partition ${partition}`);
    const committed = options.isolationLevel === 'read_committed';
    const txns = committed ? partitionTxns(log) : null;
    const readableEnd = async (): Promise<bigint> => {
      if (txns === null) return log.logEndOffset;
      await txns.sync();
      return txns.lastStableOffset;
    };
    let end = await readableEnd();
    const waitMs = Math.min(options.maxWaitMs ?? 0, fetchWaitMsMax);
    if (waitMs > 0 && offset >= end) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, waitMs);
        const off = this.broker.topics.onAppend(topicName, partition, done);
        function done() {
          clearTimeout(timer);
          off();
          resolve();
        }
      });
      end = await readableEnd();
    }
    const records: KafkaRecord[] = [];
    let nextOffset = offset;
    if (offset < end) {
      const read = log.read(offset, options.maxBytes ?? fetchBytesDefault);
      const aborted = txns === null ? [] : txns.abortedBetween(offset, end);
      for (const batch of storedBatches(read.data)) {
        const base = batch.readBigInt64BE(BatchOffsets.baseOffset);
        if (base >= end) break;
        nextOffset = base + BigInt(batch.readInt32BE(BatchOffsets.lastOffsetDelta)) + 1n;
        // Transaction markers are control records for the broker and clients, not data.
        if (isControlBatch(batch)) continue;
        if (aborted.length > 0 && isAborted(batch, base, aborted)) continue;
        for (const r of await decodeBatchRecords(batch)) {
          if (r.offset >= offset) records.push(r);
        }
      }
    }
    if (nextOffset < offset) nextOffset = offset;
    return { records, nextOffset, highWatermark: log.logEndOffset, lastStableOffset: txns === null ? log.logEndOffset : end, logStartOffset: log.logStartOffset };
  }

  async offsets(topicName: string, partition: number, isolationLevel: IsolationLevel = 'read_uncommitted'): Promise<PartitionOffsets> {
    const log = this.topic(topicName).partitions[partition];
    if (!log) throw new KafkaProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic '${topicName}' has no partition ${partition}`);
    if (isolationLevel === 'read_uncommitted') return { start: log.logStartOffset, end: log.logEndOffset };
    const txns = partitionTxns(log);
    await txns.sync();
    return { start: log.logStartOffset, end: txns.lastStableOffset };
  }

  async close(): Promise<void> {
    // The broker's lifetime is the platform's; nothing is owned here.
  }
}

/** Whether a transactional data batch starting at `base` belongs to one of the aborted transactions. */
function isAborted(batch: Buffer, base: bigint, aborted: readonly { producerId: bigint; firstOffset: bigint; lastOffset: bigint }[]): boolean {
  if ((batch.readInt16BE(BatchOffsets.attributes) & Attributes.transactional) === 0) return false;
  const producerId = batch.readBigInt64BE(BatchOffsets.producerId);
  return aborted.some((a) => a.producerId === producerId && a.firstOffset <= base && base < a.lastOffset);
}

/**
 * One transactional.id's producer over the embedded broker. Sequence numbers run per partition
 * for the producer's epoch, across transactions, as Kafka's idempotent producer numbers them.
 */
class InProcessTransactionalProducer implements TransactionalProducer {
  private open = false;
  /** Partitions added to the open transaction, as `topic\0partition`. */
  private readonly joined = new Set<string>();
  private readonly sequences = new Map<string, number>();

  constructor(
    private readonly client: InProcessTopicClient,
    private readonly broker: Broker,
    readonly transactionalId: string,
    readonly producerId: bigint,
    readonly producerEpoch: number,
  ) {}

  get hasWrites(): boolean {
    return this.joined.size > 0;
  }

  begin(): void {
    if (this.open) throw new KafkaProtocolError(ErrorCode.INVALID_TXN_STATE, `transactional id '${this.transactionalId}' already has an open transaction`);
    this.open = true;
  }

  async produce(topicName: string, records: readonly ProduceRecord[]): Promise<ProducedOffset[]> {
    if (!this.open) throw new KafkaProtocolError(ErrorCode.INVALID_TXN_STATE, `transactional id '${this.transactionalId}' has no open transaction: call begin() first`);
    const topic = await this.client.topicFor(topicName);
    const groups = [...this.client.byPartition(topic, records)];
    const added = groups.map(([p]) => p).filter((p) => !this.joined.has(`${topicName}\0${p}`));
    if (added.length > 0) {
      const codes = await this.broker.transactions.addPartitions(this.transactionalId, this.producerId, this.producerEpoch, added.map((partition) => ({ topic: topicName, partition })));
      const failed = codes.find((c) => c !== ErrorCode.NONE);
      if (failed !== undefined) throw new KafkaProtocolError(failed as ErrorCodeValue, `AddPartitionsToTxn for '${this.transactionalId}' on topic '${topicName}' failed`);
      for (const p of added) this.joined.add(`${topicName}\0${p}`);
    }
    const out: ProducedOffset[] = new Array(records.length);
    for (const [partition, indexes] of groups) {
      const key = `${topicName}\0${partition}`;
      const sequence = this.sequences.get(key) ?? 0;
      const batch = await encodeBatch({ records: indexes.map((i) => records[i]), producerId: this.producerId, producerEpoch: this.producerEpoch, baseSequence: sequence, transactional: true });
      // The same check the Produce handler makes: a fenced epoch or a finished transaction writes nothing.
      const code = this.broker.transactions.checkProduce(this.transactionalId, this.producerId, this.producerEpoch, topicName, partition);
      if (code !== ErrorCode.NONE) throw new KafkaProtocolError(code as ErrorCodeValue, `transactional id '${this.transactionalId}' may not write to ${topicName}/${partition}`);
      const result = await appendRecordSet(this.broker, topic, partition, batch, -1);
      this.sequences.set(key, (sequence + indexes.length) % 2 ** 31);
      indexes.forEach((recordIndex, k) => {
        out[recordIndex] = { partition, offset: result.baseOffset + BigInt(k) };
      });
    }
    return out;
  }

  commit(): Promise<void> {
    return this.end(true);
  }

  abort(): Promise<void> {
    return this.end(false);
  }

  private async end(commit: boolean): Promise<void> {
    if (!this.open) throw new KafkaProtocolError(ErrorCode.INVALID_TXN_STATE, `transactional id '${this.transactionalId}' has no open transaction to ${commit ? 'commit' : 'abort'}`);
    // A transaction that wrote nothing never reached the coordinator (Kafka's clients end it locally).
    if (this.joined.size > 0) {
      const code = await this.broker.transactions.endTxn(this.transactionalId, this.producerId, this.producerEpoch, commit);
      if (code !== ErrorCode.NONE) throw new KafkaProtocolError(code as ErrorCodeValue, `EndTxn(${commit ? 'commit' : 'abort'}) for '${this.transactionalId}' failed`);
    }
    this.joined.clear();
    this.open = false;
  }
}
