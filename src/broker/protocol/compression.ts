/**
 * The compression codecs of RecordBatch v2 (attributes bits 0-2): 0 none, 1 gzip, 2 snappy,
 * 3 lz4, 4 zstd. Codecs come from maintained libraries: zlib (gzip), snappy, lz4-napi (LZ4
 * frame format, which Kafka uses since message format v1), @mongodb-js/zstd.
 *
 * Snappy in Kafka is usually "xerial" framed (the Java client's SnappyOutputStream): a magic
 * header, then blocks each prefixed by a 4-byte big-endian length. Clients differ in what they
 * send, so decompression accepts both framed and raw snappy, and compression writes the framed
 * form, which every client reads.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import * as snappy from 'snappy';
import * as lz4 from 'lz4-napi';
import * as zstd from '@mongodb-js/zstd';

export const Compression = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;
export type CompressionName = keyof typeof Compression;
export type CompressionCodec = (typeof Compression)[CompressionName];

const codecNames: readonly CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

export function compressionName(codec: number): CompressionName {
  const name = codecNames[codec];
  if (name === undefined) throw new RangeError(`unknown compression codec ${codec}`);
  return name;
}

export function parseCompression(name: string): CompressionCodec {
  const key = name.toLowerCase() as CompressionName;
  if (!(key in Compression)) {
    throw new RangeError(`unknown compression type '${name}': use one of ${codecNames.join(', ')}`);
  }
  return Compression[key];
}

const xerialMagic = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const xerialHeaderBytes = 16; // magic (8) + version (4) + compatible version (4)
const xerialBlockBytesMax = 32 * 1024;

function snappyDecompress(data: Buffer): Buffer {
  if (data.length < xerialHeaderBytes || !data.subarray(0, 8).equals(xerialMagic)) {
    return snappy.uncompressSync(data) as Buffer;
  }
  const parts: Buffer[] = [];
  let pos = xerialHeaderBytes;
  while (pos < data.length) {
    if (pos + 4 > data.length) throw new RangeError('truncated xerial snappy block header');
    const n = data.readInt32BE(pos);
    pos += 4;
    if (n < 0 || pos + n > data.length) throw new RangeError('truncated xerial snappy block');
    parts.push(snappy.uncompressSync(data.subarray(pos, pos + n)) as Buffer);
    pos += n;
  }
  return Buffer.concat(parts);
}

function snappyCompress(data: Buffer): Buffer {
  const header = Buffer.alloc(xerialHeaderBytes);
  xerialMagic.copy(header, 0);
  header.writeInt32BE(1, 8);
  header.writeInt32BE(1, 12);
  const parts: Buffer[] = [header];
  for (let pos = 0; pos < data.length; pos += xerialBlockBytesMax) {
    const block = snappy.compressSync(data.subarray(pos, Math.min(data.length, pos + xerialBlockBytesMax)));
    const len = Buffer.allocUnsafe(4);
    len.writeInt32BE(block.length, 0);
    parts.push(len, block);
  }
  return Buffer.concat(parts);
}

export async function decompress(codec: number, data: Buffer): Promise<Buffer> {
  switch (codec) {
    case Compression.none:
      return data;
    case Compression.gzip:
      return gunzipSync(data);
    case Compression.snappy:
      return snappyDecompress(data);
    case Compression.lz4:
      return lz4.decompressFrameSync(data);
    case Compression.zstd:
      return zstd.decompress(data);
    default:
      throw new RangeError(`unknown compression codec ${codec}`);
  }
}

export async function compress(codec: number, data: Buffer): Promise<Buffer> {
  switch (codec) {
    case Compression.none:
      return data;
    case Compression.gzip:
      return gzipSync(data);
    case Compression.snappy:
      return snappyCompress(data);
    case Compression.lz4:
      return lz4.compressFrameSync(data);
    case Compression.zstd:
      return zstd.compress(data, 3);
    default:
      throw new RangeError(`unknown compression codec ${codec}`);
  }
}
