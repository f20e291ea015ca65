/**
 * The transaction coordinator (KIP-98): per transactional id the producer id and epoch, the
 * transaction's state, its partitions and its pending group offsets, kept in a compacted
 * internal log (`<dataDir>/txn`, one JSON value per transactional id, last write wins).
 *
 * States: Empty → Ongoing (first AddPartitionsToTxn / AddOffsetsToTxn) → PrepareCommit or
 * PrepareAbort (EndTxn, persisted before any marker) → CompleteCommit / CompleteAbort once a
 * marker is in every partition and, on commit, the offsets are in their groups. A broker that
 * restarts in a Prepare state finishes the completion; an Ongoing transaction past its timeout
 * is aborted with a bumped epoch, which fences its producer.
 *
 * Every answer is a Kafka error code; nothing here throws to the handlers for client mistakes.
 */
import type { KeyValueRecord } from '../internal-log.ts';
import { ErrorCode } from '../protocol/error-codes.ts';
import type { TxnMetadata, TxnState } from './txn-metadata.ts';
import { decodeTxnMetadata, encodeTxnMetadata, partitionKey } from './txn-metadata.ts';

/** transaction.max.timeout.ms: the longest timeout a producer may ask for (15 min). */
export const transactionTimeoutMsMax = 15 * 60 * 1000;
/** How often open transactions are checked against their timeout. */
export const timeoutCheckIntervalMs = 1000;
/** The epoch past which a producer gets a new producer id (epochs are int16). */
const epochMax = 32766;

export interface TopicPartitionRef {
  topic: string;
  partition: number;
}

export interface PendingOffset extends TopicPartitionRef {
  offset: bigint;
  leaderEpoch: number;
  metadata: string | null;
}

/** The transaction log: an {@link InternalLog} in the broker, an array in unit tests. */
export interface TxnStore {
  append(records: readonly KeyValueRecord[]): Promise<void>;
  replay(onRecord: (key: Buffer, value: Buffer | null) => void): Promise<void>;
}

/** What the coordinator needs from the rest of the broker. */
export interface TxnEnvironment {
  store: TxnStore;
  allocateProducerId(): Promise<bigint>;
  partitionExists(topic: string, partition: number): boolean;
  /** Appends a commit or abort marker to every partition and waits until they are durable. */
  writeMarkers(partitions: readonly TopicPartitionRef[], producerId: bigint, producerEpoch: number, commit: boolean): Promise<void>;
  /** Makes a committed transaction's offsets visible in the group. */
  commitOffsets(groupId: string, offsets: readonly PendingOffset[]): Promise<void>;
  now(): number;
  onError(err: unknown, transactionalId: string): void;
}

export type InitResult = { errorCode: number; producerId: bigint; producerEpoch: number };

