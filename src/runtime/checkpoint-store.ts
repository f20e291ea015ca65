/**
 * Checkpoints of running statements in the compacted topic `_runnel_offsets`: per statement, the
 * source offsets and operator states of each of its pipelines.
 *
 * A checkpoint is binary: a JSON header (per pipeline: id, source offsets, the byte length of
 * each operator state, the sink's transaction, the state changelogs) followed by the operator
 * states' bytes. It can exceed a record's limit (max.message.bytes, 1 MiB), so it is written as
 * raw-bytes parts under generation keys (`<id>@<gen>#<i>`) and then a head record (`<id>`: `{v: 2,
 * gen, parts}`) naming the generation; the previous generation's parts are deleted afterwards. A
 * crash between the two leaves the old head pointing at parts that still exist: readers always
 * see a whole checkpoint. Puts run one after another (the pipelines of a statement set checkpoint
 * on their own): interleaved, two puts of one generation could mix their parts. Checkpoints
 * written before (a head without `v`: JSON text parts with base64 states) are still read.
 *
 * Operators with a state changelog (src/runtime/state-changelog.ts) have only their small meta
 * snapshot here, and the checkpoint names the changelog positions it covers (`changelogs`).
 *
 * With each pipeline's checkpoint goes the sink's pre-committed transaction (id, producer id,
 * epoch): after a crash between storing the checkpoint and committing the transaction, restore
 * commits it (exactly-once, see KafkaTopicSink).
 */
import type { TopicClient, TransactionRef } from '../client/topic-client.ts';
import type { Checkpoint } from '../operators/index.ts';
import { KvLog } from './kv-log.ts';

export const OFFSETS_TOPIC = '_runnel_offsets';
/** Bytes of checkpoint per record part. */
export const CHECKPOINT_PART_BYTES = 512 * 1024;
/** Parts one checkpoint may have (256 MiB of full snapshots; changelog state is not counted). */
export const CHECKPOINT_PARTS_MAX = 512;

/** A state changelog topic and the offset ranges ([start, end), decimal strings) a checkpoint covers, in order. */
export interface ChangelogRef {
  readonly topic: string;
  readonly ranges: readonly (readonly [string, string])[];
  /** Bytes of the records in the ranges (compaction compares it with the live state). */
  readonly bytes: number;
}

/** One pipeline's checkpoint and the transaction its sink pre-committed for it (null: none). */
export interface PipelineCheckpoint extends Checkpoint {
  readonly transaction?: TransactionRef | null;
  /** Operator key -> its state changelog (its `operatorStates` entry is the meta snapshot). */
  readonly changelogs?: Readonly<Record<string, ChangelogRef>>;
}

interface StoredHeader {
  readonly id: number;
  readonly sourceOffsets: Record<string, Record<string, string>>;
  /** [operator key, byte length], in the order the states follow the header. */
  readonly states: [string, number][];
  /** [transactional id, producer id, epoch]. */
  readonly transaction: [string, string, number] | null;
  readonly changelogs?: Record<string, ChangelogRef>;
}

/** The format before binary parts: JSON text, operator states in base64. */
interface StoredJsonCheckpoint {
  readonly id: number;
  readonly sourceOffsets: Record<string, Record<string, string>>;
  readonly operatorStates: Record<string, string>;
  readonly transaction?: [string, string, number] | null;
}

type Entry = { readonly v?: 2; readonly gen: number; readonly parts: number } | { readonly chunk: string };

export interface CheckpointStoreOptions {
  /** Bytes per part (default 512 KiB) and parts per checkpoint at most (default 512). */
  readonly partBytes?: number;
  readonly partsMax?: number;
}

export class CheckpointTooLargeError extends Error {}

export class CheckpointStore {
  private puts: Promise<unknown> = Promise.resolve();
  private readonly partBytes: number;
  private readonly partsMax: number;

  private constructor(private readonly log: KvLog<Entry>, options: CheckpointStoreOptions) {
    this.partBytes = options.partBytes ?? CHECKPOINT_PART_BYTES;
    this.partsMax = options.partsMax ?? CHECKPOINT_PARTS_MAX;
  }

  static async open(topics: TopicClient, options: CheckpointStoreOptions = {}): Promise<CheckpointStore> {
    return new CheckpointStore(await KvLog.open<Entry>(topics, OFFSETS_TOPIC), options);
  }

  /** The statement's last checkpoint, one per pipeline (null: that pipeline has none yet); undefined when it has none. */
  get(statementId: string): (PipelineCheckpoint | null)[] | undefined {
    const head = this.log.get(statementId);
    if (head === undefined || !('gen' in head)) return undefined;
    if (head.v === undefined) return this.getJson(statementId, head);
    const parts: Buffer[] = [];
    for (let i = 0; i < head.parts; i++) {
      const part = this.log.getBytes(`${statementId}@${head.gen}#${i}`);
      if (part === undefined) throw new Error(`checkpoint of statement ${statementId} lacks part ${i} of ${head.parts} (generation ${head.gen}); _runnel_offsets was changed by something else`);
      parts.push(part);
    }
    return decode(Buffer.concat(parts));
  }

