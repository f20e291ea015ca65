/**
 * File names and small file-system helpers of a partition directory. The layout is Kafka's:
 *
 *   00000000000000000000.log         RecordBatch v2 bytes of the segment starting at offset 0
 *   00000000000000000000.index       sparse offset index (relative offset -> file position)
 *   00000000000000000000.timeindex   sparse time index (timestamp -> relative offset)
 *   00000000000000001234.snapshot    producer state as of offset 1234
 *   *.cleaned, *.swap, *.deleted     compaction output, a committed swap, files awaiting unlink
 *   recycled-<n>.log                 a deleted segment's file kept for a later roll (partition-log.ts)
 *   .clean-shutdown                  present only after a clean close
 *   log-start-offset                 the DeleteRecords low watermark
 *   cleaner-offset-checkpoint        first offset the compactor has not cleaned yet
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const offsetDigits = 20;
export const cleanShutdownFile = '.clean-shutdown';
export const logStartOffsetFile = 'log-start-offset';
export const cleanerCheckpointFile = 'cleaner-offset-checkpoint';

export type SegmentFileKind = 'log' | 'index' | 'timeindex';
export const segmentFileKinds: readonly SegmentFileKind[] = ['log', 'index', 'timeindex'];

export function offsetName(offset: bigint): string {
  return offset.toString().padStart(offsetDigits, '0');
}

export function segmentPath(dir: string, baseOffset: bigint, kind: SegmentFileKind, suffix = ''): string {
  return path.join(dir, `${offsetName(baseOffset)}.${kind}${suffix}`);
}

/** The base offset a file name starts with, or null when it is not `<20 digits>.<ext>`. */
export function parseOffsetName(name: string, ext: string): bigint | null {
  if (name.length !== offsetDigits + 1 + ext.length || !name.endsWith(`.${ext}`)) return null;
  const digits = name.slice(0, offsetDigits);
  return /^\d+$/.test(digits) ? BigInt(digits) : null;
}

/** fsyncs a directory so that file creations, renames and unlinks in it are durable. */
export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** {@link fsyncDir} off the event loop (the libuv threadpool). */
export async function fsyncDirAsync(dir: string): Promise<void> {
  const h = await fs.promises.open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/** {@link writeFileAtomic} off the event loop: the same steps, each awaited. */
export async function writeFileAtomicAsync(file: string, data: Buffer | string): Promise<void> {
  const tmp = `${file}.tmp`;
  const h = await fs.promises.open(tmp, 'w');
  try {
    await h.writeFile(data);
    await h.sync();
  } finally {
    await h.close();
  }
  await fs.promises.rename(tmp, file);
  await fsyncDirAsync(path.dirname(file));
}

/** Writes a small file so that readers see the old or the new contents, never a mix. */
export function writeFileAtomic(file: string, data: Buffer | string): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}

export function readFileOrNull(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

export function unlinkIfExists(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/** What {@link unlinkGradually} frees per step, and the pause after each step. */
export const gradualDeleteStepBytes = 64 * 1024 * 1024;
export const gradualDeletePauseMs = 200;
let gradualDeletes: Promise<void> = Promise.resolve();

/**
 * Unlinks a large file a step at a time: shrunk by {@link gradualDeleteStepBytes} every
 * {@link gradualDeletePauseMs}, then unlinked; one file at a time across the process, in the
 * threadpool. Freeing a file's blocks at once stalls the fdatasyncs after it, and so every
 * acks=all answer, while the file system discards them (mounted with `discard`, ext4 here held
 * them ~0.7 s for a 1 GiB file; in 64 MiB steps the worst ack waited ~40-60 ms). RocksDB's
 * DeleteScheduler deletes SST files the same way. A missing file is fine. The pauses do not keep
 * the process alive: a deletion cut short by exit leaves a file that the next open removes.
 */
export function unlinkGradually(file: string): Promise<void> {
  const run = gradualDeletes.then(() => shrinkAndUnlink(file));
  gradualDeletes = run.catch(() => {});
  return run;
}

async function shrinkAndUnlink(file: string): Promise<void> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r+');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  try {
    let size = (await handle.stat()).size;
    while (size > gradualDeleteStepBytes) {
      size -= gradualDeleteStepBytes;
      await handle.truncate(size);
      await sleep(gradualDeletePauseMs, undefined, { ref: false });
    }
  } finally {
    await handle.close();
  }
  try {
    await fs.promises.unlink(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/** Removes a directory tree, its files through {@link unlinkGradually}. */
export async function removeDirGradually(dir: string): Promise<void> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  for (const entry of entries) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) await removeDirGradually(p);
    else await unlinkGradually(p);
  }
  await fs.promises.rm(dir, { recursive: true, force: true });
}

export function renameIfExists(from: string, to: string): boolean {
  try {
    fs.renameSync(from, to);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** Reads exactly `length` bytes at `position` (fewer only at end of file). */
export function preadFully(fd: number, buf: Buffer, offset: number, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, buf, offset + done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/** Writes all buffers at `position` with as few system calls as the kernel allows. */
export function pwriteAll(fd: number, buffers: Buffer[], position: number): void {
  let pos = position;
  let pending = buffers;
  // writev writes at most IOV_MAX (1024) buffers and may write short; loop on the remainder.
  const iovMax = 1024;
  for (let guard = 0; pending.length > 0; guard++) {
    if (guard > 1_000_000) throw new Error('pwriteAll made no progress');
    const chunk = pending.length > iovMax ? pending.slice(0, iovMax) : pending;
    let written = fs.writevSync(fd, chunk, pos);
    pos += written;
    let i = 0;
    while (i < chunk.length && written >= chunk[i].length) {
      written -= chunk[i].length;
      i++;
    }
    const rest = pending.slice(i);
    if (written > 0) rest[0] = rest[0].subarray(written);
    pending = rest;
  }
}
