/**
 * Which closed segments the "delete" cleanup policy removes (Kafka's UnifiedLog.deleteOldSegments):
 * an expired prefix by time, then a prefix by size. Whole segments only, oldest first, never the
 * active one. Pure, so tests and the log share it.
 */
export interface RetentionSegment {
  sizeBytes: number;
  /** Newest timestamp in the segment (falls back to the file's modification time). */
  maxTimestampMs: number;
}

export interface RetentionLimits {
  retentionMs: number;
  retentionBytes: number;
}

/** How many of the oldest closed segments to delete. `closed` excludes the active segment. */
export function segmentsToDelete(closed: readonly RetentionSegment[], totalBytes: number, limits: RetentionLimits, nowMs: number): number {
  let n = 0;
  if (limits.retentionMs >= 0) {
    while (n < closed.length && nowMs - closed[n].maxTimestampMs > limits.retentionMs) n++;
  }
  if (limits.retentionBytes >= 0) {
    let remaining = totalBytes;
    for (let i = 0; i < n; i++) remaining -= closed[i].sizeBytes;
    while (n < closed.length && remaining - closed[n].sizeBytes >= limits.retentionBytes) {
      remaining -= closed[n].sizeBytes;
      n++;
    }
  }
  return n;
}
