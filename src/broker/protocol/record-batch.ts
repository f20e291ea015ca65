/**
 * RecordBatch v2, Kafka's on-disk and on-wire record format ("Message Format" in Kafka's
 * implementation docs):
 *
 *   baseOffset: int64            partitionLeaderEpoch: int32 (not covered by the CRC)
 *   batchLength: int32           magic: int8 (= 2)
 *   crc: uint32 (CRC-32C of attributes .. end)
 *   attributes: int16            bit 0-2 codec, 3 timestampType, 4 transactional, 5 control
 *   lastOffsetDelta: int32       baseTimestamp: int64      maxTimestamp: int64
 *   producerId: int64            producerEpoch: int16      baseSequence: int32
 *   records: [Record]            (int32 count, then the records, compressed when codec != 0)
 *
 *   Record => length: varint, attributes: int8, timestampDelta: varlong, offsetDelta: varint,
 *             key: varint-length bytes, value: varint-length bytes,
 *             headers: [varint count] (key: varint-length string, value: varint-length bytes)
 *
 * The broker stores batches as produced and edits only their header in place (base offset,
 * leader epoch, and for LogAppendTime the timestamps, re-computing the CRC).
 */
import assert from 'node:assert';
import { crc32c } from './crc32c.ts';
import { compress, decompress } from './compression.ts';
import { Reader } from './reader.ts';

export const batchHeaderBytes = 61;
/** Bytes before the batchLength-counted part: baseOffset (8) + batchLength (4). */
export const batchLogOverheadBytes = 12;

export const BatchOffsets = {
  baseOffset: 0,
  batchLength: 8,
  partitionLeaderEpoch: 12,
  magic: 16,
  crc: 17,
  attributes: 21,
  lastOffsetDelta: 23,
  baseTimestamp: 27,
  maxTimestamp: 35,
  producerId: 43,
  producerEpoch: 51,
  baseSequence: 53,
  recordCount: 57,
} as const;

export const Attributes = {
  codecMask: 0x07,
  timestampTypeLogAppend: 0x08,
  transactional: 0x10,
  control: 0x20,
} as const;

export interface BatchHeader {
  baseOffset: bigint;
  /** Length of the whole batch in bytes, header included. */
  sizeBytes: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

/** One record, decoded. Offsets and timestamps are absolute. */
export interface KafkaRecord {
  offset: bigint;
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

export class InvalidBatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidBatchError';
  }
}

export function readBatchHeader(buf: Buffer, at = 0): BatchHeader {
  if (buf.length - at < batchHeaderBytes) throw new InvalidBatchError(`batch header needs ${batchHeaderBytes} bytes, have ${buf.length - at}`);
  const batchLength = buf.readInt32BE(at + BatchOffsets.batchLength);
  return {
    baseOffset: buf.readBigInt64BE(at + BatchOffsets.baseOffset),
    sizeBytes: batchLength + batchLogOverheadBytes,
    partitionLeaderEpoch: buf.readInt32BE(at + BatchOffsets.partitionLeaderEpoch),
    magic: buf.readInt8(at + BatchOffsets.magic),
    crc: buf.readUInt32BE(at + BatchOffsets.crc),
    attributes: buf.readInt16BE(at + BatchOffsets.attributes),
    lastOffsetDelta: buf.readInt32BE(at + BatchOffsets.lastOffsetDelta),
    baseTimestamp: buf.readBigInt64BE(at + BatchOffsets.baseTimestamp),
    maxTimestamp: buf.readBigInt64BE(at + BatchOffsets.maxTimestamp),
    producerId: buf.readBigInt64BE(at + BatchOffsets.producerId),
    producerEpoch: buf.readInt16BE(at + BatchOffsets.producerEpoch),
    baseSequence: buf.readInt32BE(at + BatchOffsets.baseSequence),
    recordCount: buf.readInt32BE(at + BatchOffsets.recordCount),
  };
}

/** The CRC-32C a batch should carry: over attributes to the end. */
export function computeBatchCrc(batch: Buffer): number {
  return crc32c(batch.subarray(BatchOffsets.attributes));
}

export function batchCrcValid(batch: Buffer): boolean {
  return batch.readUInt32BE(BatchOffsets.crc) === computeBatchCrc(batch);
}

