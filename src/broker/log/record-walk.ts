/**
 * Allocation-free walks over the records of a RecordBatch v2 body (the bytes after the record
 * count, uncompressed). The produce path uses them only where Kafka must look inside a batch
 * (null keys on compacted topics); ListOffsets uses them to find a record by timestamp.
 *
 *   Record => length: varint, attributes: int8, timestampDelta: varlong, offsetDelta: varint,
 *             keyLength: varint, key, valueLength: varint, value, headers
 */
import { InvalidBatchError } from '../protocol/index.ts';

let cursor = 0;

/** Zig-zag varint at `cursor` (advanced); numbers beyond 2^53 lose precision, fine for deltas. */
function varint(buf: Buffer): number {
  let shift = 0;
  let raw = 0;
  for (let i = 0; i < 10; i++) {
    if (cursor >= buf.length) throw new InvalidBatchError('record runs past the batch');
    const b = buf[cursor++];
    raw += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
    shift += 7;
  }
  throw new InvalidBatchError('varint is longer than 10 bytes');
}

export interface RecordVisitor {
  /** Return false to stop the walk. */
  (offsetDelta: number, timestampDelta: number, keyLength: number, valueLength: number): boolean;
}

/** Calls `visit` for each record of an uncompressed body; checks framing as it goes. */
export function walkRecords(body: Buffer, recordCount: number, visit: RecordVisitor): void {
  cursor = 0;
  for (let i = 0; i < recordCount; i++) {
    const length = varint(body);
    const end = cursor + length;
    if (length < 0 || end > body.length) throw new InvalidBatchError(`record ${i} length ${length} runs past the batch`);
    cursor += 1; // attributes
    const timestampDelta = varint(body);
    const offsetDelta = varint(body);
    const keyLength = varint(body);
    if (keyLength > 0) cursor += keyLength;
    const valueLength = varint(body);
    const keep = visit(offsetDelta, timestampDelta, keyLength, valueLength);
    cursor = end;
    if (!keep) return;
  }
}

/** True when some record of the body has a null key. */
export function hasNullKey(body: Buffer, recordCount: number): boolean {
  let found = false;
  walkRecords(body, recordCount, (_o, _t, keyLength) => {
    found = keyLength < 0;
    return !found;
  });
  return found;
}

/** Offset delta and timestamp delta of the first record at or after `targetDelta`, or null. */
export function firstRecordAtOrAfter(body: Buffer, recordCount: number, baseTimestamp: bigint, target: bigint): { offsetDelta: number; timestamp: bigint } | null {
  let hit: { offsetDelta: number; timestamp: bigint } | null = null;
  walkRecords(body, recordCount, (offsetDelta, timestampDelta) => {
    const ts = baseTimestamp + BigInt(timestampDelta);
    if (ts >= target) hit = { offsetDelta, timestamp: ts };
    return hit === null;
  });
  return hit;
}
