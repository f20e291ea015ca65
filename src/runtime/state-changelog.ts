/**
 * State changelogs of a statement's operators in topics of the broker (ARCHITECTURE.md
 * principles 1 and 5: the log is the one durable primitive; runtimes keep state in changelog
 * topics, as Kafka Streams does).
 *
 * Each operator that offers a StateChangelog (src/operators/state/changelog.ts) writes, at every
 * checkpoint, only what changed since the previous one as binary records to its topic
 * `_runnel-state-<statement>.<pipeline>.<node>.<generation>`, and the checkpoint in
 * `_runnel_offsets` names the offset ranges of that topic it covers. Restore replays exactly
 * those ranges: records written after them (by a checkpoint whose record was never stored) are
 * skipped, and the next checkpoint appends after them in a new range.
 *
 * When a topic's records outweigh the live state (COMPACT_RATIO times, and at least
 * COMPACT_MIN_BYTES), the next checkpoint writes a full generation to a new topic instead; the
 * checkpoint record switches to it atomically, and only once that record is stored is the old
 * topic deleted. Topics of the statement that no stored checkpoint names (a generation whose
 * checkpoint never completed) are deleted at restore, before anything is written.
 */
import type { TopicClient } from '../client/topic-client.ts';
import type { Checkpoint, Pipeline } from '../operators/index.ts';
import type { ChangelogRef, PipelineCheckpoint } from './checkpoint-store.ts';

export const STATE_TOPIC_PREFIX = '_runnel-state-';
/** A new generation is written when the log holds this many times the live state ... */
export const COMPACT_RATIO = 3;
/** ... and at least this many bytes. */
export const COMPACT_MIN_BYTES = 64 * 1024 * 1024;
/** Bytes of records per produce request, and requests in flight. */
const PRODUCE_BYTES = 4 * 1024 * 1024;
const PRODUCES_IN_FLIGHT = 4;
/** Bytes asked for per replay fetch. */
const FETCH_BYTES = 8 * 1024 * 1024;

export interface StateChangelogOptions {
  readonly compactRatio?: number;
  readonly compactMinBytes?: number;
}

/** What a write did, for metrics and tests. */
export interface ChangelogWrite {
  readonly key: string;
  readonly full: boolean;
  readonly bytes: number;
}

/** The state changelogs of one statement's pipelines. */
export class StatementChangelogs {
  /** `<pipeline>/<operator key>` -> the ref of the last checkpoint written. */
  private readonly refs = new Map<string, ChangelogRef>();
  /** Per pipeline, topics to delete once its next checkpoint record is stored. */
  private readonly superseded = new Map<number, string[]>();
  private readonly compactRatio: number;
  private readonly compactMinBytes: number;
  /** The writes of the last checkpoint of each pipeline. */
  readonly lastWrites = new Map<number, ChangelogWrite[]>();

  constructor(private readonly topics: TopicClient, private readonly statementId: string, options: StateChangelogOptions = {}) {
    this.compactRatio = options.compactRatio ?? COMPACT_RATIO;
    this.compactMinBytes = options.compactMinBytes ?? COMPACT_MIN_BYTES;
  }

  /** The statement's state topics (all generations). */
  static async topicsOf(topics: TopicClient, statementId: string): Promise<string[]> {
    const prefix = `${STATE_TOPIC_PREFIX}${safe(statementId)}.`;
    return (await topics.listTopics()).filter((t) => t.startsWith(prefix));
  }

  static async deleteAll(topics: TopicClient, statementId: string): Promise<void> {
    for (const t of await StatementChangelogs.topicsOf(topics, statementId)) await topics.deleteTopic(t);
  }

  /**
   * Restores pipeline i from `checkpoints[i]`: deletes the statement's state topics no checkpoint
   * names, restores each pipeline (meta snapshots) and replays the ranges of its changelogs.
   */
  async restore(pipelines: readonly Pipeline[], checkpoints: readonly (PipelineCheckpoint | null)[]): Promise<void> {
    const named = new Set<string>();
    for (const cp of checkpoints) for (const ref of Object.values(cp?.changelogs ?? {})) named.add(ref.topic);
    for (const t of await StatementChangelogs.topicsOf(this.topics, this.statementId)) if (!named.has(t)) await this.topics.deleteTopic(t);
    for (let i = 0; i < pipelines.length; i++) {
      const cp = checkpoints[i];
      if (cp === null || cp === undefined) continue;
      const changelogs = cp.changelogs ?? {};
      pipelines[i].restore({ ...cp, changelogKeys: Object.keys(changelogs) });
      for (const [key, ref] of Object.entries(changelogs)) {
        const state = pipelines[i].changelogOf(key);
        for (const [s, e] of ref.ranges) {
          const end = BigInt(e);
          let offset = BigInt(s);
          while (offset < end) {
            const res = await this.topics.fetch(ref.topic, 0, offset, { maxBytes: FETCH_BYTES });
            if (res.records.length === 0) throw new Error(`state changelog ${ref.topic} ends at ${offset}, before offset ${end} that checkpoint ${cp.id} names; its topic was changed by something else`);
            for (const r of res.records) {
              if (r.offset < offset) continue;
              if (r.offset >= end) break;
              if (r.value === null) throw new Error(`state changelog ${ref.topic} has an empty record at ${r.offset}`);
              state.applyChange(r.value);
            }
            offset = res.nextOffset < end ? res.nextOffset : end;
          }
        }
        this.refs.set(`${i}/${key}`, ref);
      }
    }
  }

