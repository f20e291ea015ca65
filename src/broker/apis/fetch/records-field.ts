/**
 * The RECORDS field of fetch responses: an INT32 length (or -1 for null), then the record batches
 * attached by reference with {@link Writer.appendChunk}, so segment data is not copied.
 */
import type { Writer } from '../../protocol/writer.ts';

export function writeRecords(w: Writer, records: Buffer | null): void {
  if (records === null) {
    w.int32(-1);
    return;
  }
  w.int32(records.length);
  w.appendChunk(records);
}
