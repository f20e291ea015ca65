import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { PartitionLog } from '../../../src/broker/log/index.ts';
import { recycledFilesMax, recycledIdleMsMax } from '../../../src/broker/log/partition-log.ts';
import { batch, config, records, tempDir } from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const valueBytes = 200 * 1024;
const cfg = () => config({ 'segment.bytes': String(1500 * 1024), 'retention.ms': '10000', 'file.delete.delay.ms': '0' });
const value = (i: number): string => `b${i}-`.padEnd(valueBytes, 'x');
const logFiles = (d: string): string[] => fs.readdirSync(d).filter((n) => /^\d{20}\.log$/.test(n)).sort();
const pooled = (d: string): string[] => fs.readdirSync(d).filter((n) => /^recycled-\d+\.log$/.test(n));
const inodes = (d: string, names: string[]): number[] => names.map((n) => fs.statSync(path.join(d, n)).ino);

/** Waits until the deleted segments are gone and `n` files are kept. */
async function settled(d: string, n: number): Promise<void> {
  for (let i = 0; i < 400 && (pooled(d).length !== n || fs.readdirSync(d).some((f) => f.endsWith('.deleted'))); i++) await sleep(5);
  await sleep(5);
}

/** Every record's value prefix from the log start to its end, read as Fetch reads. */
async function prefixes(log: PartitionLog): Promise<string[]> {
  const out: string[] = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const recs = await records(log.read(offset, 8 << 20).data);
    for (const r of recs) if (r.offset >= offset) out.push(r.value!.toString().split('-')[0]);
    offset = recs[recs.length - 1].offset + 1n;
  }
  return out;
}

/**
 * A log whose oldest segments retention deleted, and whose newest segment lives in the file of
 * one of them: batches b0..b20 (one 200 KiB record each, 7 to a segment) expire, then
 * b14.. are appended until a roll takes the recycled file, then two more.
 */
async function recycledLog(): Promise<{ d: string; log: PartitionLog; kept: number[]; last: number }> {
  const d = tempDir();
  dirs.push(d);
  let now = 1_000_000;
  const log = await PartitionLog.open(d, cfg(), { clock: () => now });
  for (let i = 0; i < 21; i++) log.append([await batch(1, { values: [value(i)], timestamp: BigInt(now) })]);
  await log.flush();
  now += 20_000;
  const deleted = await log.enforceRetention(now);
  expect(deleted.segmentsDeleted).toBeGreaterThanOrEqual(2);
  await settled(d, deleted.segmentsDeleted);
  const kept = inodes(d, pooled(d));
  const before = log.segmentCount();
  let i = 21;
  while (log.segmentCount() === before) log.append([await batch(1, { values: [value(i++)], timestamp: BigInt(now) })]);
  for (let k = 0; k < 2; k++) log.append([await batch(1, { values: [value(i++)], timestamp: BigInt(now) })]);
  await log.flush();
  return { d, log, kept, last: i - 1 };
}

