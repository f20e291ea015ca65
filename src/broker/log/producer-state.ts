/**
 * Idempotent-producer state of one partition, with Kafka 2.x semantics (ProducerStateManager):
 * per producer id the epoch and the last five batches' sequence ranges and offsets.
 *
 * - A batch equal to one of the five is a retry: the log answers its original offsets.
 * - Otherwise its first sequence must follow the last one (wrapping at 2^31 - 1), or the
 *   producer gets OUT_OF_ORDER_SEQUENCE_NUMBER.
 * - An older epoch is fenced (INVALID_PRODUCER_EPOCH); a newer one must start at sequence 0.
 * - An unknown producer id must start at sequence 0, else UNKNOWN_PRODUCER_ID (its state was
 *   evicted or its records deleted; clients reset their sequence on this code).
 *
 * The state is snapshotted to `<offset>.snapshot` (the state after every record below that
 * offset) at roll and clean close; the rest is rebuilt from batch headers on open.
 *
 * Snapshot file: version int16 (1), crc32c uint32 of what follows, entry count int32, then per
 * producer: producerId int64, epoch int16, lastAppendMs int64, batch count int8, and per batch
 * firstSeq int32, lastSeq int32, baseOffset int64, lastOffset int64.
 */
import { ErrorCode, KafkaProtocolError, crc32c } from '../protocol/index.ts';

/** Batches remembered per producer for duplicate detection (Kafka's max.in.flight limit). */
export const producerBatchesRemembered = 5;
/** Producers remembered per partition; the least recently used is evicted past this. */
export const producersMax = 50_000;

const seqMax = 2 ** 31 - 1;
const snapshotVersion = 1;

export interface BatchMetadata {
  firstSeq: number;
  lastSeq: number;
  baseOffset: bigint;
  lastOffset: bigint;
}

export interface ProducerEntry {
  epoch: number;
  lastAppendMs: number;
  batches: BatchMetadata[];
}

export interface ProducerBatch {
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  lastOffsetDelta: number;
}

export function lastSequence(baseSequence: number, lastOffsetDelta: number): number {
  const s = baseSequence + lastOffsetDelta;
  return s > seqMax ? s - seqMax - 1 : s;
}

/** What {@link ProducerState.check} found for a batch. */
export type SequenceCheck = { kind: 'append' } | { kind: 'duplicate'; batch: BatchMetadata };

export class ProducerState {
  private readonly producers = new Map<bigint, ProducerEntry>();

  get size(): number {
    return this.producers.size;
  }

  entry(producerId: bigint): ProducerEntry | undefined {
    return this.producers.get(producerId);
  }

  /**
   * Checks a batch against the state plus `pending` (batches of the same append not yet
   * applied). Throws KafkaProtocolError for fenced epochs and sequence gaps.
   */
  check(b: ProducerBatch, pending?: ProducerEntry): SequenceCheck {
    const current = pending ?? this.producers.get(b.producerId);
    const firstSeq = b.baseSequence;
    if (current === undefined) {
      if (firstSeq !== 0) {
        throw new KafkaProtocolError(ErrorCode.UNKNOWN_PRODUCER_ID, `producer ${b.producerId} is unknown to this partition and starts at sequence ${firstSeq}, not 0`);
      }
      return { kind: 'append' };
    }
    if (b.producerEpoch < current.epoch) {
      throw new KafkaProtocolError(ErrorCode.INVALID_PRODUCER_EPOCH, `producer ${b.producerId} epoch ${b.producerEpoch} is older than the current epoch ${current.epoch}`);
    }
    if (b.producerEpoch > current.epoch) {
      if (firstSeq !== 0) {
        throw new KafkaProtocolError(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, `producer ${b.producerId} new epoch ${b.producerEpoch} must start at sequence 0, got ${firstSeq}`);
      }
      return { kind: 'append' };
    }
    const lastSeq = lastSequence(firstSeq, b.lastOffsetDelta);
    for (const m of current.batches) {
      if (m.firstSeq === firstSeq && m.lastSeq === lastSeq) return { kind: 'duplicate', batch: m };
    }
    const last = current.batches[current.batches.length - 1];
    const expected = last === undefined ? 0 : last.lastSeq === seqMax ? 0 : last.lastSeq + 1;
    if (firstSeq !== expected) {
      throw new KafkaProtocolError(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, `producer ${b.producerId} sent sequence ${firstSeq}, expected ${expected}`);
    }
    return { kind: 'append' };
  }