/**
 * Splits a record set (as a Produce request carries it) into batches, checking each one's
 * framing, magic and CRC. Throws {@link InvalidBatchError} naming what is wrong.
 */
export function splitBatches(records: Buffer, batchBytesMax = Number.MAX_SAFE_INTEGER): Buffer[] {
  const out: Buffer[] = [];
  let pos = 0;
  while (pos < records.length) {
    if (records.length - pos < batchHeaderBytes) throw new InvalidBatchError('record set ends inside a batch header');
    const size = records.readInt32BE(pos + BatchOffsets.batchLength) + batchLogOverheadBytes;
    if (size < batchHeaderBytes) throw new InvalidBatchError(`batch length ${size} is smaller than a batch header`);
    if (pos + size > records.length) throw new InvalidBatchError('record set ends inside a batch');
    if (size > batchBytesMax) throw new InvalidBatchError(`batch of ${size} bytes exceeds ${batchBytesMax}`);
    const batch = records.subarray(pos, pos + size);
    const magic = batch.readInt8(BatchOffsets.magic);
    if (magic !== 2) throw new InvalidBatchError(`record format v${magic} is not supported: only RecordBatch v2 (magic 2)`);
    if (!batchCrcValid(batch)) throw new InvalidBatchError('batch CRC-32C does not match its contents');
    out.push(batch);
    pos += size;
  }
  return out;
}

/**
 * Views of the batches in stored bytes (a log read): no checks, no copies. The log only holds
 * batches it validated on append.
 */
export function storedBatches(data: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let pos = 0; pos + batchHeaderBytes <= data.length; ) {
    const size = data.readInt32BE(pos + BatchOffsets.batchLength) + batchLogOverheadBytes;
    out.push(data.subarray(pos, pos + size));
    pos += size;
  }
  return out;
}

/** Whether a batch holds control records (transaction markers) rather than data. */
export function isControlBatch(batch: Buffer): boolean {
  return (batch.readInt16BE(BatchOffsets.attributes) & Attributes.control) !== 0;
}

/**
 * Rewrites a batch's header as the log assigns it: base offset and leader epoch (outside the
 * CRC), and with LogAppendTime the timestamp type and max timestamp (inside, so the CRC is
 * recomputed). Edits the buffer in place.
 */
export function stampBatch(batch: Buffer, baseOffset: bigint, logAppendTimeMs: bigint | null, leaderEpoch = 0): void {
  batch.writeBigInt64BE(baseOffset, BatchOffsets.baseOffset);
  batch.writeInt32BE(leaderEpoch, BatchOffsets.partitionLeaderEpoch);
  if (logAppendTimeMs !== null) {
    const attributes = batch.readInt16BE(BatchOffsets.attributes) | Attributes.timestampTypeLogAppend;
    batch.writeInt16BE(attributes, BatchOffsets.attributes);
    batch.writeBigInt64BE(logAppendTimeMs, BatchOffsets.maxTimestamp);
    batch.writeUInt32BE(computeBatchCrc(batch), BatchOffsets.crc);
  }
}

function decodeRecord(r: Reader, baseOffset: bigint, baseTimestamp: bigint, logAppendTime: bigint | null): KafkaRecord {
  const length = r.varint();
  const end = r.offset + length;
  if (length < 0 || end > r.end) throw new InvalidBatchError(`record length ${length} runs past the batch`);
  r.int8(); // record attributes: unused
  const timestampDelta = r.varlong();
  const offsetDelta = r.varint();
  const keyLen = r.varint();
  const key = keyLen < 0 ? null : r.raw(keyLen);
  const valueLen = r.varint();
  const value = valueLen < 0 ? null : r.raw(valueLen);
  const headerCount = r.varint();
  if (headerCount < 0 || headerCount > end - r.offset) throw new InvalidBatchError(`record header count ${headerCount} is invalid`);
  const headers: RecordHeader[] = new Array(headerCount);
  for (let i = 0; i < headerCount; i++) {
    const hk = r.varint();
    if (hk < 0) throw new InvalidBatchError('record header key is null');
    const hkey = r.raw(hk).toString('utf8');
    const hv = r.varint();
    headers[i] = { key: hkey, value: hv < 0 ? null : r.raw(hv) };
  }
  if (r.offset !== end) throw new InvalidBatchError(`record length ${length} does not match its fields`);
  return {
    offset: baseOffset + BigInt(offsetDelta),
    timestamp: logAppendTime ?? baseTimestamp + timestampDelta,
    key,
    value,
    headers,
  };
}

