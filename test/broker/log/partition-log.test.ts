import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, KafkaProtocolError, readBatchHeader, Compression } from '../../../src/broker/protocol/index.ts';
import { PartitionLog } from '../../../src/broker/log/index.ts';
import { batch, config, records, tempDir } from './helpers.ts';

const dirs: string[] = [];
function dir(): string {
  const d = tempDir();
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof KafkaProtocolError) return e.code;
    throw e;
  }
  return undefined;
}

describe('PartitionLog append and read', () => {
  it('assigns consecutive offsets and reads back across segment rolls', async () => {
    const d = dir();
    const log = await PartitionLog.open(d, config({ 'segment.bytes': '1000', 'index.interval.bytes': '100' }));
    for (let i = 0; i < 50; i++) {
      const r = log.append([await batch(3, { prefix: `b${i}` })]);
      expect(r.baseOffset).toBe(BigInt(i * 3));
      expect(r.lastOffset).toBe(BigInt(i * 3 + 2));
      expect(r.duplicate).toBe(false);
      expect(r.logAppendTimeMs).toBe(-1n);
    }
    expect(log.logEndOffset).toBe(150n);
    expect(log.segmentCount()).toBeGreaterThan(5);
    const names = fs.readdirSync(d).filter((n) => n.endsWith('.log'));
    expect(names).toContain('00000000000000000000.log');
    expect(names.every((n) => /^\d{20}\.log$/.test(n))).toBe(true);
    let offset = 0n;
    const seen: string[] = [];
    for (let guard = 0; offset < log.logEndOffset && guard < 1000; guard++) {
      const { data, highWatermark } = log.read(offset, 300);
      expect(highWatermark).toBe(150n);
      const recs = await records(data);
      expect(recs.length).toBeGreaterThan(0);
      for (const r of recs) if (r.offset >= offset) seen.push(`${r.offset}:${r.value}`);
      offset = recs[recs.length - 1].offset + 1n;
    }
    expect(seen.length).toBe(150);
    expect(seen[0]).toBe('0:b0-0');
    expect(seen[149]).toBe('149:b49-2');
    await log.close();
  });

  it('returns the whole batch containing a mid-batch offset, and at least one batch', async () => {
    const log = await PartitionLog.open(dir(), config());
    log.append([await batch(5, { prefix: 'a' })]);
    log.append([await batch(5, { prefix: 'b' })]);
    const { data } = log.read(7n, 1);
    const header = readBatchHeader(data);
    expect(header.baseOffset).toBe(5n);
    expect(data.length).toBe(header.sizeBytes);
    const recs = await records(data);
    expect(recs.map((r) => r.offset)).toEqual([5n, 6n, 7n, 8n, 9n]);
    expect(log.read(10n, 1000).data.length).toBe(0);
    expect(codeOf(() => log.read(11n, 1000))).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    expect(codeOf(() => log.read(-1n, 1000))).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    await log.close();
  });

  it('appends several batches in one call', async () => {
    const log = await PartitionLog.open(dir(), config());
    const r = log.append([await batch(2), await batch(3), await batch(1)]);
    expect([r.baseOffset, r.lastOffset]).toEqual([0n, 5n]);
    expect((await records(log.read(0n, 1 << 20).data)).map((x) => x.offset)).toEqual([0n, 1n, 2n, 3n, 4n, 5n]);
    await log.close();
  });

  it('rejects batches over max.message.bytes and writes nothing', async () => {
    const log = await PartitionLog.open(dir(), config({ 'max.message.bytes': '200' }));
    const big = await batch(20);
    expect(codeOf(() => log.append([big]))).toBe(ErrorCode.MESSAGE_TOO_LARGE);
    expect(log.logEndOffset).toBe(0n);
    await log.close();
  });

  it('stamps the broker time into LogAppendTime batches', async () => {
    const log = await PartitionLog.open(dir(), config({ 'message.timestamp.type': 'LogAppendTime' }), { clock: () => 5_000_000 });
    const r = log.append([await batch(2)]);
    expect(r.logAppendTimeMs).toBe(5_000_000n);
    const recs = await records(log.read(0n, 1000).data);
    expect(recs.map((x) => x.timestamp)).toEqual([5_000_000n, 5_000_000n]);
    const r2 = log.append([await batch(1)], { assignTimestampMs: 6_000_000n });
    expect(r2.logAppendTimeMs).toBe(6_000_000n);
    await log.close();
  });

  it('rejects null keys on compacted topics, also inside compressed batches', async () => {
    const log = await PartitionLog.open(dir(), config({ 'cleanup.policy': 'compact' }));
    const nullKeyed = await batch(2, { keys: ['a', null] });
    expect(codeOf(() => log.append([nullKeyed]))).toBe(ErrorCode.INVALID_RECORD);
    for (const compression of [Compression.gzip, Compression.snappy, Compression.lz4]) {
      const compressed = await batch(2, { keys: ['a', null], compression });
      expect(codeOf(() => log.append([compressed]))).toBe(ErrorCode.INVALID_RECORD);
      expect(log.append([await batch(2, { keys: ['a', 'b'], compression })]).duplicate).toBe(false);
    }
    const zstd = await batch(2, { keys: ['a', null], compression: Compression.zstd });
    await expect(log.appendChecked([zstd])).rejects.toMatchObject({ code: ErrorCode.INVALID_RECORD });
    const ok = await batch(2, { keys: ['a', 'b'], compression: Compression.zstd });
    expect((await log.appendChecked([ok])).lastOffset).toBe(7n);
    expect(log.logEndOffset).toBe(8n);
    await log.close();
  });

  it('finds offsets by timestamp through the time index', async () => {
    const log = await PartitionLog.open(dir(), config({ 'segment.bytes': '2000', 'index.interval.bytes': '200' }));
    for (let i = 0; i < 40; i++) log.append([await batch(4, { timestamp: 10_000n + BigInt(i) * 10n })]);
    // Batch i holds timestamps 10000+10i .. 10000+10i+3 at offsets 4i .. 4i+3.
    expect(log.offsetForTimestamp(0n)).toEqual({ offset: 0n, timestamp: 10_000n });
    expect(log.offsetForTimestamp(10_052n)).toEqual({ offset: 22n, timestamp: 10_052n });
    expect(log.offsetForTimestamp(10_055n)).toEqual({ offset: 24n, timestamp: 10_060n });
    expect(log.offsetForTimestamp(10_393n)).toEqual({ offset: 159n, timestamp: 10_393n });
    expect(log.offsetForTimestamp(10_394n)).toBeNull();
    expect(log.offsetForTimestamp(-2n)).toEqual({ offset: 0n, timestamp: -1n });
    expect(log.offsetForTimestamp(-1n)).toEqual({ offset: 160n, timestamp: -1n });
    const compressed = await batch(3, { timestamp: 20_000n, compression: Compression.gzip });
    log.append([compressed]);
    expect(await log.offsetForTimestampExact(20_001n)).toEqual({ offset: 161n, timestamp: 20_001n });
    expect(log.offsetForTimestamp(20_001n)).toEqual({ offset: 160n, timestamp: 20_002n });
    await log.close();
  });

  it('shares fdatasyncs between concurrent flushes (group commit)', async () => {
    const log = await PartitionLog.open(dir(), config());
    const flushes: Promise<void>[] = [];
    for (let i = 0; i < 20; i++) {
      log.append([await batch(1)]);
      flushes.push(log.flush());
    }
    await Promise.all(flushes);
    await log.flush();
    expect(log.logEndOffset).toBe(20n);
    await log.close();
  });

  it('deleteRecordsBefore moves the log start offset and drops whole segments below it', async () => {
    const d = dir();
    const log = await PartitionLog.open(d, config({ 'segment.bytes': '500' }), { clock: () => 1 });
    for (let i = 0; i < 20; i++) log.append([await batch(2)]);
    const before = log.segmentCount();
    expect(log.deleteRecordsBefore(13n)).toBe(13n);
    expect(log.logStartOffset).toBe(13n);
    expect(log.segmentCount()).toBeLessThan(before);
    expect(codeOf(() => log.read(12n, 100))).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    const recs = await records(log.read(13n, 10).data);
    expect(recs.some((r) => r.offset === 13n)).toBe(true);
    await log.close();
    const again = await PartitionLog.open(d, config({ 'segment.bytes': '500' }));
    expect(again.logStartOffset).toBe(13n);
    expect(again.logEndOffset).toBe(40n);
    await again.destroy();
    expect(fs.existsSync(d)).toBe(false);
  });
});

