/**
 * The transaction coordinator's state machine without a broker: an in-memory store, markers
 * recorded instead of written, a clock the test moves.
 */
import { describe, expect, it } from 'vitest';
import { TransactionCoordinator, type PendingOffset, type TopicPartitionRef } from '../../../src/broker/txn/index.ts';
import type { KeyValueRecord } from '../../../src/broker/internal-log.ts';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.ts';

function setup(records: KeyValueRecord[] = []) {
  const markers: { partitions: TopicPartitionRef[]; producerEpoch: number; commit: boolean }[] = [];
  const committed: { groupId: string; offsets: readonly PendingOffset[] }[] = [];
  let nextPid = 100n;
  let nowMs = 1_000;
  let releaseMarkers: (() => void) | null = null;
  const env = {
    store: {
      append: async (rs: readonly KeyValueRecord[]) => void records.push(...rs),
      replay: async (cb: (k: Buffer, v: Buffer | null) => void) => records.forEach((r) => cb(r.key, r.value)),
    },
    allocateProducerId: async () => nextPid++,
    partitionExists: (topic: string) => topic !== 'missing',
    writeMarkers: async (partitions: readonly TopicPartitionRef[], _pid: bigint, producerEpoch: number, commit: boolean) => {
      markers.push({ partitions: [...partitions], producerEpoch, commit });
      if (hold) await new Promise<void>((resolve) => (releaseMarkers = resolve));
    },
    commitOffsets: async (groupId: string, offsets: readonly PendingOffset[]) => void committed.push({ groupId, offsets }),
    now: () => nowMs,
    onError: (err: unknown) => {
      throw err;
    },
  };
  let hold = false;
  const coordinator = new TransactionCoordinator(env);
  return {
    coordinator,
    markers,
    committed,
    records,
    advance: (ms: number) => (nowMs += ms),
    holdMarkers: () => (hold = true),
    release: () => releaseMarkers?.(),
  };
}

const orders0 = { topic: 'orders', partition: 0 };

describe('TransactionCoordinator', () => {
  it('walks Empty → Ongoing → CompleteCommit, with markers and offsets on commit', async () => {
    const { coordinator, markers, committed } = setup();
    const init = await coordinator.initProducerId('app', 60_000);
    expect(init).toEqual({ errorCode: ErrorCode.NONE, producerId: 100n, producerEpoch: 0 });
    expect(coordinator.checkProduce('app', 100n, 0, 'orders', 0)).toBe(ErrorCode.INVALID_TXN_STATE);
    expect(await coordinator.addPartitions('app', 100n, 0, [orders0])).toEqual([ErrorCode.NONE]);
    expect(coordinator.checkProduce('app', 100n, 0, 'orders', 0)).toBe(ErrorCode.NONE);
    expect(coordinator.checkProduce('app', 100n, 0, 'orders', 1)).toBe(ErrorCode.INVALID_TXN_STATE);
    expect(await coordinator.commitOffsets('app', 100n, 0, 'g', [{ ...orders0, offset: 5n, leaderEpoch: -1, metadata: null }])).toBe(ErrorCode.INVALID_TXN_STATE);
    expect(await coordinator.addOffsets('app', 100n, 0, 'g')).toBe(ErrorCode.NONE);
    expect(await coordinator.commitOffsets('app', 100n, 0, 'g', [{ ...orders0, offset: 5n, leaderEpoch: -1, metadata: null }])).toBe(ErrorCode.NONE);
    expect(committed).toEqual([]);
    expect(await coordinator.endTxn('app', 100n, 0, true)).toBe(ErrorCode.NONE);
    expect(markers).toEqual([{ partitions: [orders0], producerEpoch: 0, commit: true }]);
    expect(committed).toEqual([{ groupId: 'g', offsets: [{ ...orders0, offset: 5n, leaderEpoch: -1, metadata: null }] }]);
    expect(coordinator.get('app')!.state).toBe('CompleteCommit');
    // A retried commit succeeds; an abort after a commit is a bad transition.
    expect(await coordinator.endTxn('app', 100n, 0, true)).toBe(ErrorCode.NONE);
    expect(await coordinator.endTxn('app', 100n, 0, false)).toBe(ErrorCode.INVALID_TXN_STATE);
  });

  it('answers bad producers, partitions, timeouts and transitions with Kafka codes', async () => {
    const { coordinator } = setup();
    expect((await coordinator.initProducerId('app', 15 * 60_000 + 1)).errorCode).toBe(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    expect((await coordinator.initProducerId('app', 0)).errorCode).toBe(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    await coordinator.initProducerId('app', 60_000);
    expect(await coordinator.endTxn('app', 100n, 0, true)).toBe(ErrorCode.INVALID_TXN_STATE);
    expect(await coordinator.endTxn('other', 100n, 0, true)).toBe(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    expect(await coordinator.addPartitions('app', 101n, 0, [orders0])).toEqual([ErrorCode.INVALID_PRODUCER_ID_MAPPING]);
    expect(await coordinator.addPartitions('app', 100n, 1, [orders0])).toEqual([ErrorCode.INVALID_PRODUCER_EPOCH]);
    expect(await coordinator.addPartitions('app', 100n, 0, [orders0, { topic: 'missing', partition: 0 }])).toEqual([
      ErrorCode.OPERATION_NOT_ATTEMPTED,
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    ]);
  });

  it('fences the previous epoch on re-init and aborts its open transaction', async () => {
    const { coordinator, markers } = setup();
    await coordinator.initProducerId('app', 60_000);
    await coordinator.addPartitions('app', 100n, 0, [orders0]);
    const again = await coordinator.initProducerId('app', 60_000);
    expect(again).toEqual({ errorCode: ErrorCode.NONE, producerId: 100n, producerEpoch: 1 });
    expect(markers).toEqual([{ partitions: [orders0], producerEpoch: 1, commit: false }]);
    expect(coordinator.checkProduce('app', 100n, 0, 'orders', 0)).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect(await coordinator.endTxn('app', 100n, 0, true)).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
  });

  it('answers CONCURRENT_TRANSACTIONS while markers are being written', async () => {
    const { coordinator, holdMarkers, release } = setup();
    await coordinator.initProducerId('app', 60_000);
    await coordinator.addPartitions('app', 100n, 0, [orders0]);
    holdMarkers();
    const ending = coordinator.endTxn('app', 100n, 0, true);
    await new Promise((r) => setTimeout(r, 10));
    expect(await coordinator.addPartitions('app', 100n, 0, [orders0])).toEqual([ErrorCode.CONCURRENT_TRANSACTIONS]);
    expect((await coordinator.initProducerId('app', 60_000)).errorCode).toBe(ErrorCode.CONCURRENT_TRANSACTIONS);
    release();
    expect(await ending).toBe(ErrorCode.NONE);
  });

  it('recovers from its log and finishes a completion cut short', async () => {
    const first = setup();
    await first.coordinator.initProducerId('app', 60_000);
    await first.coordinator.addPartitions('app', 100n, 0, [orders0]);
    first.holdMarkers();
    void first.coordinator.endTxn('app', 100n, 0, false);
    await new Promise((r) => setTimeout(r, 10));
    // "Crash" with PrepareAbort in the log: a new coordinator over the same records completes it.
    const second = setup(first.records);
    await second.coordinator.load();
    await second.coordinator.close();
    expect(second.markers).toEqual([{ partitions: [orders0], producerEpoch: 0, commit: false }]);
    expect(second.coordinator.get('app')).toMatchObject({ state: 'CompleteAbort', producerId: 100n, producerEpoch: 0 });
  });
});
