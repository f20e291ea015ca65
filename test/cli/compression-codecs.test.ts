import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import kafkajs from 'kafkajs';
import { registerCompressionCodecs, snappyCompress, snappyDecompress } from '../../src/cli/compression-codecs.ts';
import * as snappy from 'snappy';

const { CompressionCodecs, CompressionTypes } = kafkajs;
const input = Buffer.from('runnel '.repeat(20_000));

function hasTool(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`]);
    return true;
  } catch {
    return false;
  }
}

describe('compression codecs', () => {
  registerCompressionCodecs();

  for (const type of [CompressionTypes.Snappy, CompressionTypes.LZ4, CompressionTypes.ZSTD] as const) {
    it(`round-trips through kafkajs's registry (type ${type})`, async () => {
      const codec = (CompressionCodecs[type] as () => { compress(e: { buffer: Buffer }): Promise<Buffer>; decompress(b: Buffer): Promise<Buffer> })();
      const compressed = await codec.compress({ buffer: input });
      expect(compressed.length).toBeLessThan(input.length / 10);
      expect((await codec.decompress(compressed)).equals(input)).toBe(true);
    });
  }

  it('writes xerial-framed snappy in 32 KiB blocks and reads raw snappy too', async () => {
    const framed = await snappyCompress(input);
    expect(framed.subarray(0, 8)).toEqual(Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]));
    expect(framed.readInt32BE(8)).toBe(1);
    expect((await snappyDecompress(framed)).equals(input)).toBe(true);
    const raw = await snappy.compress(input);
    expect((await snappyDecompress(raw)).equals(input)).toBe(true);
  });

  it.skipIf(!hasTool('lz4'))('writes LZ4 frames the lz4 tool reads', async () => {
    const codec = (CompressionCodecs[CompressionTypes.LZ4] as () => { compress(e: { buffer: Buffer }): Promise<Buffer> })();
    const out = execFileSync('lz4', ['-d', '-c'], { input: await codec.compress({ buffer: input }) });
    expect(out.equals(input)).toBe(true);
  });

  it.skipIf(!hasTool('zstd'))('reads zstd frames written by the zstd tool (no content size)', async () => {
    const codec = (CompressionCodecs[CompressionTypes.ZSTD] as () => { decompress(b: Buffer): Promise<Buffer> })();
    const framed = execFileSync('zstd', ['-c', '-q'], { input });
    expect((await codec.decompress(framed)).equals(input)).toBe(true);
  });
});
