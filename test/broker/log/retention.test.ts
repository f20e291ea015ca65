import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { PartitionLog } from '../../../src/broker/log/index.ts';
import { batch, config, tempDir } from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('retention (delete policy)', () => {
  it('deletes whole closed segments whose newest record is older than retention.ms', async () => {
    const d = tempDir();
    dirs.push(d);
    let now = 1_000_000;
    const log = await PartitionLog.open(d, config({ 'segment.bytes': '300', 'retention.ms': '10000', 'file.delete.delay.ms': '0' }), { clock: () => now });
    for (let i = 0; i < 12; i++) log.append([await batch(2, { timestamp: BigInt(now + i * 1000) })]);
    const segments = log.segmentCount();
    expect(segments).toBeGreaterThan(3);
    expect(await log.enforceRetention(now)).toEqual({ segmentsDeleted: 0, bytesDeleted: 0 });
    now += 15_500; // records stamped before now - 10000 = 1_005_500 expire
    const result = await log.enforceRetention(now);
    expect(result.segmentsDeleted).toBeGreaterThan(0);
    expect(log.segmentCount()).toBe(segments - result.segmentsDeleted);
    const start = log.logStartOffset;
    expect(start).toBe(log.segmentBaseOffsets()[0]);
    // Whole segments only: the first kept segment still holds a record at least as new as the horizon.
    expect(log.offsetForTimestamp(0n)!.offset).toBeGreaterThanOrEqual(start);
    now += 1_000_000;
    await log.enforceRetention(now);
    expect(log.segmentCount()).toBe(1); // never the active segment
    expect(log.logEndOffset).toBe(24n);
    await new Promise((r) => setTimeout(r, 20));
    expect(fs.readdirSync(d).filter((n) => n.endsWith('.deleted'))).toEqual([]);
    await log.close();
  });

  it('deletes the oldest segments while the partition exceeds retention.bytes', async () => {
    const d = tempDir();
    dirs.push(d);
    const log = await PartitionLog.open(d, config({ 'segment.bytes': '300', 'retention.bytes': '700', 'retention.ms': '-1' }));
    for (let i = 0; i < 20; i++) log.append([await batch(2)]);
    const total = log.sizeBytes();
    const result = await log.enforceRetention();
    expect(result.bytesDeleted).toBeGreaterThan(0);
    expect(log.sizeBytes()).toBe(total - result.bytesDeleted);
    expect(log.sizeBytes()).toBeGreaterThanOrEqual(700);
    expect(log.sizeBytes() - 300).toBeLessThan(700);
    expect(log.logStartOffset).toBe(log.segmentBaseOffsets()[0]);
    await log.close();
  });

  it('does nothing for compact-only topics or unlimited retention', async () => {
    const d = tempDir();
    dirs.push(d);
    const log = await PartitionLog.open(d, config({ 'segment.bytes': '300', 'cleanup.policy': 'compact', 'retention.bytes': '1' }), { clock: () => 1e12 });
    for (let i = 0; i < 10; i++) log.append([await batch(2)]);
    expect(await log.enforceRetention(1e13)).toEqual({ segmentsDeleted: 0, bytesDeleted: 0 });
    log.updateConfig(config({ 'segment.bytes': '300', 'retention.ms': '-1' }));
    expect(await log.enforceRetention(1e13)).toEqual({ segmentsDeleted: 0, bytesDeleted: 0 });
    await log.close();
  });
});
