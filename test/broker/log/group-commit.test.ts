/**
 * GroupCommit over a real file: however flushes and appends interleave (syncs overlapping up to
 * concurrentSyncsMax, callers joining a running sync or the shared next one), a flush resolves
 * only once a sync issued after its caller's append has ended, so the durable offset covers it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../../src/broker/log/group-commit.ts';
import { tempDir } from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function appendingFile(): { fd: number; append: (bytes: number) => bigint } {
  const dir = tempDir();
  dirs.push(dir);
  const fd = fs.openSync(path.join(dir, 'data'), 'w');
  let end = 0n;
  return {
    fd,
    append(bytes) {
      fs.writeSync(fd, Buffer.alloc(bytes, 1));
      end += BigInt(bytes);
      return end;
    },
  };
}

describe('GroupCommit', () => {
  it('a sync whose target waits for another (a roll still syncing the previous segment) counts only once both are done', async () => {
    const file = appendingFile();
    const end = file.append(4096);
    let release!: () => void;
    const rolled = new Promise<void>((r) => (release = r));
    const gc: GroupCommit = new GroupCommit(0n, () => (end > gc.durableOffset ? { fd: file.fd, offset: end, after: rolled } : null), (e) => e);
    let flushed = false;
    const f = gc.flush().then(() => { flushed = true; });
    await new Promise((r) => setTimeout(r, 50));
    expect(flushed).toBe(false);
    expect(gc.durableOffset).toBe(0n);
    release();
    await f;
    expect(gc.durableOffset).toBe(end);
  });

  it('a failed roll sync fails the flushes that wait on it', async () => {
    const file = appendingFile();
    const end = file.append(100);
    const failed = Promise.reject(new Error('roll: EIO'));
    failed.catch(() => {});
    const gc: GroupCommit = new GroupCommit(0n, () => (end > gc.durableOffset ? { fd: file.fd, offset: end, after: failed } : null), (e) => e);
    await expect(gc.flush()).rejects.toThrow(/EIO/);
    expect(gc.durableOffset).toBe(0n);
  });

  it('resolves each flush only once everything appended before it is durable', async () => {
    const file = appendingFile();
    let end = 0n;
    const gc: GroupCommit = new GroupCommit(0n, () => (end > gc.durableOffset ? { fd: file.fd, offset: end } : null), (e) => e);
    const checks: Promise<void>[] = [];
    const violations: string[] = [];
    for (let i = 0; i < 300; i++) {
      end = file.append(1024 + (i % 7) * 512);
      const want = end;
      checks.push(gc.flush().then(() => void (gc.durableOffset < want && violations.push(`flush after ${want} resolved at ${gc.durableOffset}`))));
      // Vary the interleaving: sometimes several appends in one turn, sometimes a sync ends between.
      if (i % 3 === 0) await new Promise((r) => setImmediate(r));
      if (i % 50 === 0) await checks[checks.length - 1];
    }
    await Promise.all(checks);
    expect(violations).toEqual([]);
    expect(gc.durableOffset).toBe(end);
    expect(gc.inFlight).toBeNull();
    fs.closeSync(file.fd);
  });

  it('answers at once when nothing new was appended, and reports a failed sync to its callers', async () => {
    const file = appendingFile();
    let end = file.append(100);
    let fd = file.fd;
    const gc: GroupCommit = new GroupCommit(0n, () => (end > gc.durableOffset ? { fd, offset: end } : null), (e) => new Error(`sync failed: ${e.message}`));
    await gc.flush();
    expect(gc.durableOffset).toBe(100n);
    await gc.flush();
    end = file.append(100);
    fs.closeSync(file.fd);
    fd = file.fd;
    await expect(gc.flush()).rejects.toThrow(/sync failed: EBADF/);
    expect(gc.durableOffset).toBe(100n);
  });
});
