/**
 * Checkpoints of running statements in the compacted topic `_runnel_offsets`: per statement, the
 * source offsets and operator states of each of its pipelines.
 *
 * Operator state can exceed a record's limit (max.message.bytes, 1 MiB), so a checkpoint is
 * written as parts under generation keys (`<id>@<gen>#<i>`) and then a head record (`<id>`)
 * naming the generation; the previous generation's parts are deleted afterwards. A crash
 * between the two leaves the old head pointing at parts that still exist: readers always see a
 * whole checkpoint. Puts run one after another (the pipelines of a statement set checkpoint on
 * their own): interleaved, two puts of one generation could mix their parts.
 *
 * With each pipeline's checkpoint goes the sink's pre-committed transaction (id, producer id,
 * epoch): after a crash between storing the checkpoint and committing the transaction, restore
 * commits it (exactly-once, see KafkaTopicSink).
 */
import type { TopicClient, TransactionRef } from '../client/topic-client.ts';
import type { Checkpoint } from '../operators/index.ts';
import { KvLog } from './kv-log.ts';

export const OFFSETS_TOPIC = '_runnel_offsets';
/** Characters of checkpoint JSON per record part. */
export const CHECKPOINT_PART_CHARS = 256 * 1024;
/** Parts one checkpoint may have (256 MiB of state). */
export const CHECKPOINT_PARTS_MAX = 1024;

/** One pipeline's checkpoint and the transaction its sink pre-committed for it (null: none). */
export interface PipelineCheckpoint extends Checkpoint {
  readonly transaction?: TransactionRef | null;
}

interface StoredCheckpoint {
  readonly id: number;
  readonly sourceOffsets: Record<string, Record<string, string>>;
  readonly operatorStates: Record<string, string>;
  /** [transactional id, producer id, epoch]. */
  readonly transaction?: [string, string, number] | null;
}

type Entry = { readonly gen: number; readonly parts: number } | { readonly chunk: string };

export class CheckpointTooLargeError extends Error {}

export class CheckpointStore {
  private puts: Promise<unknown> = Promise.resolve();

  private constructor(private readonly log: KvLog<Entry>) {}

  static async open(topics: TopicClient): Promise<CheckpointStore> {
    return new CheckpointStore(await KvLog.open<Entry>(topics, OFFSETS_TOPIC));
  }

  /** The statement's last checkpoint, one per pipeline (null: that pipeline has none yet); undefined when it has none. */
  get(statementId: string): (PipelineCheckpoint | null)[] | undefined {
    const head = this.log.get(statementId);
    if (head === undefined || !('gen' in head)) return undefined;
    let text = '';
    for (let i = 0; i < head.parts; i++) {
      const part = this.log.get(`${statementId}@${head.gen}#${i}`);
      if (part === undefined || !('chunk' in part)) return undefined;
      text += part.chunk;
    }
    return (JSON.parse(text) as (StoredCheckpoint | null)[]).map((c) => (c === null ? null : fromStored(c)));
  }

  put(statementId: string, checkpoints: readonly (PipelineCheckpoint | null)[]): Promise<void> {
    // Serialized now: the caller may change its checkpoint objects while an earlier put runs.
    const text = JSON.stringify(checkpoints.map((c) => (c === null ? null : toStored(c))));
    const put = this.puts.then(() => this.write(statementId, text));
    this.puts = put.catch(() => undefined);
    return put;
  }

  private async write(statementId: string, text: string): Promise<void> {
    const parts = Math.max(1, Math.ceil(text.length / CHECKPOINT_PART_CHARS));
    if (parts > CHECKPOINT_PARTS_MAX) throw new CheckpointTooLargeError(`checkpoint of statement ${statementId} is ${text.length} characters, more than ${CHECKPOINT_PARTS_MAX} parts of ${CHECKPOINT_PART_CHARS} (256 MiB); reduce the statement's state: set 'sql.state-ttl', or lower 'sql.state.max-size' so it fails at the operator that grows`);
    const prev = this.log.get(statementId);
    const gen = prev !== undefined && 'gen' in prev ? prev.gen + 1 : 1;
    for (let i = 0; i < parts; i++) await this.log.put(`${statementId}@${gen}#${i}`, { chunk: text.slice(i * CHECKPOINT_PART_CHARS, (i + 1) * CHECKPOINT_PART_CHARS) });
    await this.log.put(statementId, { gen, parts });
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

function toStored(cp: PipelineCheckpoint): StoredCheckpoint {
  const t = cp.transaction ?? null;
  return {
    id: cp.id,
    sourceOffsets: Object.fromEntries(Object.entries(cp.sourceOffsets).map(([k, o]) => [k, { ...o }])),
    operatorStates: Object.fromEntries(Object.entries(cp.operatorStates).map(([k, s]) => [k, Buffer.from(s).toString('base64')])),
    transaction: t === null ? null : [t.transactionalId, t.producerId.toString(), t.producerEpoch],
  };
}

function fromStored(s: StoredCheckpoint): PipelineCheckpoint {
  const t = s.transaction ?? null;
  return {
    id: s.id,
    sourceOffsets: s.sourceOffsets,
    operatorStates: Object.fromEntries(Object.entries(s.operatorStates).map(([k, b]) => [k, new Uint8Array(Buffer.from(b, 'base64'))])),
    transaction: t === null ? null : { transactionalId: t[0], producerId: BigInt(t[1]), producerEpoch: t[2] },
  };
}
