import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CompactionHaltedError, PartitionLog } from '../../../src/broker/log/index.ts';
import { Compression } from '../../../src/broker/protocol/index.ts';
import { batch, config, records, tempDir } from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const compactConfig = (extra: Record<string, string> = {}) =>
  config({ 'cleanup.policy': 'compact', 'segment.bytes': '600', 'min.cleanable.dirty.ratio': '0.01', 'delete.retention.ms': '100000', ...extra });

/** Appends one batch of (key, value) pairs; values are `<key>@<offset>` so offsets can be checked. */
async function put(log: PartitionLog, pairs: [string, string | null][], compression: number = Compression.none): Promise<void> {
  const base = log.logEndOffset;
  const b = await batch(pairs.length, {
    keys: pairs.map((p) => p[0]),
    values: pairs.map((p, i) => (p[1] === null ? null : `${p[1]}@${base + BigInt(i)}`)),
    compression,
  });
  if (compression === Compression.none) log.append([b]);
  else await log.appendChecked([b]);
}

async function contents(log: PartitionLog): Promise<{ offset: bigint; key: string; value: string | null }[]> {
  const out: { offset: bigint; key: string; value: string | null }[] = [];
  let offset = log.logStartOffset;
  for (let guard = 0; offset < log.logEndOffset && guard < 10_000; guard++) {
    const recs = await records(log.read(offset, 1 << 20).data);
    if (recs.length === 0) break;
    for (const r of recs) if (r.offset >= offset) out.push({ offset: r.offset, key: r.key!.toString(), value: r.value === null ? null : r.value.toString() });
    offset = recs[recs.length - 1].offset + 1n;
  }
  return out;
}

async function filled(extra: Record<string, string> = {}, clock = () => 1_000_000_000): Promise<{ log: PartitionLog; d: string }> {
  const d = tempDir();
  dirs.push(d);
  const log = await PartitionLog.open(d, compactConfig(extra), { clock });
  for (let round = 0; round < 12; round++) {
    await put(log, [['a', `a${round}`], ['b', `b${round}`], ['c', `c${round}`]], round % 2 === 0 ? Compression.none : Compression.gzip);
  }
  return { log, d };
}

describe('compaction', () => {
  it('keeps the latest record per key in closed segments, with their original offsets', async () => {
    const { log } = await filled();
    const activeBase = log.segmentBaseOffsets().at(-1)!;
    const result = await log.compact(1_000_000_000);
    expect(result!.recordsRemoved).toBeGreaterThan(0);
    const recs = await contents(log);
    for (const r of recs) expect(r.value!.endsWith(`@${r.offset}`)).toBe(true);
    const closed = recs.filter((r) => r.offset < activeBase);
    const latestClosed = new Map<string, bigint>();
    for (const r of closed) latestClosed.set(r.key, r.offset);
    expect(closed.length).toBe(latestClosed.size); // one record per key below the active segment
    expect(recs.filter((r) => r.offset >= activeBase).length).toBe(Number(36n - activeBase)); // active segment untouched
    expect(recs.at(-1)).toEqual({ offset: 35n, key: 'c', value: 'c11@35' });
    expect(log.logEndOffset).toBe(36n);
    expect(await log.compact(1_000_000_000)).toBeNull(); // nothing dirty left
    await log.close();
  });

  it('respects min.cleanable.dirty.ratio and min.compaction.lag.ms', async () => {
    const { log } = await filled({ 'min.cleanable.dirty.ratio': '0.99' });
    expect(await log.compact(1_000_000_000)).not.toBeNull(); // all dirty: ratio 1
    await log.close();
    const lagged = await filled({ 'min.compaction.lag.ms': '3600000' });
    // Record timestamps are around 1_000_000: with now = 1_000_000 + 1 s nothing is old enough.
    expect(await lagged.log.compact(1_001_000)).toBeNull();
    await lagged.log.close();
  });

  it('keeps tombstones until delete.retention.ms after their segment was cleaned', async () => {
    let now = 2_000_000_000;
    const d = tempDir();
    dirs.push(d);
    const log = await PartitionLog.open(d, compactConfig(), { clock: () => now });
    await put(log, [['a', 'a0'], ['b', 'b0'], ['c', 'c0']]);
    await put(log, [['a', null]]);
    for (let i = 0; i < 10; i++) await put(log, [['b', `b${i + 1}`], ['c', `c${i + 1}`]]);
    await log.compact(now);
    let recs = await contents(log);
    expect(recs.filter((r) => r.key === 'a')).toEqual([{ offset: 3n, key: 'a', value: null }]);
    now += 50_000;
    for (let i = 0; i < 10; i++) await put(log, [['b', `x${i}`]]);
    await log.compact(now);
    recs = await contents(log);
    expect(recs.filter((r) => r.key === 'a')).toHaveLength(1); // 50 s < delete.retention.ms
    now += 60_000;
    for (let i = 0; i < 10; i++) await put(log, [['c', `y${i}`]]);
    await log.compact(now);
    recs = await contents(log);
    expect(recs.filter((r) => r.key === 'a')).toEqual([]);
    for (const r of recs) if (r.value !== null) expect(r.value.endsWith(`@${r.offset}`)).toBe(true);
    await log.close();
  });

  it('loses nothing when it crashes before the swap is committed', async () => {
    const { log, d } = await filled();
    const before = await contents(log);
    await log.flush();
    await expect(log.compact(1_000_000_000, 'before-swap')).rejects.toBeInstanceOf(CompactionHaltedError);
    expect(fs.readdirSync(d).some((n) => n.endsWith('.cleaned'))).toBe(true);
    const reopened = await PartitionLog.open(d, compactConfig());
    expect(fs.readdirSync(d).some((n) => n.endsWith('.cleaned'))).toBe(false);
    expect(await contents(reopened)).toEqual(before);
    await reopened.close();
  });

  it('completes a committed swap on open after a crash', async () => {
    const { log, d } = await filled();
    await log.flush();
    const reference = tempDir();
    dirs.push(reference);
    for (const n of fs.readdirSync(d)) fs.copyFileSync(`${d}/${n}`, `${reference}/${n}`);
    await expect(log.compact(1_000_000_000, 'after-swap-marker')).rejects.toBeInstanceOf(CompactionHaltedError);
    expect(fs.readdirSync(d).some((n) => n.endsWith('.swap'))).toBe(true);
    const reopened = await PartitionLog.open(d, compactConfig());
    expect(fs.readdirSync(d).some((n) => n.endsWith('.swap') || n.endsWith('.cleaned'))).toBe(false);
    const after = await contents(reopened);
    // The first group was swapped in; the result is what a complete pass would give for it.
    const full = await PartitionLog.open(reference, compactConfig());
    const fullBefore = await contents(full);
    expect(after.length).toBeLessThan(fullBefore.length);
    for (const r of after) expect(r.value!.endsWith(`@${r.offset}`)).toBe(true);
    expect(after.at(-1)).toEqual(fullBefore.at(-1));
    expect(reopened.logEndOffset).toBe(36n);
    await reopened.close();
    await full.close();
  });
});
