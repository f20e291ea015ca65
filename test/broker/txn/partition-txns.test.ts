/**
 * The per-partition transaction state over a real PartitionLog: the LSO follows the earliest
 * open transaction, abort markers fill the aborted index, and state fed by appends equals state
 * rebuilt by scanning the log.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PartitionLog, parseTopicConfigs } from '../../../src/broker/log/index.ts';
import { ErrorCode, encodeBatch } from '../../../src/broker/protocol/index.ts';
import { PartitionTxns, controlType, encodeMarker, txnIndexFile } from '../../../src/broker/txn/index.ts';

let dir: string;
let log: PartitionLog;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runnel-txns-'));
  log = await PartitionLog.open(dir, parseTopicConfigs({}));
});
afterEach(async () => {
  await log.close();
  await rm(dir, { recursive: true, force: true });
});

async function append(txns: PartitionTxns, batch: Buffer): Promise<void> {
  const { baseOffset } = log.append([batch]);
  txns.observe([batch], baseOffset);
}

const data = (producerId: bigint, baseSequence: number, n: number, transactional = true) =>
  encodeBatch({ records: Array.from({ length: n }, (_, i) => ({ key: null, value: Buffer.from(`v${i}`) })), producerId, producerEpoch: 0, baseSequence, transactional });

describe('PartitionTxns', () => {
  it('holds the LSO at the earliest open transaction and indexes aborted ones', async () => {
    const txns = new PartitionTxns(log);
    await txns.sync();
    await append(txns, await data(-1n, -1, 2, false)); // 0-1 plain
    await append(txns, await data(7n, 0, 2)); // 2-3 producer 7
    await append(txns, await data(8n, 0, 1)); // 4 producer 8
    expect(txns.lastStableOffset).toBe(2n);
    await append(txns, await encodeMarker(7n, 0, false)); // 5 abort 7
    expect(txns.lastStableOffset).toBe(4n);
    await append(txns, await encodeMarker(8n, 0, true)); // 6 commit 8
    expect(txns.lastStableOffset).toBe(7n);
    expect(txns.abortedBetween(0n, 7n)).toEqual([{ producerId: 7n, firstOffset: 2n, lastOffset: 5n }]);
    expect(txns.abortedBetween(6n, 7n)).toEqual([]);

    const rebuilt = new PartitionTxns(log);
    await rebuilt.sync();
    expect(rebuilt.lastStableOffset).toBe(7n);
    expect(rebuilt.abortedBetween(0n, 7n)).toEqual(txns.abortedBetween(0n, 7n));
  });

  it('checkpoints to the partition directory and starts from the checkpoint', async () => {
    const txns = new PartitionTxns(log);
    await append(txns, await data(7n, 0, 2)); // 0-1
    await append(txns, await encodeMarker(7n, 0, false)); // 2 abort
    await append(txns, await data(9n, 0, 1)); // 3, left open
    txns.checkpoint();
    const saved = JSON.parse(readFileSync(join(dir, txnIndexFile), 'utf8')) as { scannedTo: string };
    expect(saved.scannedTo).toBe('4');
    const loaded = new PartitionTxns(log);
    expect(loaded.lastStableOffset).toBe(3n);
    expect(loaded.abortedBetween(0n, 4n)).toEqual([{ producerId: 7n, firstOffset: 0n, lastOffset: 2n }]);
    // A checkpoint past the log end (the log lost a tail) is ignored: the scan starts over.
    writeFileSync(join(dir, txnIndexFile), JSON.stringify({ ...saved, scannedTo: '99', aborted: [] }));
    const rescanned = new PartitionTxns(log);
    await rescanned.sync();
    expect(rescanned.abortedBetween(0n, 4n)).toEqual([{ producerId: 7n, firstOffset: 0n, lastOffset: 2n }]);
  });

  it('a marker with a newer epoch fences the older epoch at the partition, also after reopening', async () => {
    const txns = new PartitionTxns(log);
    await append(txns, await data(7n, 0, 2)); // epoch 0, sequences 0-1
    await append(txns, await encodeMarker(7n, 1, false)); // the coordinator aborted with epoch 1
    const zombie = await encodeBatch({ records: [{ key: null, value: Buffer.from('z') }], producerId: 7n, producerEpoch: 0, baseSequence: 2, transactional: true });
    expect(() => log.append([zombie])).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_PRODUCER_EPOCH }));
    const fresh = await encodeBatch({ records: [{ key: null, value: Buffer.from('n') }], producerId: 7n, producerEpoch: 1, baseSequence: 0, transactional: true });
    expect(log.append([fresh]).baseOffset).toBe(3n);
    await log.close();
    log = await PartitionLog.open(dir, parseTopicConfigs({}));
    const again = await encodeBatch({ records: [{ key: null, value: Buffer.from('z') }], producerId: 7n, producerEpoch: 0, baseSequence: 2, transactional: true });
    expect(() => log.append([again])).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_PRODUCER_EPOCH }));
  });

  it('reads the marker type from the control record key', async () => {
    expect(controlType(await encodeMarker(1n, 0, true))).toBe(1);
    expect(controlType(await encodeMarker(1n, 0, false))).toBe(0);
  });
});