/** The uncompressed record bytes of a batch (everything after the record count). */
export async function batchRecordBytes(batch: Buffer): Promise<Buffer> {
  const codec = batch.readInt16BE(BatchOffsets.attributes) & Attributes.codecMask;
  const body = batch.subarray(batchHeaderBytes);
  return codec === 0 ? body : decompress(codec, body);
}

/** Decodes every record of a batch, decompressing it if needed. */
export async function decodeBatchRecords(batch: Buffer): Promise<KafkaRecord[]> {
  const header = readBatchHeader(batch);
  const body = await batchRecordBytes(batch);
  const logAppend = (header.attributes & Attributes.timestampTypeLogAppend) !== 0 ? header.maxTimestamp : null;
  const r = new Reader(body);
  if (header.recordCount < 0 || header.recordCount > body.length) throw new InvalidBatchError(`record count ${header.recordCount} is invalid`);
  const out: KafkaRecord[] = new Array(header.recordCount);
  for (let i = 0; i < header.recordCount; i++) out[i] = decodeRecord(r, header.baseOffset, header.baseTimestamp, logAppend);
  return out;
}

export interface NewRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers?: readonly RecordHeader[];
  /** Milliseconds since the epoch; defaults to now. */
  timestamp?: bigint;
  /** Offset delta within the batch; defaults to the record's index (compaction keeps gaps). */
  offsetDelta?: number;
}

export interface NewBatch {
  baseOffset?: bigint;
  records: readonly NewRecord[];
  compression?: number;
  producerId?: bigint;
  producerEpoch?: number;
  baseSequence?: number;
  transactional?: boolean;
  control?: boolean;
  /** Overrides lastOffsetDelta (compaction keeps a batch's offset span when records are removed). */
  lastOffsetDelta?: number;
  logAppendTime?: boolean;
}

/** Bytes of a zig-zag varint of a 32-bit value (a 64-bit value within int32 encodes the same). */
function varintBytes(v: number): number {
  let u = ((v << 1) ^ (v >> 31)) >>> 0;
  let n = 1;
  while (u >= 0x80) {
    u >>>= 7;
    n++;
  }
  return n;
}

function putVarint(buf: Buffer, pos: number, v: number): number {
  let u = ((v << 1) ^ (v >> 31)) >>> 0;
  while (u >= 0x80) {
    buf[pos++] = (u & 0x7f) | 0x80;
    u >>>= 7;
  }
  buf[pos++] = u;
  return pos;
}

function putVarlong(buf: Buffer, pos: number, v: bigint): number {
  let u = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
  while (u >= 0x80n) {
    buf[pos++] = Number(u & 0x7fn) | 0x80;
    u >>= 7n;
  }
  buf[pos++] = Number(u);
  return pos;
}

function varlongBytes(v: bigint): number {
  let u = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
  let n = 1;
  while (u >= 0x80n) {
    u >>= 7n;
    n++;
  }
  return n;
}

const INT32_MIN = -2147483648n;
const INT32_MAX = 2147483647n;

/**
 * The records of a batch, written at `headroom` bytes into a new buffer (encodeBatch puts the
 * header there). Sizes are computed first, so every record is written once, in place, without
 * per-record buffers (the sink produces hundreds of thousands of records per second this way).
 */