describe('segment file recycling', () => {
  it("a roll overwrites a deleted segment's file instead of creating one, and reads never see what it held", async () => {
    const { d, log, kept, last } = await recycledLog();
    const files = logFiles(d);
    const active = path.join(d, files[files.length - 1]);
    expect(kept).toContain(fs.statSync(active).ino);
    expect(pooled(d).length).toBe(kept.length - 1);
    // The old content is still on disk past the new batches.
    expect(fs.statSync(active).size).toBeGreaterThan(3 * valueBytes);
    const first = Number(log.logStartOffset);
    expect(await prefixes(log)).toEqual(Array.from({ length: last - first + 1 }, (_, k) => `b${first + k}`));
    expect(log.read(log.logEndOffset, 1 << 20).data.length).toBe(0);
    // A clean close trims the file to its batches and the next open trusts it.
    const leo = log.logEndOffset;
    await log.close();
    expect(fs.statSync(active).size).toBeLessThanOrEqual(3 * (valueBytes + 200));
    const again = await PartitionLog.open(d, cfg());
    expect(again.recovery.cleanShutdown).toBe(true);
    expect(again.logEndOffset).toBe(leo);
    expect(await prefixes(again)).toEqual(Array.from({ length: last - first + 1 }, (_, k) => `b${first + k}`));
    await again.close();
  });

  it("after a crash, recovery ends the recycled segment at its last batch, not in the old file's batches", async () => {
    const { d, log, last } = await recycledLog();
    const leo = log.logEndOffset;
    const first = Number(log.logStartOffset);
    // Left open, as after a crash: the old batches (valid CRCs, lower offsets) follow the new ones.
    const reopened = await PartitionLog.open(d, cfg());
    expect(reopened.recovery.cleanShutdown).toBe(false);
    expect(reopened.logEndOffset).toBe(leo);
    expect(reopened.recovery.truncatedBytes).toBeGreaterThan(valueBytes);
    expect(await prefixes(reopened)).toEqual(Array.from({ length: last - first + 1 }, (_, k) => `b${first + k}`));
    expect(reopened.append([await batch(1, { values: [value(last + 1)] })]).baseOffset).toBe(leo);
    await reopened.close();
  });

  it('a closed segment whose trim had not reached the disk keeps the segments after it', async () => {
    const { d, log, last } = await recycledLog();
    const first = Number(log.logStartOffset);
    // Roll once more so the recycled segment is closed, then put an older segment's batches
    // back after its end, as when a crash came before the roll's trim was synced.
    while (logFiles(d).length < 3) log.append([await batch(1, { values: [value(last + 1)] })]);
    await log.flush();
    const names = logFiles(d);
    const closed = path.join(d, names[names.length - 2]);
    const closedBytes = fs.statSync(closed).size;
    const stale = fs.readFileSync(path.join(d, names[0]));
    fs.appendFileSync(closed, stale);
    const activeBase = BigInt(names[names.length - 1].slice(0, 20));
    for (const n of fs.readdirSync(d)) if (n.endsWith('.snapshot') && BigInt(n.slice(0, 20)) >= activeBase) fs.rmSync(path.join(d, n));
    const leo = log.logEndOffset;
    const reopened = await PartitionLog.open(d, cfg());
    expect(reopened.recovery.truncatedBytes).toBeGreaterThanOrEqual(stale.length);
    expect(fs.statSync(closed).size).toBe(closedBytes);
    expect(reopened.logEndOffset).toBe(leo);
    expect(logFiles(d)).toEqual(names);
    expect((await prefixes(reopened)).slice(0, last - first + 1)).toEqual(Array.from({ length: last - first + 1 }, (_, k) => `b${first + k}`));
    await reopened.close();
  });

  it('keeps files of at least a MiB, up to recycledFilesMax, across a restart, until they idle too long', async () => {
    const d = tempDir();
    dirs.push(d);
    let now = 1_000_000;
    const small = config({ 'segment.bytes': '300', 'retention.ms': '10000', 'file.delete.delay.ms': '0' });
    const log = await PartitionLog.open(d, small, { clock: () => now });
    for (let i = 0; i < 20; i++) log.append([await batch(3, { timestamp: BigInt(now) })]);
    now += 20_000;
    expect((await log.enforceRetention(now)).segmentsDeleted).toBeGreaterThan(0);
    await settled(d, 0);
    expect(fs.readdirSync(d).filter((n) => n.endsWith('.deleted') || n.startsWith('recycled'))).toEqual([]);
    await log.close();

    const big = tempDir();
    dirs.push(big);
    const second = await PartitionLog.open(big, cfg(), { clock: () => now });
    for (let i = 0; i < 7 * (recycledFilesMax + 2); i++) second.append([await batch(1, { values: [value(i)], timestamp: BigInt(now) })]);
    now += 20_000;
    expect((await second.enforceRetention(now)).segmentsDeleted).toBe(recycledFilesMax + 1);
    await settled(big, recycledFilesMax);
    const kept = inodes(big, pooled(big));
    expect(kept.length).toBe(recycledFilesMax);
    await second.close();
    // Kept across a restart, they serve the next rolls.
    const third = await PartitionLog.open(big, cfg(), { clock: () => now });
    third.roll();
    const files = logFiles(big);
    expect(kept).toContain(fs.statSync(path.join(big, files[files.length - 1])).ino);
    expect(pooled(big).length).toBe(recycledFilesMax - 1);
    // Unused for too long, they go (the segment this retention check deletes is kept anew).
    const idle = pooled(big);
    await third.enforceRetention(now + recycledIdleMsMax);
    for (let i = 0; i < 400 && pooled(big).some((n) => idle.includes(n)); i++) await sleep(5);
    expect(pooled(big).filter((n) => idle.includes(n))).toEqual([]);
    await third.close();
  });
});
