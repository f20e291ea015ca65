/**
 * Session properties (`SET 'key' = 'value'`), with Confluent Cloud's names where they exist.
 * The HTTP API is stateless: a client sends its properties with each statement, and `SET` /
 * `RESET` answer with the properties that result (the `runnel sql` shell keeps them).
 */
import { getHeapStatistics } from 'node:v8';

export type SessionProperties = Readonly<Record<string, string>>;

/** Known properties, their defaults and what they mean (`SET` with no arguments lists them). */
export const PROPERTY_DEFAULTS: Readonly<Record<string, { value: string; doc: string }>> = {
  'sql.tables.scan.idle-timeout': { value: '5 s', doc: 'a source partition with no new records for this long stops holding the watermark back (0 disables)' },
  'sql.tables.scan.startup.mode': { value: 'earliest-offset', doc: 'where a statement without committed offsets starts reading: earliest-offset or latest-offset' },
  'sql.tables.scan.bounded': { value: 'false', doc: 'true: read each table up to the end offsets seen at start, then finish (tests, benchmarks, snapshots)' },
  'sql.state-ttl': { value: '0', doc: "idle time after which per-key state without a time bound (GROUP BY, Top-N, dedup, joins) is dropped (0: keep forever); Flink's 'table.exec.state.ttl' is accepted too" },
  'sql.statement.name': { value: '', doc: 'name of the next statement submitted (default: generated)' },
  'execution.checkpointing.interval': { value: '1 s', doc: 'how often a running statement takes a checkpoint and commits its output transaction (read_committed consumers see results at this pace)' },
  'sql.local-time-zone': { value: 'UTC', doc: 'time zone for TIMESTAMP_LTZ display' },
  'sql.state.max-size': { value: '512 mb', doc: "most state one operator of a statement may keep (e.g. '512 mb', '2 gb'); past it the statement fails with STATE_LIMIT_EXCEEDED rather than exhausting the process's memory" },
  'table.exec.mini-batch.enabled': { value: 'false', doc: "true: a non-windowed GROUP BY buffers changes and emits one per changed key per mini-batch (Flink's mini-batch) instead of one per input row; needs 'table.exec.mini-batch.allow-latency' and 'table.exec.mini-batch.size'" },
  'table.exec.mini-batch.allow-latency': { value: '0 ms', doc: "mini-batch: longest a buffered change waits before it is emitted (e.g. '2 s'); must be more than 0 when mini-batch is enabled (Flink's rule)" },
  'table.exec.mini-batch.size': { value: '-1', doc: 'mini-batch: input rows buffered at most before the changes are emitted; must be more than 0 when mini-batch is enabled (Flink\'s rule)' },
};

/** Property keys: dotted lower-case words, as Flink and Confluent name them. */
const keyPattern = /^[a-z][a-z0-9_.-]*$/;

export class SessionError extends Error {}

export function checkPropertyKey(key: string): void {
  if (!keyPattern.test(key)) throw new SessionError(`'${key}' is not a property name (lower-case words separated by dots, e.g. 'sql.state-ttl')`);
}

export function effective(props: SessionProperties, key: string): string {
  return props[key] ?? PROPERTY_DEFAULTS[key]?.value ?? '';
}

/**
 * Parses a duration: `5 s`, `500 ms`, `10 min`, `1 h`, `2 d`, or a bare number of milliseconds.
 */
export function parseDurationMs(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|milli|millis|s|sec|secs|second|seconds|min|mins|minute|minutes|h|hour|hours|d|day|days)?\s*$/i.exec(text);
  if (m === null) throw new SessionError(`'${text}' is not a duration (e.g. '5 s', '500 ms', '10 min')`);
  const n = Number(m[1]);
  const unit = (m[2] ?? 'ms').toLowerCase();
  const factor = unit.startsWith('ms') || unit.startsWith('milli') ? 1 : unit.startsWith('s') ? 1000 : unit.startsWith('m') ? 60_000 : unit.startsWith('h') ? 3_600_000 : 86_400_000;
  return n * factor;
}

/** Parses a size: `512 mb`, `2 gb`, `64 kb`, or a bare number of bytes (units are powers of 1024). */
export function parseSizeBytes(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|bytes|kb|k|mb|m|gb|g)?\s*$/i.exec(text);
  if (m === null) throw new SessionError(`'${text}' is not a size (e.g. '512 mb', '2 gb', or a number of bytes)`);
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.floor(Number(m[1]) * factor);
}

/**
 * The per-operator state limit, `sql.state.max-size`. State lives in the JS heap, so a limit over
 * half of the heap's own limit is refused: the process would die of memory before the operator
 * could fail with a clear error.
 */
