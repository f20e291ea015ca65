import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PartitionLog } from '../../../src/broker/log/index.ts';
import { batch, config, records, tempDir } from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const cfg = () => config({ 'segment.bytes': '2000', 'index.interval.bytes': '150' });

/** A log with 30 batches of 3 records, left open (as after a crash). Returns its dir. */
async function crashedLog(): Promise<{ d: string; activeFile: string; log: PartitionLog }> {
  const d = tempDir();
  dirs.push(d);
  const log = await PartitionLog.open(d, cfg());
  for (let i = 0; i < 30; i++) log.append([await batch(3, { prefix: `b${i}` })]);
  await log.flush();
  const logs = fs.readdirSync(d).filter((n) => n.endsWith('.log')).sort();
  return { d, activeFile: path.join(d, logs[logs.length - 1]), log };
}

async function allOffsets(log: PartitionLog): Promise<bigint[]> {
  const out: bigint[] = [];
  let offset = log.logStartOffset;
  for (let guard = 0; offset < log.logEndOffset && guard < 10_000; guard++) {
    const recs = await records(log.read(offset, 1 << 20).data);
    for (const r of recs) if (r.offset >= offset) out.push(r.offset);
    offset = recs[recs.length - 1].offset + 1n;
  }
  return out;
}

describe('crash recovery', () => {
  it('truncates a segment torn mid-batch back to the last whole batch', async () => {
    const { d, activeFile } = await crashedLog();
    const size = fs.statSync(activeFile).size;
    fs.truncateSync(activeFile, size - 10);
    const log = await PartitionLog.open(d, cfg());
    expect(log.recovery.cleanShutdown).toBe(false);
    expect(log.logEndOffset).toBe(87n);
    expect(log.recovery.truncatedBytes).toBeGreaterThan(0);
    expect(await allOffsets(log)).toEqual(Array.from({ length: 87 }, (_, i) => BigInt(i)));
    expect(log.append([await batch(1)]).baseOffset).toBe(87n);
    await log.close();
  });

  it('cuts garbage appended after the last batch', async () => {
    const { d, activeFile } = await crashedLog();
    const size = fs.statSync(activeFile).size;
    fs.appendFileSync(activeFile, Buffer.alloc(300, 0xab));
    const log = await PartitionLog.open(d, cfg());
    expect(log.logEndOffset).toBe(90n);
    expect(log.recovery.truncatedBytes).toBe(300);
    expect(fs.statSync(activeFile).size).toBe(size);
    await log.close();
  });

  it('stops at a batch whose CRC fails', async () => {
    const { d, activeFile } = await crashedLog();
    const size = fs.statSync(activeFile).size;
    const fd = fs.openSync(activeFile, 'r+');
    fs.writeSync(fd, Buffer.from([0xff]), 0, 1, size - 5); // inside the last batch's records
    fs.closeSync(fd);
    const log = await PartitionLog.open(d, cfg());
    expect(log.logEndOffset).toBe(87n);
    await log.close();
  });

  it('rebuilds deleted indexes, of the active and of closed segments', async () => {
    const { d, log: first } = await crashedLog();
    await first.close();
    for (const n of fs.readdirSync(d)) if (n.endsWith('.index') || n.endsWith('.timeindex')) fs.unlinkSync(path.join(d, n));
    const log = await PartitionLog.open(d, cfg());
    expect(log.recovery.rebuiltIndexes).toBe(log.segmentCount());
    expect(await allOffsets(log)).toHaveLength(90);
    expect(log.offsetForTimestamp(1_000_001n)).toEqual({ offset: 1n, timestamp: 1_000_001n });
    const idx = fs.readdirSync(d).filter((n) => n.endsWith('.index'));
    expect(idx.length).toBe(log.segmentCount() - 1);
    await log.close();
    expect(fs.readdirSync(d).filter((n) => n.endsWith('.index')).length).toBe(log.segmentCount());
  });

  it('trusts a clean shutdown and removes the marker while open', async () => {
    const { d, log: first } = await crashedLog();
    await first.close();
    expect(fs.existsSync(path.join(d, '.clean-shutdown'))).toBe(true);
    const log = await PartitionLog.open(d, cfg());
    expect(log.recovery.cleanShutdown).toBe(true);
    expect(fs.existsSync(path.join(d, '.clean-shutdown'))).toBe(false);
    expect(log.logEndOffset).toBe(90n);
    await log.close();
  });

  it('drops index entries that point past a log cut in half', async () => {
    const { d, activeFile } = await crashedLog();
    const indexFile = activeFile.replace(/\.log$/, '.index');
    const entriesBefore = fs.statSync(indexFile).size / 8;
    expect(entriesBefore).toBeGreaterThan(3);
    fs.truncateSync(activeFile, Math.floor(fs.statSync(activeFile).size / 2));
    const log = await PartitionLog.open(d, cfg());
    const offsets = await allOffsets(log);
    expect(offsets).toEqual(Array.from({ length: offsets.length }, (_, i) => BigInt(i)));
    expect(log.logEndOffset).toBe(BigInt(offsets.length));
    expect(log.logEndOffset % 3n).toBe(0n);
    expect(log.append([await batch(3)]).baseOffset).toBe(log.logEndOffset - 3n);
    await log.close();
  });

  it('validates a closed segment whose roll had not finished syncing: torn, it ends the log and the segments after it go', async () => {
    const { d } = await crashedLog();
    const logs = fs.readdirSync(d).filter((n) => n.endsWith('.log')).sort();
    expect(logs.length).toBeGreaterThanOrEqual(2);
    const closed = path.join(d, logs[logs.length - 2]);
    const activeBase = BigInt(logs[logs.length - 1].slice(0, 20));
    // The crash came before the roll wrote its producer snapshot (it does so once the closed
    // segment is synced), and the closed segment's tail never reached the disk.
    for (const n of fs.readdirSync(d)) if (n.endsWith('.snapshot') && BigInt(n.slice(0, 20)) >= activeBase) fs.rmSync(path.join(d, n));
    fs.truncateSync(closed, fs.statSync(closed).size - 10);
    const log = await PartitionLog.open(d, cfg());
    expect(log.recovery.truncatedBytes).toBeGreaterThan(0);
    expect(log.logEndOffset).toBe(activeBase - 3n);
    expect(fs.existsSync(path.join(d, logs[logs.length - 1]))).toBe(false);
    expect(await allOffsets(log)).toEqual(Array.from({ length: Number(activeBase) - 3 }, (_, i) => BigInt(i)));
    expect(log.append([await batch(3)]).baseOffset).toBe(activeBase - 3n);
    await log.close();
    // Intact, the same segment keeps everything after it.
    const again = await crashedLog();
    const names = fs.readdirSync(again.d).filter((n) => n.endsWith('.log')).sort();
    for (const n of fs.readdirSync(again.d)) if (n.endsWith('.snapshot') && BigInt(n.slice(0, 20)) >= BigInt(names[names.length - 1].slice(0, 20))) fs.rmSync(path.join(again.d, n));
    const whole = await PartitionLog.open(again.d, cfg());
    expect(whole.logEndOffset).toBe(90n);
    expect(whole.recovery.truncatedBytes).toBe(0);
    await whole.close();
  });

  it('trusts closed segments without reading them at open', async () => {
    const { d, log: first } = await crashedLog();
    expect(first.segmentCount()).toBeGreaterThan(1);
    // Damage the oldest (closed) segment: open must not notice, since it only validates the tail.
    const oldest = path.join(d, '00000000000000000000.log');
    const fd = fs.openSync(oldest, 'r+');
    fs.writeSync(fd, Buffer.alloc(8, 0xff), 0, 8, 100);
    fs.closeSync(fd);
    const log = await PartitionLog.open(d, cfg());
    expect(log.recovery.cleanShutdown).toBe(false);
    expect(log.recovery.truncatedBytes).toBe(0);
    expect(log.recovery.rebuiltIndexes).toBe(0);
    expect(log.logEndOffset).toBe(90n);
    await log.close();
  });
});
