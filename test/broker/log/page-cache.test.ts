import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { PartitionLog } from '../../../src/broker/log/index.ts';
import { LogPageCache, dropStepBytes, pageCacheDropAvailable } from '../../../src/broker/log/page-cache.ts';
import { batch, config, records, tempDir } from './helpers.ts';

const mib = 1024 * 1024;
const valueBytes = 256 * 1024;
const value = (tag: string, i: number): string => `${tag}${i}-`.padEnd(valueBytes, 'x');

const dirs: string[] = [];
const logs: PartitionLog[] = [];
afterEach(async () => {
  for (const log of logs.splice(0)) await log.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function open(cfg = config(), pageCache?: LogPageCache): Promise<{ d: string; log: PartitionLog }> {
  const d = tempDir();
  dirs.push(d);
  const log = await PartitionLog.open(d, cfg, { pageCache });
  logs.push(log);
  return { d, log };
}

/** Appends `mibs` MiB of 256 KiB records tagged `tag`, each MiB acknowledged as acks=all is (flush). */
async function fill(log: PartitionLog, tag: string, mibs: number, from = 0): Promise<void> {
  for (let i = from; i < from + mibs * 4; i++) {
    log.append([await batch(1, { values: [value(tag, i)] })]);
    if (i % 4 === 3) await log.flush();
  }
  await log.flush();
}

/** Bytes of the file in the page cache, as util-linux's fincore counts them (mincore). */
function resident(file: string): number {
  return Number(execFileSync('fincore', ['--bytes', '--noheadings', '--output', 'RES', file], { encoding: 'utf8' }).trim());
}

const segmentFile = (d: string): string => path.join(d, fs.readdirSync(d).filter((n) => /^\d{20}\.log$/.test(n)).sort()[0]);

describe('bound on written log data in the page cache', () => {
  it('the native addon that drops pages was built by npm install', () => {
    expect(pageCacheDropAvailable).toBe(true);
  });

  it('keeps the newest budget of durable writes over all partitions cached and drops the rest, which still reads back', async () => {
    const budget = 8 * mib;
    const cache = new LogPageCache(budget);
    const a = await open(config(), cache);
    const b = await open(config(), cache);
    const unbounded = await open();
    await fill(a.log, 'a', 24);
    await fill(b.log, 'b', 24);
    await fill(unbounded.log, 'c', 24);

    // Everything of a was written before b's last 8 MiB: dropped, but for partial pages at range ends.
    expect(resident(segmentFile(a.d))).toBeLessThan(mib);
    // b keeps its newest writes: the budget, plus less than one drop step not yet dropped.
    const bResident = resident(segmentFile(b.d));
    expect(bResident).toBeGreaterThanOrEqual(budget - mib);
    expect(bResident).toBeLessThan(budget + dropStepBytes + mib);
    expect(cache.heldBytes).toBeLessThan(budget + dropStepBytes);
    expect(cache.droppedBytes).toBeGreaterThan(48 * mib - budget - dropStepBytes - mib);
    // Without the bound, the kernel keeps what was written.
    expect(resident(segmentFile(unbounded.d))).toBeGreaterThan(23 * mib);

    // Dropped pages read back from disk, every record in order.
    const got: string[] = [];
    for (let offset = 0n; offset < a.log.logEndOffset; ) {
      const recs = await records(a.log.read(offset, 4 * mib).data);
      for (const r of recs) if (r.offset >= offset) got.push(r.value!.toString().split('-')[0]);
      offset = recs[recs.length - 1].offset + 1n;
    }
    expect(got).toEqual(Array.from({ length: 96 }, (_, i) => `a${i}`));
  });

  it('a bound of 0 drops nothing', async () => {
    const cache = new LogPageCache(0);
    const a = await open(config(), cache);
    await fill(a.log, 'a', 20);
    expect(cache.droppedBytes).toBe(0);
    expect(resident(segmentFile(a.d))).toBeGreaterThan(19 * mib);
  });

  /**
   * Writes 40 MiB into 2 MiB segments under retention.bytes 16 MiB, enforcing retention every
   * 4 MiB; returns the rolls that took a deleted segment's file.
   */
  async function recycledRolls(budget: number): Promise<{ recycled: number; kept: number }> {
    const cfg = config({ 'segment.bytes': String(2 * mib), 'retention.bytes': String(16 * mib), 'retention.ms': '-1', 'file.delete.delay.ms': '0' });
    const { d, log } = await open(cfg, new LogPageCache(budget));
    for (let n = 0; n < 10; n++) {
      await fill(log, 'r', 4, n * 16);
      await log.enforceRetention(Date.now());
      await sleep(50);
    }
    return { recycled: log.segmentsRecycled, kept: fs.readdirSync(d).filter((f) => f.startsWith('recycled-')).length };
  }

  it('segments whose pages were dropped are not recycled (an overwrite would read each partial page back); cached ones are', async () => {
    // Dropped from 1 MiB behind the end (once a drop step has gathered), long before retention
    // deletes them 16 MiB behind.
    const dropped = await recycledRolls(mib);
    expect(dropped).toEqual({ recycled: 0, kept: 0 });
    // A budget beyond what retention keeps: deleted segments are still cached, and rolls reuse them.
    const cached = await recycledRolls(64 * mib);
    expect(cached.recycled).toBeGreaterThan(0);
  });
});