  /**
   * Writes pipeline i's changes for checkpoint `cp` (taken, not yet stored) to the changelogs;
   * returns the refs to store with the checkpoint. Run it before the pipeline processes again.
   */
  async write(i: number, pipeline: Pipeline, cp: Checkpoint): Promise<Record<string, ChangelogRef>> {
    const out: Record<string, ChangelogRef> = {};
    const writes: ChangelogWrite[] = [];
    for (const key of cp.changelogKeys ?? []) {
      const state = pipeline.changelogOf(key);
      const prev = this.refs.get(`${i}/${key}`);
      const full = prev === undefined || prev.bytes > Math.max(this.compactMinBytes, this.compactRatio * state.liveBytes());
      const topic = full ? this.topicName(i, key, prev === undefined ? 1 : generationOf(prev.topic) + 1) : prev.topic;
      if (full) await this.freshTopic(topic);
      const written = await this.append(topic, state.takeChanges(full));
      let ranges = full || prev === undefined ? [] : [...prev.ranges];
      if (written !== null) {
        const last = ranges[ranges.length - 1];
        ranges = last !== undefined && last[1] === written.start ? [...ranges.slice(0, -1), [last[0], written.end]] : [...ranges, [written.start, written.end]];
      }
      const ref: ChangelogRef = { topic, ranges, bytes: (full || prev === undefined ? 0 : prev.bytes) + (written?.bytes ?? 0) };
      if (full && prev !== undefined) this.superseded.set(i, [...(this.superseded.get(i) ?? []), prev.topic]);
      this.refs.set(`${i}/${key}`, ref);
      out[key] = ref;
      writes.push({ key, full, bytes: written?.bytes ?? 0 });
    }
    this.lastWrites.set(i, writes);
    return out;
  }

  /** Pipeline i's checkpoint record is stored: the generations it replaced go. */
  async stored(i: number): Promise<void> {
    const drop = this.superseded.get(i) ?? [];
    this.superseded.delete(i);
    for (const t of drop) await this.topics.deleteTopic(t);
  }

  private topicName(pipeline: number, key: string, gen: number): string {
    return `${STATE_TOPIC_PREFIX}${safe(this.statementId)}.${pipeline}.${key.split(':')[0]}.${gen}`;
  }

  private async freshTopic(topic: string): Promise<void> {
    const configs = { 'cleanup.policy': 'delete', 'retention.ms': '-1', 'retention.bytes': '-1', 'max.message.bytes': String(64 * 1024 * 1024) };
    await this.topics.createTopic(topic, { partitions: 1, configs, ifNotExists: true });
    const { end } = await this.topics.offsets(topic, 0);
    if (end === 0n) return;
    // Left by a generation whose checkpoint never completed (restore deletes those; never expected here).
    await this.topics.deleteTopic(topic);
    await this.topics.createTopic(topic, { partitions: 1, configs });
  }

  /** Appends the records (durably); their offset range and bytes, or null when there were none. */
  private async append(topic: string, records: Iterable<Buffer>): Promise<{ start: string; end: string; bytes: number } | null> {
    let start: bigint | null = null;
    let end = 0n;
    let bytes = 0;
    let batch: Buffer[] = [];
    let batchBytes = 0;
    const inFlight: Promise<void>[] = [];
    const send = async (values: Buffer[]): Promise<void> => {
      const offsets = await this.topics.produce(topic, values.map((value) => ({ key: null, value, partition: 0 })));
      const first = offsets[0].offset, last = offsets[offsets.length - 1].offset;
      if (start === null || first < start) start = first;
      if (last + 1n > end) end = last + 1n;
    };
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const sent = send(batch);
      sent.catch(() => undefined); // awaited below; this only keeps it from counting as unhandled meanwhile
      inFlight.push(sent);
      batch = [];
      batchBytes = 0;
      if (inFlight.length >= PRODUCES_IN_FLIGHT) await inFlight.shift();
    };
    try {
      for (const r of records) {
        batch.push(r);
        batchBytes += r.length;
        bytes += r.length;
        if (batchBytes >= PRODUCE_BYTES) await flush();
      }
      await flush();
    } finally {
      await Promise.all(inFlight);
    }
    return start === null ? null : { start: (start as bigint).toString(), end: end.toString(), bytes };
  }
}

function generationOf(topic: string): number {
  return Number(topic.slice(topic.lastIndexOf('.') + 1));
}

/** A statement id as it can appear in a topic name ('.' separates the name's parts). */
function safe(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '_');
}
