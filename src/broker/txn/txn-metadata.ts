/**
 * One transactional id's state and its record in the transaction log. The value is JSON
 * (version 1), which keeps the log readable with `runnel consume`-style tools:
 *
 *   {"v":1,"producerId":"17","producerEpoch":2,"timeoutMs":60000,"state":"Ongoing","startMs":…,
 *    "partitions":[["orders",0]],"offsets":[["group",[["orders",0,"42",-1,""]]]]}
 */
import assert from 'node:assert';
import type { PendingOffset, TopicPartitionRef } from './coordinator.ts';

export type TxnState = 'Empty' | 'Ongoing' | 'PrepareCommit' | 'PrepareAbort' | 'CompleteCommit' | 'CompleteAbort';

export interface TxnMetadata {
  readonly transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
  timeoutMs: number;
  state: TxnState;
  /** By `topic\0partition`. */
  partitions: Map<string, TopicPartitionRef>;
  /** Pending offsets by group id, then by `topic\0partition`. */
  offsets: Map<string, Map<string, PendingOffset>>;
  /** When the transaction became Ongoing; -1 when none is. */
  startMs: number;
}

const recordVersion = 1;

export function partitionKey(topic: string, partition: number): string {
  return `${topic}\0${partition}`;
}

export function encodeTxnMetadata(t: TxnMetadata): Buffer {
  return Buffer.from(
    JSON.stringify({
      v: recordVersion,
      producerId: t.producerId.toString(),
      producerEpoch: t.producerEpoch,
      timeoutMs: t.timeoutMs,
      state: t.state,
      startMs: t.startMs,
      partitions: [...t.partitions.values()].map((p) => [p.topic, p.partition]),
      offsets: [...t.offsets].map(([g, m]) => [g, [...m.values()].map((o) => [o.topic, o.partition, o.offset.toString(), o.leaderEpoch, o.metadata])]),
    }),
    'utf8',
  );
}

interface StoredTxn {
  v: number;
  producerId: string;
  producerEpoch: number;
  timeoutMs: number;
  state: TxnState;
  startMs: number;
  partitions: [string, number][];
  offsets: [string, [string, number, string, number, string | null][]][];
}

export function decodeTxnMetadata(transactionalId: string, value: Buffer): TxnMetadata {
  const s = JSON.parse(value.toString('utf8')) as StoredTxn;
  assert(s.v === recordVersion, `transaction log record for '${transactionalId}' has unknown version ${s.v}`);
  const partitions = new Map<string, TopicPartitionRef>();
  for (const [topic, partition] of s.partitions) partitions.set(partitionKey(topic, partition), { topic, partition });
  const offsets = new Map<string, Map<string, PendingOffset>>();
  for (const [groupId, list] of s.offsets) {
    const m = new Map<string, PendingOffset>();
    for (const [topic, partition, offset, leaderEpoch, metadata] of list) {
      m.set(partitionKey(topic, partition), { topic, partition, offset: BigInt(offset), leaderEpoch, metadata });
    }
    offsets.set(groupId, m);
  }
  return { transactionalId, producerId: BigInt(s.producerId), producerEpoch: s.producerEpoch, timeoutMs: s.timeoutMs, state: s.state, partitions, offsets, startMs: s.startMs };
}
