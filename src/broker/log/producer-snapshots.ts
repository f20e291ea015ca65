/**
 * Producer-state snapshot files, `<offset>.snapshot` as Kafka names them: the idempotent-producer
 * state after every record below `offset`. Written at roll and clean close; at open the newest
 * usable one is loaded and the batches after it are replayed from their headers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { offsetName, parseOffsetName, readFileOrNull, unlinkIfExists, writeFileAtomic, writeFileAtomicAsync } from './files.ts';
import type { ProducerState } from './producer-state.ts';

/** Snapshots kept per partition (older ones are deleted when a new one is written). */
export const producerSnapshotsKept = 2;

export function snapshotOffsets(dir: string): bigint[] {
  const out: bigint[] = [];
  for (const name of fs.readdirSync(dir)) {
    const o = parseOffsetName(name, 'snapshot');
    if (o !== null) out.push(o);
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function snapshotPath(dir: string, offset: bigint): string {
  return path.join(dir, `${offsetName(offset)}.snapshot`);
}

export function writeSnapshot(dir: string, offset: bigint, state: ProducerState): void {
  writeFileAtomic(snapshotPath(dir, offset), state.serialize());
  pruneSnapshots(dir);
}

/** {@link writeSnapshot} of a state serialized beforehand (at a roll), written off the event loop. */
export async function writeSnapshotAsync(dir: string, offset: bigint, serialized: Buffer): Promise<void> {
  await writeFileAtomicAsync(snapshotPath(dir, offset), serialized);
  pruneSnapshots(dir);
}

function pruneSnapshots(dir: string): void {
  const all = snapshotOffsets(dir);
  for (const o of all.slice(0, Math.max(0, all.length - producerSnapshotsKept))) unlinkIfExists(snapshotPath(dir, o));
}

/**
 * Loads the newest sound snapshot at or below `logEndOffset` into `state` and returns its
 * offset, or null (state empty) when there is none. Snapshots past the log end (the log was
 * truncated by recovery) are deleted.
 */
export function loadLatestSnapshot(dir: string, logEndOffset: bigint, state: ProducerState): bigint | null {
  const all = snapshotOffsets(dir);
  for (let i = all.length - 1; i >= 0; i--) {
    const o = all[i];
    if (o > logEndOffset) {
      unlinkIfExists(snapshotPath(dir, o));
      continue;
    }
    const data = readFileOrNull(snapshotPath(dir, o));
    if (data !== null && state.load(data)) return o;
  }
  state.clear();
  return null;
}
