import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/broker/protocol/index.ts';
import { PartitionLog } from '../../../src/broker/log/index.ts';
import { batch, config, tempDir } from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
async function open(cfg = config()): Promise<{ log: PartitionLog; d: string }> {
  const d = tempDir();
  dirs.push(d);
  return { log: await PartitionLog.open(d, cfg), d };
}
const p = (producerEpoch: number, baseSequence: number, n = 2, producerId = 7n) => batch(n, { producerId, producerEpoch, baseSequence });

describe('idempotent producer', () => {
  it('answers a retried batch with its original offsets and writes nothing', async () => {
    const { log } = await open();
    const first = log.append([await p(0, 0)]);
    log.append([await p(0, 2)]);
    const size = log.sizeBytes();
    const retry = log.append([await p(0, 0)]);
    expect(retry).toMatchObject({ baseOffset: first.baseOffset, lastOffset: first.lastOffset, duplicate: true });
    expect(log.sizeBytes()).toBe(size);
    expect(log.logEndOffset).toBe(4n);
    await log.close();
  });

  it('remembers only the last five batches per producer', async () => {
    const { log } = await open();
    for (let i = 0; i < 7; i++) log.append([await p(0, i, 1)]);
    expect(log.append([await p(0, 2, 1)]).duplicate).toBe(true);
    await expect(async () => log.append([await p(0, 1, 1)])).rejects.toMatchObject({ code: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
    await log.close();
  });

  it('rejects gaps and reordering with OUT_OF_ORDER_SEQUENCE_NUMBER', async () => {
    const { log } = await open();
    log.append([await p(0, 0)]);
    await expect(async () => log.append([await p(0, 5)])).rejects.toMatchObject({ code: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
    await expect(async () => log.append([await p(0, 1)])).rejects.toMatchObject({ code: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
    expect(log.append([await p(0, 2)]).baseOffset).toBe(2n);
    await log.close();
  });

  it('fences older epochs and requires sequence 0 for a new epoch', async () => {
    const { log } = await open();
    log.append([await p(1, 0)]);
    await expect(async () => log.append([await p(0, 2)])).rejects.toMatchObject({ code: ErrorCode.INVALID_PRODUCER_EPOCH });
    await expect(async () => log.append([await p(2, 2)])).rejects.toMatchObject({ code: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
    expect(log.append([await p(2, 0)]).duplicate).toBe(false);
    expect(log.append([await p(0, 0, 2, 99n)]).baseOffset).toBe(4n);
    await expect(async () => log.append([await p(0, 3, 2, 100n)])).rejects.toMatchObject({ code: ErrorCode.UNKNOWN_PRODUCER_ID });
    await log.close();
  });

  it('treats producer id -1 as non-idempotent', async () => {
    const { log } = await open();
    log.append([await batch(2)]);
    expect(log.append([await batch(2)]).duplicate).toBe(false);
    await log.close();
  });

  it('keeps producer state across a clean restart (snapshot) and a crash (header replay)', async () => {
    const { log, d } = await open(config({ 'segment.bytes': '400' }));
    for (let i = 0; i < 10; i++) log.append([await p(0, i * 2)]);
    await log.close();
    const reopened = await PartitionLog.open(d, config({ 'segment.bytes': '400' }));
    expect(reopened.recovery.cleanShutdown).toBe(true);
    expect(reopened.recovery.producerBatchesReplayed).toBe(0);
    expect(reopened.append([await p(0, 18)])).toMatchObject({ duplicate: true, baseOffset: 18n });
    reopened.append([await p(0, 20)]);
    reopened.append([await p(0, 22)]);
    await reopened.flush();
    // No close: the next open is a crash recovery that replays headers after the last snapshot.
    const crashed = await PartitionLog.open(d, config({ 'segment.bytes': '400' }));
    expect(crashed.recovery.cleanShutdown).toBe(false);
    expect(crashed.append([await p(0, 22)])).toMatchObject({ duplicate: true, baseOffset: 22n });
    await expect(async () => crashed.append([await p(0, 30)])).rejects.toMatchObject({ code: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
    expect(crashed.append([await p(0, 24)]).baseOffset).toBe(24n);
    await crashed.close();
  });
});