export class TransactionCoordinator {
  private readonly txns = new Map<string, TxnMetadata>();
  private writes: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly env: TxnEnvironment) {}

  /** Replays the log, finishes completions cut short by a stop, and starts the timeout check. */
  async load(): Promise<void> {
    await this.env.store.replay((key, value) => {
      const id = key.toString('utf8');
      if (value === null) this.txns.delete(id);
      else this.txns.set(id, decodeTxnMetadata(id, value));
    });
    for (const txn of this.txns.values()) {
      if (txn.state === 'PrepareCommit' || txn.state === 'PrepareAbort') await this.complete(txn);
    }
    this.timer = setInterval(() => void this.abortTimedOut(), timeoutCheckIntervalMs);
    this.timer.unref();
  }

  close(): Promise<unknown> {
    if (this.timer) clearInterval(this.timer);
    return this.writes;
  }

  /** Test and diagnostics access. */
  get(transactionalId: string): Readonly<TxnMetadata> | undefined {
    return this.txns.get(transactionalId);
  }

  async initProducerId(transactionalId: string, timeoutMs: number): Promise<InitResult> {
    const fail = (errorCode: number): InitResult => ({ errorCode, producerId: -1n, producerEpoch: -1 });
    if (timeoutMs <= 0 || timeoutMs > transactionTimeoutMsMax) return fail(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    let txn = this.txns.get(transactionalId);
    if (!txn) {
      txn = { transactionalId, producerId: await this.env.allocateProducerId(), producerEpoch: 0, timeoutMs, state: 'Empty', partitions: new Map(), offsets: new Map(), startMs: -1 };
      this.txns.set(transactionalId, txn);
      await this.persist(txn);
      return { errorCode: ErrorCode.NONE, producerId: txn.producerId, producerEpoch: txn.producerEpoch };
    }
    if (isCompleting(txn.state)) return fail(ErrorCode.CONCURRENT_TRANSACTIONS);
    // A new epoch fences every producer of the older ones; their open transaction is aborted.
    await this.bumpEpoch(txn);
    txn.timeoutMs = timeoutMs;
    if (txn.state === 'Ongoing') {
      txn.state = 'PrepareAbort';
      await this.persist(txn);
      await this.complete(txn);
    } else {
      await this.persist(txn);
    }
    return { errorCode: ErrorCode.NONE, producerId: txn.producerId, producerEpoch: txn.producerEpoch };
  }

  /** Checks that a producer is the current one of its transactional id; NONE when it is. */
  validate(transactionalId: string, producerId: bigint, producerEpoch: number): number {
    const txn = this.txns.get(transactionalId);
    if (!txn || txn.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (producerEpoch !== txn.producerEpoch) return ErrorCode.INVALID_PRODUCER_EPOCH;
    if (isCompleting(txn.state)) return ErrorCode.CONCURRENT_TRANSACTIONS;
    return ErrorCode.NONE;
  }

  /** AddPartitionsToTxn: one code per partition, in order. */
  async addPartitions(transactionalId: string, producerId: bigint, producerEpoch: number, partitions: readonly TopicPartitionRef[]): Promise<number[]> {
    const error = this.validate(transactionalId, producerId, producerEpoch);
    if (error !== ErrorCode.NONE) return partitions.map(() => error);
    const unknown = partitions.map((p) => !this.env.partitionExists(p.topic, p.partition));
    if (unknown.some((u) => u)) return unknown.map((u) => (u ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.OPERATION_NOT_ATTEMPTED));
    const txn = this.txns.get(transactionalId)!;
    this.begin(txn);
    for (const p of partitions) txn.partitions.set(partitionKey(p.topic, p.partition), { topic: p.topic, partition: p.partition });
    await this.persist(txn);
    return partitions.map(() => ErrorCode.NONE);
  }

  /** AddOffsetsToTxn: the group's offsets will be committed with the transaction. */
  async addOffsets(transactionalId: string, producerId: bigint, producerEpoch: number, groupId: string): Promise<number> {
    const error = this.validate(transactionalId, producerId, producerEpoch);
    if (error !== ErrorCode.NONE) return error;
    const txn = this.txns.get(transactionalId)!;
    this.begin(txn);
    if (!txn.offsets.has(groupId)) txn.offsets.set(groupId, new Map());
    await this.persist(txn);
    return ErrorCode.NONE;
  }

  /** TxnOffsetCommit: offsets held in the transaction until it commits. */
  async commitOffsets(transactionalId: string, producerId: bigint, producerEpoch: number, groupId: string, offsets: readonly PendingOffset[]): Promise<number> {
    const error = this.validate(transactionalId, producerId, producerEpoch);
    if (error !== ErrorCode.NONE) return error;
    const txn = this.txns.get(transactionalId)!;
    const group = txn.offsets.get(groupId);
    if (txn.state !== 'Ongoing' || !group) return ErrorCode.INVALID_TXN_STATE;
    for (const o of offsets) group.set(partitionKey(o.topic, o.partition), o);
    await this.persist(txn);
    return ErrorCode.NONE;
  }

  /** Produce: a transactional write must come from the current epoch, to a partition in the transaction. */
  checkProduce(transactionalId: string, producerId: bigint, producerEpoch: number, topic: string, partition: number): number {
    const error = this.validate(transactionalId, producerId, producerEpoch);
    if (error === ErrorCode.CONCURRENT_TRANSACTIONS) return ErrorCode.INVALID_TXN_STATE;
    if (error !== ErrorCode.NONE) return error;
    const txn = this.txns.get(transactionalId)!;
    if (txn.state !== 'Ongoing' || !txn.partitions.has(partitionKey(topic, partition))) return ErrorCode.INVALID_TXN_STATE;
    return ErrorCode.NONE;
  }

  /** EndTxn: writes the markers, then answers. A retry of a finished EndTxn succeeds again. */
  async endTxn(transactionalId: string, producerId: bigint, producerEpoch: number, commit: boolean): Promise<number> {
    const error = this.validate(transactionalId, producerId, producerEpoch);
    if (error !== ErrorCode.NONE) return error;
    const txn = this.txns.get(transactionalId)!;
    if (txn.state === (commit ? 'CompleteCommit' : 'CompleteAbort')) return ErrorCode.NONE;
    if (txn.state !== 'Ongoing') return ErrorCode.INVALID_TXN_STATE;
    txn.state = commit ? 'PrepareCommit' : 'PrepareAbort';
    await this.persist(txn);
    await this.complete(txn);
    return ErrorCode.NONE;
  }

  private begin(txn: TxnMetadata): void {
    if (txn.state === 'Ongoing') return;
    txn.state = 'Ongoing';
    txn.partitions.clear();
    txn.offsets.clear();
    txn.startMs = this.env.now();
  }

  private async bumpEpoch(txn: TxnMetadata): Promise<void> {
    if (txn.producerEpoch >= epochMax) {
      txn.producerId = await this.env.allocateProducerId();
      txn.producerEpoch = 0;
    } else {
      txn.producerEpoch++;
    }
  }

  /** Writes the markers and (on commit) the offsets of a Prepare state, then records completion. */
  private async complete(txn: TxnMetadata): Promise<void> {
    const commit = txn.state === 'PrepareCommit';
    await this.env.writeMarkers([...txn.partitions.values()], txn.producerId, txn.producerEpoch, commit);
    if (commit) {
      for (const [groupId, offsets] of txn.offsets) if (offsets.size > 0) await this.env.commitOffsets(groupId, [...offsets.values()]);
    }
    txn.state = commit ? 'CompleteCommit' : 'CompleteAbort';
    txn.partitions.clear();
    txn.offsets.clear();
    await this.persist(txn);
  }

  private async abortTimedOut(): Promise<void> {
    const now = this.env.now();
    for (const txn of this.txns.values()) {
      if (txn.state !== 'Ongoing' || now - txn.startMs <= txn.timeoutMs) continue;
      try {
        await this.bumpEpoch(txn);
        txn.state = 'PrepareAbort';
        await this.persist(txn);
        await this.complete(txn);
      } catch (err) {
        this.env.onError(err, txn.transactionalId);
      }
    }
  }

  /** Appends the transaction's state; writes are chained so the log keeps their order. */
  private persist(txn: TxnMetadata): Promise<void> {
    const record = { key: Buffer.from(txn.transactionalId, 'utf8'), value: encodeTxnMetadata(txn) };
    const write = this.writes.then(() => this.env.store.append([record]));
    this.writes = write.catch(() => undefined);
    return write;
  }
}

function isCompleting(state: TxnState): boolean {
  return state === 'PrepareCommit' || state === 'PrepareAbort';
}
