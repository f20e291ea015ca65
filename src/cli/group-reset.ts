/**
 * `runnel group reset-offsets`: moves a group's committed offsets the way Kafka's
 * `kafka-consumer-groups --reset-offsets` does. One scenario (`--to-earliest`, `--to-latest`,
 * `--to-offset N`, `--to-datetime TS`, `--shift-by N`), a scope (`--topic T[:P,P]` or
 * `--all-topics`), and `--dry-run` (print the plan) or `--execute` (commit it). New offsets are
 * kept within each partition's log. The group must have no running members.
 */
import type { Admin } from 'kafkajs';
import { CliError } from './cli-error.ts';
import { parseTimestampMs, TIMESTAMP_HELP } from './timestamps.ts';

export type ResetScenario =
  | { readonly kind: 'earliest' }
  | { readonly kind: 'latest' }
  | { readonly kind: 'offset'; readonly offset: bigint }
  | { readonly kind: 'datetime'; readonly ms: number }
  | { readonly kind: 'shift'; readonly by: bigint };

export interface ResetFlags {
  toEarliest?: boolean;
  toLatest?: boolean;
  toOffset?: string;
  toDatetime?: string;
  shiftBy?: string;
}

/** Exactly one scenario flag, parsed; a CliError names what is missing or conflicting. */
export function parseScenario(flags: ResetFlags, nowMs: number = Date.now()): ResetScenario {
  const given: ResetScenario[] = [];
  if (flags.toEarliest === true) given.push({ kind: 'earliest' });
  if (flags.toLatest === true) given.push({ kind: 'latest' });
  if (flags.toOffset !== undefined) {
    if (!/^\d+$/.test(flags.toOffset)) throw new CliError(`--to-offset ${flags.toOffset}: expected an offset (0 or more)`);
    given.push({ kind: 'offset', offset: BigInt(flags.toOffset) });
  }
  if (flags.toDatetime !== undefined) {
    const ms = parseTimestampMs(flags.toDatetime, nowMs);
    if (ms === null) throw new CliError(`--to-datetime ${flags.toDatetime}: expected ${TIMESTAMP_HELP}`);
    given.push({ kind: 'datetime', ms });
  }
  if (flags.shiftBy !== undefined) {
    if (!/^[+-]?\d+$/.test(flags.shiftBy)) throw new CliError(`--shift-by ${flags.shiftBy}: expected a whole number such as -10 or 5`);
    given.push({ kind: 'shift', by: BigInt(flags.shiftBy) });
  }
  if (given.length !== 1) {
    throw new CliError(`${given.length === 0 ? 'choose' : 'choose only one of'} --to-earliest, --to-latest, --to-offset N, --to-datetime TS or --shift-by N`);
  }
  return given[0];
}

/** `--topic orders` or `--topic orders:0,2`. */
export interface TopicScope {
  topic: string;
  partitions: number[] | null;
}

export function parseTopicScope(value: string): TopicScope {
  const colon = value.lastIndexOf(':');
  if (colon < 0) return { topic: value, partitions: null };
  const partitions = value
    .slice(colon + 1)
    .split(',')
    .map((p) => {
      if (!/^\d+$/.test(p)) throw new CliError(`--topic ${value}: '${p}' is not a partition number (use TOPIC or TOPIC:0,1,2)`);
      return Number(p);
    });
  return { topic: value.slice(0, colon), partitions };
}

export interface ResetRow {
  group: string;
  topic: string;
  partition: number;
  currentOffset: string | null;
  newOffset: string;
}

export interface PartitionState {
  low: bigint;
  high: bigint;
  current: bigint | null;
  /** First offset at or after the --to-datetime time. */
  atTimestamp: bigint | null;
}

/** Pure: the new offset of one partition, kept within [low, high]. */
export function newOffset(s: ResetScenario, p: PartitionState): bigint {
  let n: bigint;
  switch (s.kind) {
    case 'earliest':
      n = p.low;
      break;
    case 'latest':
      n = p.high;
      break;
    case 'offset':
      n = s.offset;
      break;
    case 'datetime':
      n = p.atTimestamp ?? p.high;
      break;
    case 'shift':
      n = (p.current ?? p.low) + s.by;
      break;
    default: {
      const never: never = s;
      throw new Error(`unknown reset scenario ${JSON.stringify(never)}`);
    }
  }
  return n < p.low ? p.low : n > p.high ? p.high : n;
}

/** Reads what the plan needs and computes the new offsets; changes nothing. */
export async function planReset(admin: Admin, group: string, scopes: TopicScope[], scenario: ResetScenario): Promise<ResetRow[]> {
  const rows: ResetRow[] = [];
  for (const scope of scopes) {
    const watermarks = await admin.fetchTopicOffsets(scope.topic);
    const known = new Set(watermarks.map((w) => w.partition));
    for (const p of scope.partitions ?? []) {
      if (!known.has(p)) throw new CliError(`topic '${scope.topic}' has no partition ${p} (it has ${known.size})`);
    }
    const committed = await admin.fetchOffsets({ groupId: group, topics: [scope.topic] });
    const current = new Map<number, bigint>();
    for (const t of committed) for (const p of t.partitions) if (BigInt(p.offset) >= 0n) current.set(p.partition, BigInt(p.offset));
    const atTs = new Map<number, bigint>();
    if (scenario.kind === 'datetime') {
      for (const o of await admin.fetchTopicOffsetsByTimestamp(scope.topic, scenario.ms)) atTs.set(o.partition, BigInt(o.offset));
    }
    const wanted = scope.partitions === null ? null : new Set(scope.partitions);
    for (const w of watermarks.sort((a, b) => a.partition - b.partition)) {
      if (wanted !== null && !wanted.has(w.partition)) continue;
      const state = { low: BigInt(w.low), high: BigInt(w.high), current: current.get(w.partition) ?? null, atTimestamp: atTs.get(w.partition) ?? null };
      rows.push({ group, topic: scope.topic, partition: w.partition, currentOffset: state.current?.toString() ?? null, newOffset: newOffset(scenario, state).toString() });
    }
  }
  return rows;
}

/** Throws unless the group has no running members (Kafka's rule for resetting offsets). */
export async function requireInactive(admin: Admin, group: string): Promise<void> {
  const { groups } = await admin.describeGroups([group]);
  const d = groups[0];
  if (d.state !== 'Empty' && d.state !== 'Dead') {
    throw new CliError(`offsets can only be reset while group '${group}' is inactive, but it is ${d.state} with ${d.members.length} member${d.members.length === 1 ? '' : 's'}: stop its consumers first`);
  }
}

export async function executeReset(admin: Admin, group: string, rows: readonly ResetRow[]): Promise<void> {
  const byTopic = new Map<string, { partition: number; offset: string }[]>();
  for (const r of rows) {
    const list = byTopic.get(r.topic) ?? [];
    list.push({ partition: r.partition, offset: r.newOffset });
    byTopic.set(r.topic, list);
  }
  for (const [topic, partitions] of byTopic) await admin.setOffsets({ groupId: group, topic, partitions });
}