  private getJson(statementId: string, head: { gen: number; parts: number }): (PipelineCheckpoint | null)[] | undefined {
    let text = '';
    for (let i = 0; i < head.parts; i++) {
      const part = this.log.get(`${statementId}@${head.gen}#${i}`);
      if (part === undefined || !('chunk' in part)) return undefined;
      text += part.chunk;
    }
    return (JSON.parse(text) as (StoredJsonCheckpoint | null)[]).map((c) => (c === null ? null : fromJson(c)));
  }

  put(statementId: string, checkpoints: readonly (PipelineCheckpoint | null)[]): Promise<void> {
    // Encoded now: the caller may change its checkpoint objects while an earlier put runs.
    const bytes = encode(checkpoints);
    const put = this.puts.then(() => this.write(statementId, bytes));
    this.puts = put.catch(() => undefined);
    return put;
  }

  private async write(statementId: string, bytes: Buffer): Promise<void> {
    const parts = Math.max(1, Math.ceil(bytes.length / this.partBytes));
    if (parts > this.partsMax) {
      throw new CheckpointTooLargeError(`checkpoint of statement ${statementId} is ${bytes.length} bytes, more than ${this.partsMax} parts of ${this.partBytes} bytes; ` +
        'Top-N over updating input, OVER and window operators keep whole snapshots there (joins, GROUP BY, deduplication, append-only Top-N and ChangelogNormalize keep changelogs): reduce the statement\'s state (set \'sql.state-ttl\', or lower \'sql.state.max-size\' so it fails at the operator that grows)');
    }
    const prev = this.log.get(statementId);
    const gen = prev !== undefined && 'gen' in prev ? prev.gen + 1 : 1;
    for (let i = 0; i < parts; i++) await this.log.putBytes(`${statementId}@${gen}#${i}`, bytes.subarray(i * this.partBytes, (i + 1) * this.partBytes));
    await this.log.put(statementId, { v: 2, gen, parts });
    if (prev !== undefined && 'gen' in prev) await this.dropParts(statementId, prev.gen, prev.parts);
  }

  async delete(statementId: string): Promise<void> {
    const head = this.log.get(statementId);
    if (head === undefined || !('gen' in head)) return;
    await this.log.delete(statementId);
    await this.dropParts(statementId, head.gen, head.parts);
  }

  private async dropParts(statementId: string, gen: number, parts: number): Promise<void> {
    for (let i = 0; i < parts; i++) await this.log.delete(`${statementId}@${gen}#${i}`);
  }
}

/** [u32 header length][header JSON][operator states]. */
function encode(checkpoints: readonly (PipelineCheckpoint | null)[]): Buffer {
  const blobs: Uint8Array[] = [];
  const header = checkpoints.map((cp): StoredHeader | null => {
    if (cp === null) return null;
    const t = cp.transaction ?? null;
    const states = Object.entries(cp.operatorStates);
    for (const [, s] of states) blobs.push(s);
    return {
      id: cp.id,
      sourceOffsets: Object.fromEntries(Object.entries(cp.sourceOffsets).map(([k, o]) => [k, { ...o }])),
      states: states.map(([k, s]) => [k, s.length]),
      transaction: t === null ? null : [t.transactionalId, t.producerId.toString(), t.producerEpoch],
      ...(cp.changelogs === undefined ? {} : { changelogs: { ...cp.changelogs } }),
    };
  });
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.allocUnsafe(4);
  len.writeUInt32LE(json.length);
  return Buffer.concat([len, json, ...blobs]);
}

function decode(bytes: Buffer): (PipelineCheckpoint | null)[] {
  const n = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.toString('utf8', 4, 4 + n)) as (StoredHeader | null)[];
  let at = 4 + n;
  return header.map((h) => {
    if (h === null) return null;
    const operatorStates: Record<string, Uint8Array> = {};
    for (const [key, len] of h.states) {
      operatorStates[key] = new Uint8Array(bytes.buffer, bytes.byteOffset + at, len);
      at += len;
    }
    const t = h.transaction;
    return {
      id: h.id,
      sourceOffsets: h.sourceOffsets,
      operatorStates,
      transaction: t === null ? null : { transactionalId: t[0], producerId: BigInt(t[1]), producerEpoch: t[2] },
      ...(h.changelogs === undefined ? {} : { changelogs: h.changelogs }),
    };
  });
}

function fromJson(s: StoredJsonCheckpoint): PipelineCheckpoint {
  const t = s.transaction ?? null;
  return {
    id: s.id,
    sourceOffsets: s.sourceOffsets,
    operatorStates: Object.fromEntries(Object.entries(s.operatorStates).map(([k, b]) => [k, new Uint8Array(Buffer.from(b, 'base64'))])),
    transaction: t === null ? null : { transactionalId: t[0], producerId: BigInt(t[1]), producerEpoch: t[2] },
  };
}
