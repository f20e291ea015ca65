/**
 * Synchronous decompression of a batch's records for the produce path, which is synchronous:
 * gzip (zlib), snappy (raw or xerial-framed, as the Java client writes it) and LZ4 frames.
 * zstd has no synchronous binding here, so it answers null and the caller decides (see
 * PartitionLog.append and verifyRecordKeys).
 */
import { gunzipSync } from 'node:zlib';
import * as lz4 from 'lz4-napi';
import * as snappy from 'snappy';
import { Compression } from '../protocol/index.ts';

/** xerial's stream header: 8 magic bytes, then two int32 versions. */
const xerialMagic = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const xerialHeaderBytes = 16;
/** Blocks one xerial stream may hold (a batch is at most max.message.bytes, blocks are 32 KiB). */
const xerialBlocksMax = 1 << 20;

function unsnappy(data: Buffer): Buffer {
  if (data.length < xerialHeaderBytes || !data.subarray(0, xerialMagic.length).equals(xerialMagic)) return snappy.uncompressSync(data) as Buffer;
  const blocks: Buffer[] = [];
  let at = xerialHeaderBytes;
  for (let i = 0; at < data.length; i++) {
    if (i >= xerialBlocksMax || at + 4 > data.length) throw new RangeError('damaged xerial snappy stream');
    const length = data.readInt32BE(at);
    at += 4;
    if (length < 0 || at + length > data.length) throw new RangeError('damaged xerial snappy block');
    blocks.push(snappy.uncompressSync(data.subarray(at, at + length)) as Buffer);
    at += length;
  }
  return blocks.length === 1 ? blocks[0] : Buffer.concat(blocks);
}

/** The uncompressed records of `body` under `codec`, or null when only async is possible (zstd). */
export function decompressSync(codec: number, body: Buffer): Buffer | null {
  switch (codec) {
    case Compression.none:
      return body;
    case Compression.gzip:
      return gunzipSync(body);
    case Compression.snappy:
      return unsnappy(body);
    case Compression.lz4:
      return lz4.decompressFrameSync(body);
    default:
      return null;
  }
}