  /** The entry `b` would leave behind, without changing the state. */
  next(b: ProducerBatch, baseOffset: bigint, nowMs: number, pending?: ProducerEntry): ProducerEntry {
    const current = pending ?? this.producers.get(b.producerId);
    const sameEpoch = current !== undefined && current.epoch === b.producerEpoch;
    const batches = sameEpoch ? current.batches.slice(-(producerBatchesRemembered - 1)) : [];
    batches.push({
      firstSeq: b.baseSequence,
      lastSeq: lastSequence(b.baseSequence, b.lastOffsetDelta),
      baseOffset,
      lastOffset: baseOffset + BigInt(b.lastOffsetDelta),
    });
    return { epoch: b.producerEpoch, lastAppendMs: nowMs, batches };
  }

  /** Records an entry; the most recently updated producers survive eviction. */
  set(producerId: bigint, entry: ProducerEntry): void {
    this.producers.delete(producerId);
    this.producers.set(producerId, entry);
    if (this.producers.size > producersMax) {
      const oldest = this.producers.keys().next();
      if (!oldest.done) this.producers.delete(oldest.value);
    }
  }

  /** Applies a batch found on disk while rebuilding (no checks: the log is the truth). */
  replay(b: ProducerBatch, baseOffset: bigint, nowMs: number): void {
    if (b.producerId < 0n) return;
    const current = this.producers.get(b.producerId);
    if (current !== undefined && b.producerEpoch < current.epoch) return;
    this.set(b.producerId, this.next(b, baseOffset, nowMs));
  }

  /**
   * A transaction marker written with `epoch`: a newer epoch than the producer's fences the
   * older one at this partition too (KIP-98), and the new epoch starts with no batches.
   */
  applyMarker(producerId: bigint, epoch: number, nowMs: number): void {
    const current = this.producers.get(producerId);
    if (current !== undefined && epoch <= current.epoch) return;
    this.set(producerId, { epoch, lastAppendMs: nowMs, batches: [] });
  }

  /** Forgets batches at or past `offset` (the log was truncated there). */
  truncateFrom(offset: bigint): void {
    for (const [pid, e] of this.producers) {
      const kept = e.batches.filter((m) => m.lastOffset < offset);
      if (kept.length === 0) this.producers.delete(pid);
      else if (kept.length !== e.batches.length) e.batches = kept;
    }
  }

  clear(): void {
    this.producers.clear();
  }

  serialize(): Buffer {
    let bytes = 10;
    for (const e of this.producers.values()) bytes += 19 + e.batches.length * 24;
    const buf = Buffer.allocUnsafe(bytes);
    buf.writeInt16BE(snapshotVersion, 0);
    buf.writeInt32BE(this.producers.size, 6);
    let at = 10;
    for (const [pid, e] of this.producers) {
      buf.writeBigInt64BE(pid, at);
      buf.writeInt16BE(e.epoch, at + 8);
      buf.writeBigInt64BE(BigInt(e.lastAppendMs), at + 10);
      buf.writeInt8(e.batches.length, at + 18);
      at += 19;
      for (const m of e.batches) {
        buf.writeInt32BE(m.firstSeq, at);
        buf.writeInt32BE(m.lastSeq, at + 4);
        buf.writeBigInt64BE(m.baseOffset, at + 8);
        buf.writeBigInt64BE(m.lastOffset, at + 16);
        at += 24;
      }
    }
    buf.writeUInt32BE(crc32c(buf.subarray(6)), 2);
    return buf;
  }

  /** Loads a snapshot; returns false (state left empty) when it is damaged. */
  load(buf: Buffer): boolean {
    this.producers.clear();
    if (buf.length < 10 || buf.readInt16BE(0) !== snapshotVersion) return false;
    if (buf.readUInt32BE(2) !== crc32c(buf.subarray(6))) return false;
    const n = buf.readInt32BE(6);
    let at = 10;
    for (let i = 0; i < n; i++) {
      if (at + 19 > buf.length) return this.damaged();
      const pid = buf.readBigInt64BE(at);
      const epoch = buf.readInt16BE(at + 8);
      const lastAppendMs = Number(buf.readBigInt64BE(at + 10));
      const count = buf.readInt8(at + 18);
      at += 19;
      if (count < 0 || count > producerBatchesRemembered || at + count * 24 > buf.length) return this.damaged();
      const batches: BatchMetadata[] = [];
      for (let j = 0; j < count; j++) {
        batches.push({ firstSeq: buf.readInt32BE(at), lastSeq: buf.readInt32BE(at + 4), baseOffset: buf.readBigInt64BE(at + 8), lastOffset: buf.readBigInt64BE(at + 16) });
        at += 24;
      }
      this.producers.set(pid, { epoch, lastAppendMs, batches });
    }
    return true;
  }

  private damaged(): false {
    this.producers.clear();
    return false;
  }
}
