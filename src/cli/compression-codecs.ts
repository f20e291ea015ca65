/**
 * Snappy, LZ4 and zstd codecs for kafkajs, which ships only gzip. Each follows what Kafka's
 * Java client writes, so any broker and consumer can read the batches:
 *
 * - snappy: xerial's framing (magic `\x82SNAPPY\0`, version 1, compatible version 1, then
 *   blocks of int32 length + raw snappy of at most 32 KiB input); raw snappy is also read,
 *   as librdkafka may write it.
 * - lz4: the LZ4 frame format with independent 64 KiB blocks (Kafka's KafkaLZ4BlockOutputStream
 *   for RecordBatch v2).
 * - zstd: one standard zstd frame.
 *
 * kafkajs looks codecs up in its `CompressionCodecs` registry by compression type; a codec is a
 * factory returning `{ compress(encoder), decompress(buffer) }`.
 */
import { createRequire } from 'node:module';
import kafkajs from 'kafkajs';

/*
 * The native modules load on first use: most commands never meet a compressed batch, and
 * loading all three costs a short command about a tenth of its run time.
 */
const require = createRequire(import.meta.url);
let snappyModule: typeof import('snappy') | undefined;
let lz4Module: typeof import('lz4-napi') | undefined;
let zstdModule: typeof import('@mongodb-js/zstd') | undefined;
const snappy = (): typeof import('snappy') => (snappyModule ??= require('snappy') as typeof import('snappy'));
const lz4 = (): typeof import('lz4-napi') => (lz4Module ??= require('lz4-napi') as typeof import('lz4-napi'));
const zstd = (): typeof import('@mongodb-js/zstd') => (zstdModule ??= require('@mongodb-js/zstd') as typeof import('@mongodb-js/zstd'));

const { CompressionCodecs, CompressionTypes } = kafkajs;

interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_BYTES = 16;
const XERIAL_BLOCK_BYTES = 32 * 1024;
const ZSTD_LEVEL = 3;

export async function snappyCompress(input: Buffer): Promise<Buffer> {
  const header = Buffer.alloc(XERIAL_HEADER_BYTES);
  XERIAL_MAGIC.copy(header, 0);
  header.writeInt32BE(1, 8);
  header.writeInt32BE(1, 12);
  const parts: Buffer[] = [header];
  for (let at = 0; at < input.length; at += XERIAL_BLOCK_BYTES) {
    const block = await snappy().compress(input.subarray(at, at + XERIAL_BLOCK_BYTES));
    const length = Buffer.alloc(4);
    length.writeInt32BE(block.length, 0);
    parts.push(length, block);
  }
  return Buffer.concat(parts);
}

async function snappyUncompress(block: Buffer): Promise<Buffer> {
  const out = await snappy().uncompress(block, { asBuffer: true });
  return typeof out === 'string' ? Buffer.from(out) : out;
}

export async function snappyDecompress(input: Buffer): Promise<Buffer> {
  if (input.length < XERIAL_HEADER_BYTES || !input.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC)) {
    return snappyUncompress(input);
  }
  const parts: Buffer[] = [];
  let at = XERIAL_HEADER_BYTES;
  while (at < input.length) {
    if (at + 4 > input.length) throw new Error('snappy: truncated xerial block length');
    const length = input.readInt32BE(at);
    at += 4;
    if (length < 0 || at + length > input.length) throw new Error('snappy: xerial block runs past the end of the batch');
    parts.push(await snappyUncompress(input.subarray(at, at + length)));
    at += length;
  }
  return Buffer.concat(parts);
}

const snappyCodec: Codec = {
  compress: (encoder) => snappyCompress(encoder.buffer),
  decompress: (buffer) => snappyDecompress(buffer),
};

const lz4Codec: Codec = {
  compress: (encoder) => lz4().compressFrame(encoder.buffer),
  decompress: (buffer) => lz4().decompressFrame(buffer),
};

const zstdCodec: Codec = {
  compress: (encoder) => zstd().compress(encoder.buffer, ZSTD_LEVEL),
  decompress: (buffer) => zstd().decompress(buffer),
};

let registered = false;

/** Adds the three codecs to kafkajs's registry; safe to call more than once. */
export function registerCompressionCodecs(): void {
  if (registered) return;
  registered = true;
  CompressionCodecs[CompressionTypes.Snappy] = () => snappyCodec;
  CompressionCodecs[CompressionTypes.LZ4] = () => lz4Codec;
  CompressionCodecs[CompressionTypes.ZSTD] = () => zstdCodec;
}