function encodeRecordsBody(records: readonly NewRecord[], baseTimestamp: bigint, headroom: number): Buffer {
  const n = records.length;
  const sizes = new Int32Array(n);
  // Timestamp deltas within int32 as numbers (the common case); others stay bigint.
  const deltas = new Array<number | bigint>(n);
  let total = headroom;
  for (let i = 0; i < n; i++) {
    const r = records[i];
    const d = r.timestamp === undefined ? 0n : r.timestamp - baseTimestamp;
    const delta = d >= INT32_MIN && d <= INT32_MAX ? Number(d) : d;
    deltas[i] = delta;
    let size = 1 + (typeof delta === 'number' ? varintBytes(delta) : varlongBytes(delta)) + varintBytes(r.offsetDelta ?? i);
    size += r.key === null ? 1 : varintBytes(r.key.length) + r.key.length;
    size += r.value === null ? 1 : varintBytes(r.value.length) + r.value.length;
    const headers = r.headers ?? [];
    size += varintBytes(headers.length);
    for (const h of headers) {
      const k = Buffer.byteLength(h.key, 'utf8');
      size += varintBytes(k) + k + (h.value === null ? 1 : varintBytes(h.value.length) + h.value.length);
    }
    sizes[i] = size;
    total += varintBytes(size) + size;
  }
  const buf = Buffer.allocUnsafe(total);
  let pos = headroom;
  for (let i = 0; i < n; i++) {
    const r = records[i];
    pos = putVarint(buf, pos, sizes[i]);
    buf[pos++] = 0; // attributes
    const delta = deltas[i];
    pos = typeof delta === 'number' ? putVarint(buf, pos, delta) : putVarlong(buf, pos, delta);
    pos = putVarint(buf, pos, r.offsetDelta ?? i);
    for (const part of [r.key, r.value]) {
      if (part === null) {
        pos = putVarint(buf, pos, -1);
        continue;
      }
      pos = putVarint(buf, pos, part.length);
      if (part.length <= 64) for (let k = 0; k < part.length; k++) buf[pos++] = part[k];
      else pos += part.copy(buf, pos);
    }
    const headers = r.headers ?? [];
    pos = putVarint(buf, pos, headers.length);
    for (const h of headers) {
      const k = Buffer.byteLength(h.key, 'utf8');
      pos = putVarint(buf, pos, k);
      pos += buf.write(h.key, pos, 'utf8');
      if (h.value === null) pos = putVarint(buf, pos, -1);
      else {
        pos = putVarint(buf, pos, h.value.length);
        pos += h.value.copy(buf, pos);
      }
    }
  }
  return buf;
}

/** Builds a RecordBatch v2 with a valid CRC. Used by the CLI, internal topics and compaction. */
export async function encodeBatch(b: NewBatch): Promise<Buffer> {
  assert(b.records.length > 0, 'a batch needs at least one record');
  const now = BigInt(Date.now());
  let baseTimestamp = b.records[0].timestamp ?? now;
  let maxTimestamp = baseTimestamp;
  for (const r of b.records) {
    const ts = r.timestamp ?? now;
    if (ts < baseTimestamp) baseTimestamp = ts;
    if (ts > maxTimestamp) maxTimestamp = ts;
  }
  const codec = b.compression ?? 0;
  // Uncompressed records are written straight after the header's room; compressed ones are
  // compressed from their own buffer and copied in.
  const raw = encodeRecordsBody(b.records, baseTimestamp, codec === 0 ? batchHeaderBytes : 0);
  const body = codec === 0 ? null : await compress(codec, raw);
  const attributes =
    codec | (b.logAppendTime ? Attributes.timestampTypeLogAppend : 0) | (b.transactional ? Attributes.transactional : 0) | (b.control ? Attributes.control : 0);
  const lastOffsetDelta = b.lastOffsetDelta ?? (b.records[b.records.length - 1].offsetDelta ?? b.records.length - 1);
  const batch = body === null ? raw : Buffer.allocUnsafe(batchHeaderBytes + body.length);
  batch.writeBigInt64BE(b.baseOffset ?? 0n, BatchOffsets.baseOffset);
  batch.writeInt32BE(batch.length - batchLogOverheadBytes, BatchOffsets.batchLength);
  batch.writeInt32BE(0, BatchOffsets.partitionLeaderEpoch);
  batch.writeInt8(2, BatchOffsets.magic);
  batch.writeInt16BE(attributes, BatchOffsets.attributes);
  batch.writeInt32BE(lastOffsetDelta, BatchOffsets.lastOffsetDelta);
  batch.writeBigInt64BE(baseTimestamp, BatchOffsets.baseTimestamp);
  batch.writeBigInt64BE(maxTimestamp, BatchOffsets.maxTimestamp);
  batch.writeBigInt64BE(b.producerId ?? -1n, BatchOffsets.producerId);
  batch.writeInt16BE(b.producerEpoch ?? -1, BatchOffsets.producerEpoch);
  batch.writeInt32BE(b.baseSequence ?? -1, BatchOffsets.baseSequence);
  batch.writeInt32BE(b.records.length, BatchOffsets.recordCount);
  if (body !== null) body.copy(batch, batchHeaderBytes);
  batch.writeUInt32BE(computeBatchCrc(batch), BatchOffsets.crc);
  return batch;
}