export function stateBytesMax(props: SessionProperties): number {
  const text = effective(props, 'sql.state.max-size');
  const bytes = parseSizeBytes(text);
  if (bytes <= 0) throw new SessionError(`'sql.state.max-size' = '${text}': must be more than 0`);
  const heapMb = Math.floor(getHeapStatistics().heap_size_limit / 1024 ** 2);
  if (bytes > (heapMb * 1024 ** 2) / 2) {
    throw new SessionError(`'sql.state.max-size' = '${text}' is over half of this process's heap limit (${heapMb} MB); start runnel with NODE_OPTIONS=--max-old-space-size=<MB> to give it more memory`);
  }
  return bytes;
}

/** The planner options a statement's session properties set. */
export function physicalPlanOptions(props: SessionProperties): { idleTimeoutMs: number | null; stateTtlMs: number | null; groupEmit: 'per-row' | 'per-batch'; miniBatch: MiniBatch | null; stateBytesMax: number } {
  const groupEmit = groupEmitMode(props);
  return { idleTimeoutMs: idleTimeoutMs(props), stateTtlMs: stateTtlMs(props), groupEmit, miniBatch: groupEmit === 'per-batch' ? miniBatch(props) : null, stateBytesMax: stateBytesMax(props) };
}

export interface MiniBatch { readonly latencyMs: number; readonly size: number }

/**
 * Mini-batch flush triggers. As Flink, enabling mini-batch needs both a positive
 * `table.exec.mini-batch.allow-latency` and a positive `table.exec.mini-batch.size`.
 */
export function miniBatch(props: SessionProperties): MiniBatch {
  const latencyText = effective(props, 'table.exec.mini-batch.allow-latency');
  const latencyMs = parseDurationMs(latencyText.trim().startsWith('-') ? '0' : latencyText);
  if (!(latencyMs > 0)) {
    throw new SessionError(`'table.exec.mini-batch.enabled' = 'true' needs 'table.exec.mini-batch.allow-latency' more than 0 (it is '${latencyText}'); set it, e.g. SET 'table.exec.mini-batch.allow-latency' = '2 s'`);
  }
  const sizeText = effective(props, 'table.exec.mini-batch.size').trim();
  const size = /^-?\d+$/.test(sizeText) ? Number(sizeText) : NaN;
  if (Number.isNaN(size)) throw new SessionError(`'table.exec.mini-batch.size' = '${sizeText}': use a whole number of rows, e.g. '50000'`);
  if (!(size > 0)) {
    throw new SessionError(`'table.exec.mini-batch.enabled' = 'true' needs 'table.exec.mini-batch.size' more than 0 (it is '${sizeText}'); set it, e.g. SET 'table.exec.mini-batch.size' = '50000'`);
  }
  return { latencyMs, size };
}

/** Longest checkpoint interval: below the broker's transaction.max.timeout.ms (15 min). */
export const CHECKPOINT_INTERVAL_MAX_MS = 15 * 60 * 1000;

/** The effective checkpoint interval; it must be positive (exactly-once needs checkpoints). */
export function checkpointIntervalMs(props: SessionProperties): number {
  const text = effective(props, 'execution.checkpointing.interval');
  const ms = parseDurationMs(text);
  if (ms <= 0) throw new SessionError(`'execution.checkpointing.interval' = '${text}': checkpoints cannot be turned off (results are committed with them); use a duration such as '10 s'`);
  // The broker aborts a transaction open longer than its timeout (15 min), which would fail the statement.
  if (ms >= CHECKPOINT_INTERVAL_MAX_MS) throw new SessionError(`'execution.checkpointing.interval' = '${text}': each checkpoint's output is one Kafka transaction, which the broker aborts after 15 min; use less than '15 min'`);
  return ms;
}

/** How non-windowed GROUP BY emits its changelog: per input row (Flink's default) or per batch (mini-batch). */
export function groupEmitMode(props: SessionProperties): 'per-row' | 'per-batch' {
  const v = effective(props, 'table.exec.mini-batch.enabled').trim().toLowerCase();
  if (v !== 'true' && v !== 'false') throw new SessionError(`'table.exec.mini-batch.enabled' = '${v}': use 'true' or 'false'`);
  return v === 'true' ? 'per-batch' : 'per-row';
}

/** The effective idle timeout, null when disabled. */
export function idleTimeoutMs(props: SessionProperties): number | null {
  const ms = parseDurationMs(effective(props, 'sql.tables.scan.idle-timeout'));
  return ms > 0 ? ms : null;
}

/**
 * The state TTL in ms, or null to keep state forever: `sql.state-ttl` (Confluent Cloud), else
 * Flink's `table.exec.state.ttl` (a bare number is milliseconds in both).
 */
export function stateTtlMs(props: SessionProperties): number | null {
  const text = props['sql.state-ttl'] ?? props['table.exec.state.ttl'] ?? PROPERTY_DEFAULTS['sql.state-ttl'].value;
  const ms = parseDurationMs(text);
  return ms > 0 ? ms : null;
}
